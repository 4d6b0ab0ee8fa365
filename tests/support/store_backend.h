// TestStore: one store for one test on the backend the test is generated for, so the same test
// runs against SQLite and PostgreSQL:
//   TestStore ts(JIMU_STORE_BACKEND());
//   auto store = ts.open();
// SQLite: a file in the test's TempDir. PostgreSQL: a fresh database on the process's throwaway
// server (pg_server.h). raw_sql() runs SQL behind jimu's back, as an administrator would.
// Not thread-safe; open() may be called from several threads once constructed.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/store/store.h"
#include "tests/support/pg_server.h"
#include "tests/support/sqlite_tamper.h"
#include "tests/support/temp_dir.h"

// Runs the enclosing TEST_CASE once per backend; the value is "sqlite" or "postgresql".
#define JIMU_STORE_BACKEND() GENERATE(as<std::string>{}, "sqlite", "postgresql")

namespace jimu::testing {

class TestStore {
 public:
  explicit TestStore(std::string backend) : backend_(std::move(backend)) {
    if (backend_ == "sqlite") {
      url_ = "sqlite:" + dir_.file("jimu.db");
    } else {
      url_ = PgServer::instance().fresh_database();
      database_ = url_.substr(url_.rfind('/') + 1);
    }
    UNSCOPED_INFO("store backend: " << backend_ << " (" << url_ << ")");
  }

  const std::string& backend() const { return backend_; }
  bool is_pg() const { return backend_ == "postgresql"; }
  const std::string& url() const { return url_; }
  const TempDir& dir() const { return dir_; }

  Result<std::unique_ptr<Store>> try_open(int utc_offset_minutes = 540) const {
    StoreOptions o;
    o.url = url_;
    o.utc_offset_minutes = utc_offset_minutes;
    return open_store(o);
  }

  std::unique_ptr<Store> open(int utc_offset_minutes = 540) const {
    auto s = try_open(utc_offset_minutes);
    if (!s) FAIL(s.status().to_string());
    return std::move(s).value();
  }

  // Raw SQL; throws std::runtime_error with the database's message on failure. On PostgreSQL
  // the message is psql's whole output.
  std::string raw_sql(const std::string& sql) const {
    if (!is_pg()) return testing::raw_sql(dir_.file("jimu.db"), sql);
    try {
      return PgServer::instance().psql(database_, sql);
    } catch (const std::runtime_error&) {
      std::ifstream in(PgServer::instance().last_output());
      std::stringstream ss;
      ss << in.rdbuf();
      throw std::runtime_error(ss.str());
    }
  }

 private:
  std::string backend_;
  TempDir dir_;
  std::string url_;
  std::string database_;
};

}  // namespace jimu::testing
