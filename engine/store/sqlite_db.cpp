#include "engine/store/sqlite_db.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace jimu {

int64_t sql_int(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

double sql_double(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string sql_text(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "";
}

bool sql_is_null(const SqlValue& v) { return std::holds_alternative<SqlNull>(v); }

namespace {

using namespace Poco::Data::Keywords;

class SqliteDb final : public SqlDb {
 public:
  SqliteDb(const std::string& path, int busy_timeout_ms) : session_(open(path)) {
    // A file that is not a database fails here, not in open(): translate, never terminate.
    try {
      session_ << "PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms), now;
      session_ << "PRAGMA journal_mode = WAL", now;
      // FULL: a commit is on disk before it is acknowledged (DESIGN.md section 8: nothing
      // acknowledged is lost to a power cut). In WAL mode that is one fdatasync per commit.
      session_ << "PRAGMA synchronous = FULL", now;
      // No checkpoint when the connection closes: every short-lived jimu command would pay a
      // checkpoint's fsync at exit. The automatic checkpoint (every 1000 pages) keeps the WAL small.
      sqlite3_db_config(Poco::Data::SQLite::Utility::dbHandle(session_),
                        SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      session_ << "PRAGMA foreign_keys = ON", now;
    } catch (const Poco::Exception& e) {
      throw SqlError(path + ": " + e.displayText());
    }
  }

  std::string dialect() const override { return "sqlite"; }

  // Statements go straight to SQLite through the session's handle, each prepared once and kept:
  // Poco's Statement and RecordSet re-prepare every time and convert every cell through
  // Dynamic::Var, which made reading 10,000 schedules take 120 ms instead of 10.
  ~SqliteDb() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
  }

  void exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    finish(st, rc);
  }

  std::vector<SqlRow> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    std::vector<SqlRow> rows;
    const int cols = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      SqlRow row;
      row.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL: row.emplace_back(SqlNull{}); break;
          case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, c))); break;
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(st, c)); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            row.emplace_back(std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(st, c))));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    finish(st, rc);
    return rows;
  }

  void begin_write() override { exec("BEGIN IMMEDIATE", {}); }
  void commit() override { exec("COMMIT", {}); }
  void rollback() override { exec("ROLLBACK", {}); }

 private:
  static Poco::Data::Session open(const std::string& path) {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    try {
      return Poco::Data::Session("SQLite", path);
    } catch (const Poco::Exception& e) {
      throw SqlError(path + ": " + e.displayText());
    }
  }

  sqlite3* handle() { return Poco::Data::SQLite::Utility::dbHandle(session_); }

  // A duplicate key is a conflict, as on PostgreSQL; the rest (the audit trail's append-only
  // triggers included) is an error of the store.
  static SqlError::Kind kind_of(int extended_code) {
    return extended_code == SQLITE_CONSTRAINT_UNIQUE || extended_code == SQLITE_CONSTRAINT_PRIMARYKEY
               ? SqlError::Kind::kConflict
               : SqlError::Kind::kOther;
  }

  [[noreturn]] void raise(const std::string& sql) {
    throw SqlError(std::string(sqlite3_errmsg(handle())) + " (in: " + sql.substr(0, 120) + ")",
                   kind_of(sqlite3_extended_errcode(handle())));
  }

  // The cached statement for sql, reset and bound to params.
  sqlite3_stmt* prepare(const std::string& sql, const std::vector<SqlValue>& params) {
    sqlite3_stmt* st = nullptr;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      st = it->second;
    } else {
      if (sqlite3_prepare_v2(handle(), sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) !=
          SQLITE_OK) {
        raise(sql);
      }
      if (cache_.size() >= kCacheSize) {  // statements built with varying text: start over
        for (auto& [k, v] : cache_) sqlite3_finalize(v);
        cache_.clear();
      }
      cache_.emplace(sql, st);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    int i = 0;
    for (const SqlValue& p : params) {
      ++i;
      int rc;
      if (const auto* n = std::get_if<int64_t>(&p)) {
        rc = sqlite3_bind_int64(st, i, *n);
      } else if (const auto* d = std::get_if<double>(&p)) {
        rc = sqlite3_bind_double(st, i, *d);
      } else if (const auto* t = std::get_if<std::string>(&p)) {
        rc = sqlite3_bind_text(st, i, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(st, i);
      }
      if (rc != SQLITE_OK) raise(sql);
    }
    return st;
  }

  // After the last step: an error unless the statement ran to its end. The statement is reset
  // either way, so it holds no lock while it waits in the cache.
  void finish(sqlite3_stmt* st, int rc) {
    if (rc != SQLITE_DONE) {
      std::string message = sqlite3_errmsg(handle());
      SqlError::Kind kind = kind_of(sqlite3_extended_errcode(handle()));
      sqlite3_reset(st);
      throw SqlError(message + " (in: " + std::string(sqlite3_sql(st)).substr(0, 120) + ")", kind);
    }
    sqlite3_reset(st);
  }

  static constexpr size_t kCacheSize = 256;
  Poco::Data::Session session_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<SqlDb> open_sqlite_db(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteDb>(path, busy_timeout_ms);
}

}  // namespace jimu
