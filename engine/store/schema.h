// The store's schema, as numbered migrations applied in order. A migration is never edited once
// released: a change is a new migration. Each has a statement list per dialect where the DDL
// differs (the auto-numbered run id); everything else is shared.
#pragma once

#include <string>
#include <vector>

namespace jimu {

struct Migration {
  int version;
  std::vector<std::string> sqlite;
  std::vector<std::string> postgresql;
};

const std::vector<Migration>& store_migrations();

}  // namespace jimu
