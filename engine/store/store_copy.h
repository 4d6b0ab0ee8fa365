// Moving a store to another database (`jimu store migrate`), and counting what a store holds
// (`jimu store info`). The copy keeps every row as it is (ids, timestamps, the audit chain's
// hashes), runs in one transaction on the target (all or nothing), refuses a target that holds
// any row, and verifies the target's audit chain afterwards. Not thread-safe; each call opens its
// own connections.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/audit_chain.h"
#include "engine/store/store.h"

namespace jimu {

struct TableRows {
  std::string table;
  int64_t rows = 0;
};

struct StoreInfo {
  std::string dialect;  // "sqlite" | "postgresql"
  int schema_version = 0;
  std::vector<TableRows> tables;  // in creation order, schema_version left out
};

// Opens the store (creating and migrating it as any command would) and counts its rows.
Result<StoreInfo> store_info(const StoreOptions& options);

struct StoreCopyReport {
  StoreInfo source;
  StoreInfo target;     // after the copy: the same counts as the source
  AuditReport audit;    // the target's audit chain, verified after the commit
};

// Copies every table of `from` into `to`. conflict when the target holds any row (naming the
// tables); io for database errors (the target is then left as it was).
Result<StoreCopyReport> copy_store(const StoreOptions& from, const StoreOptions& to);

}  // namespace jimu
