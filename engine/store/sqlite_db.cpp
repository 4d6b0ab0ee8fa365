#include "engine/store/sqlite_db.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <cstdlib>
#include <mutex>

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

  void exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    try {
      Poco::Data::Statement st(session_);
      st << sql;
      bind_all(st, params);
      st.execute();
    } catch (const Poco::Exception& e) {
      throw SqlError(e.displayText());
    }
  }

  std::vector<SqlRow> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    try {
      Poco::Data::Statement st(session_);
      st << sql;
      bind_all(st, params);
      st.execute();
      Poco::Data::RecordSet rs(st);
      std::vector<SqlRow> rows;
      size_t cols = rs.columnCount();
      for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        SqlRow row;
        row.reserve(cols);
        for (size_t c = 0; c < cols; ++c) {
          const Poco::Dynamic::Var& v = rs.value(c);
          if (v.isEmpty()) {
            row.emplace_back(SqlNull{});
          } else if (v.isInteger()) {
            row.emplace_back(v.convert<Poco::Int64>());
          } else if (v.isNumeric()) {
            row.emplace_back(v.convert<double>());
          } else {
            row.emplace_back(v.convert<std::string>());
          }
        }
        rows.push_back(std::move(row));
      }
      return rows;
    } catch (const Poco::Exception& e) {
      throw SqlError(e.displayText());
    }
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

  static void bind_all(Poco::Data::Statement& st, const std::vector<SqlValue>& params) {
    for (const SqlValue& p : params) {
      if (const auto* i = std::get_if<int64_t>(&p)) {
        st, bind(static_cast<Poco::Int64>(*i));
      } else if (const auto* d = std::get_if<double>(&p)) {
        st, bind(*d);
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        st, bind(*s);
      } else {
        st, bind(Poco::Nullable<std::string>());
      }
    }
  }

  Poco::Data::Session session_;
};

}  // namespace

std::unique_ptr<SqlDb> open_sqlite_db(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteDb>(path, busy_timeout_ms);
}

}  // namespace jimu
