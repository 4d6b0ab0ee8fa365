// SqliteDb: SqlDb over one SQLite file through Poco::Data (WAL, synchronous=NORMAL, busy timeout).
#pragma once

#include <memory>
#include <string>

#include "engine/store/sql_db.h"

namespace jimu {

std::unique_ptr<SqlDb> open_sqlite_db(const std::string& path, int busy_timeout_ms);

}  // namespace jimu
