// PgDb: SqlDb over one PostgreSQL connection through Poco::Data::PostgreSQL. The store's '?'
// placeholders become $1..$n (never inside string literals, quoted names, comments or dollar
// quotes); unique violations, serialization failures and deadlocks are SqlError::Kind::kConflict.
// begin_write() takes one transaction-scoped advisory lock (kStoreWriteLock), so writing
// transactions are serialised in the database exactly as SQLite's single writer serialises them:
// every read-then-write of the store (the audit chain head, mail claims, approvals) stays correct
// with several processes on several machines. Not thread-safe (one connection; the store's mutex
// serialises it).
#pragma once

#include <memory>
#include <string>

#include "engine/core/status.h"
#include "engine/store/sql_db.h"

namespace jimu {

// Where the PostgreSQL store lives. The password never comes from a URL or jimu.conf (cli/ reads
// it from the secrets file).
struct PgOptions {
  std::string host;
  int port = 5432;
  std::string user;
  std::string dbname;
  std::string password;
  int connect_timeout_s = 10;
};

// Parses postgresql://USER@HOST[:PORT]/DB (also postgres://). A password in the URL is refused
// (invalid), so it cannot end up in jimu.conf.
Result<PgOptions> parse_pg_url(const std::string& url);

// "HOST:PORT/DB as USER", for messages.
std::string pg_display(const PgOptions& o);

// The advisory lock key begin_write() takes ("jimu" in ASCII), public for tests and tools.
constexpr long long kStoreWriteLock = 0x6a696d75;

// Connects. Throws SqlError naming HOST:PORT: kRefused when the server cannot be reached,
// kAuth when it rejects the user or password, kOther otherwise (no such database, ...).
std::unique_ptr<SqlDb> open_pg_db(const PgOptions& options);

// The statement with '?' placeholders numbered $1..$n (exposed for tests).
std::string pg_placeholders(const std::string& sql);

}  // namespace jimu
