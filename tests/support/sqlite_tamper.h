// Raw SQL on a store file, as someone with the sqlite3 command line would do: for tests that
// tamper with the store behind jimu's back.
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace jimu::testing {

// Returns the rows as psql -A -t prints them: columns joined by '|', one line per row.
inline std::string raw_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open failed");
  char* err = nullptr;
  std::string rows;
  auto collect = [](void* out, int n, char** values, char**) {
    auto* text = static_cast<std::string*>(out);
    for (int i = 0; i < n; ++i) *text += std::string(i ? "|" : "") + (values[i] ? values[i] : "");
    *text += "\n";
    return 0;
  };
  int rc = sqlite3_exec(db, sql.c_str(), collect, &rows, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error(msg);
  return rows;
}

}  // namespace jimu::testing
