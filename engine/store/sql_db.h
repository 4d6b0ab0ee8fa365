// SqlDb: one database connection behind the store, so the store's SQL is written once and runs on
// SQLite (embedded) and PostgreSQL (later). Statements use '?' placeholders; a backend rewrites
// them if its database wants another form. Internal to engine/store; not thread-safe (the store
// serialises access). Methods throw SqlError; the store turns it into a Status.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace jimu {

struct SqlNull {};
using SqlValue = std::variant<SqlNull, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

class SqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqlDb {
 public:
  virtual ~SqlDb() = default;
  virtual std::string dialect() const = 0;  // "sqlite" | "postgresql"
  virtual void exec(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  virtual std::vector<SqlRow> query(const std::string& sql,
                                    const std::vector<SqlValue>& params = {}) = 0;
  // Begins a transaction that holds the write lock from the start (SQLite: BEGIN IMMEDIATE), so
  // two writers never deadlock upgrading a read lock.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // With true, the commits that follow return only once on disk (SQLite in WAL mode with
  // synchronous = NORMAL otherwise syncs only at checkpoints: safe from a crash of the process,
  // not from a power loss). Called outside a transaction. PostgreSQL commits durably already.
  virtual void set_durable_commits(bool durable) {}
};

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
