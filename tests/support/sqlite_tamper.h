// Raw SQL on a store file, as someone with the sqlite3 command line would do: for tests that
// tamper with the store behind jimu's back.
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace jimu::testing {

inline void raw_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open failed");
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error(msg);
}

}  // namespace jimu::testing
