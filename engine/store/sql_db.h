// SqlDb: one database connection behind the store, so the store's SQL is written once and runs on
// SQLite (embedded) and PostgreSQL (pg_db.h). Statements use '?' placeholders; a backend rewrites
// them if its database wants another form. Internal to engine/store; not thread-safe (the store
// serialises access). Methods throw SqlError; the store turns it into a Status.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/status.h"

namespace jimu {

struct SqlNull {};
using SqlValue = std::variant<SqlNull, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

class SqlError : public std::runtime_error {
 public:
  // What the store needs to tell apart; everything else is kOther (reported as io).
  enum class Kind {
    kOther,
    kConflict,  // unique violation, serialization failure, deadlock: another writer got there
    kRefused,   // the server could not be reached
    kAuth,      // the server refused the credentials
  };
  explicit SqlError(const std::string& what, Kind kind = Kind::kOther)
      : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class SqlDb {
 public:
  virtual ~SqlDb() = default;
  virtual std::string dialect() const = 0;  // "sqlite" | "postgresql"
  virtual void exec(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  virtual std::vector<SqlRow> query(const std::string& sql,
                                    const std::vector<SqlValue>& params = {}) = 0;
  // Begins a transaction that holds the store's write lock from the start, so two writers never
  // deadlock upgrading a read lock and every read-then-write in it sees the latest commit
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN plus a transaction-scoped advisory lock).
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// The store's Status for a failed statement: "store: ..." with conflict, refused or auth where
// the database said so, io otherwise.
inline Status sql_error_status(const SqlError& e) {
  std::string m = std::string("store: ") + e.what();
  switch (e.kind()) {
    case SqlError::Kind::kConflict: return Status::conflict(std::move(m));
    case SqlError::Kind::kRefused: return Status::refused(std::move(m));
    case SqlError::Kind::kAuth: return Status::auth(std::move(m));
    case SqlError::Kind::kOther: break;
  }
  return Status::io(std::move(m));
}

// Accessors that tolerate the types a backend reports for expressions (COUNT as text, ...).
int64_t sql_int(const SqlValue& v);
double sql_double(const SqlValue& v);
std::string sql_text(const SqlValue& v);
bool sql_is_null(const SqlValue& v);

// Rolls back unless committed: RAII for a write transaction.
class SqlWriteTransaction {
 public:
  explicit SqlWriteTransaction(SqlDb& db) : db_(db) { db_.begin_write(); }
  ~SqlWriteTransaction() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {
      }
    }
  }
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  SqlDb& db_;
  bool done_ = false;
};

}  // namespace jimu
