#include "engine/store/pg_db.h"

// The only place Poco::Data::PostgreSQL (and libpq) is included.
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionHandle.h>
#include <Poco/Data/PostgreSQL/Utility.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <libpq-fe.h>

#include <cctype>
#include <mutex>
#include <regex>

namespace jimu {

namespace {

using namespace Poco::Data::Keywords;

// A libpq keyword value, quoted so spaces and quotes in it stay one value.
std::string conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The first line of a libpq message without its "ERROR:  " and SQLSTATE prefix, and the
// SQLSTATE when the message carries one (PQERRORS_VERBOSE puts it there).
struct PgMessage {
  std::string sqlstate;
  std::string text;
};

PgMessage parse_message(const std::string& raw) {
  static const std::regex kVerbose("(?:ERROR|FATAL|PANIC):  ([0-9A-Z]{5}): ([^\\n]*)");
  std::smatch m;
  if (std::regex_search(raw, m, kVerbose)) return {m[1].str(), m[2].str()};
  std::string t = raw;
  size_t nl = t.find('\n');
  if (nl != std::string::npos) t.resize(nl);
  return {"", t};
}

SqlError statement_error(const Poco::Exception& e) {
  PgMessage m = parse_message(e.message());
  // 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock_detected.
  bool conflict = m.sqlstate == "23505" || m.sqlstate == "40001" || m.sqlstate == "40P01";
  return SqlError(m.text.empty() ? e.displayText() : m.text,
                  conflict ? SqlError::Kind::kConflict : SqlError::Kind::kOther);
}

class PgDb final : public SqlDb {
 public:
  explicit PgDb(const PgOptions& o) : options_(o), session_(connect(o)) {
    PGconn* conn = *Poco::Data::PostgreSQL::Utility::handle(session_);
    // Messages then carry the SQLSTATE, which is how a unique violation is told apart.
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    exec("SET client_min_messages = warning", {});
  }

  std::string dialect() const override { return "postgresql"; }

  void exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    reconnect_if_lost();
    try {
      Poco::Data::Statement st(session_);
      st << pg_placeholders(sql);
      bind_all(st, params);
      st.execute();
    } catch (const Poco::Exception& e) {
      throw statement_error(e);
    }
  }

  std::vector<SqlRow> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    reconnect_if_lost();
    try {
      Poco::Data::Statement st(session_);
      st << pg_placeholders(sql);
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
      throw statement_error(e);
    }
  }

  // READ COMMITTED takes a fresh snapshot per statement, so once the lock is held every read
  // sees what the previous holder committed: the same guarantee as SQLite's BEGIN IMMEDIATE.
  void begin_write() override {
    exec("BEGIN", {});
    in_transaction_ = true;
    try {
      exec("SELECT pg_advisory_xact_lock(" + std::to_string(kStoreWriteLock) + ")", {});
    } catch (...) {
      // No SqlWriteTransaction exists to roll back (its constructor is what failed).
      rollback();
      throw;
    }
  }
  void commit() override {
    in_transaction_ = false;
    exec("COMMIT", {});
  }
  void rollback() override {
    in_transaction_ = false;
    if (PQstatus(conn()) == CONNECTION_BAD) return;  // the server rolled it back with the link
    try {
      exec("ROLLBACK", {});
    } catch (const SqlError&) {  // the link went while rolling back: the server rolls back too
    }
  }

 private:
  PGconn* conn() { return *Poco::Data::PostgreSQL::Utility::handle(session_); }

  // A long-lived process (jimu serve) outlives a PostgreSQL restart or a cut connection: the
  // statement that met the lost connection failed (and its transaction with it, on the server
  // too); the next statement outside a transaction connects again (PQreset: same parameters,
  // same handle, so Poco's session stays valid). Inside a transaction it does not: what the
  // transaction did so far is gone, so it must fail as a whole.
  void reconnect_if_lost() {
    PGconn* c = conn();
    if (c == nullptr || PQstatus(c) != CONNECTION_BAD || in_transaction_) return;
    PQreset(c);
    if (PQstatus(c) != CONNECTION_OK) throw connect_error(options_, PQerrorMessage(c));
    Poco::Data::Statement st(session_);
    st << "SET client_min_messages = warning";
    st.execute();
  }

  static Poco::Data::Session connect(const PgOptions& o) {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
    std::string info = "host=" + conninfo_value(o.host) + " port=" + std::to_string(o.port) +
                       " dbname=" + conninfo_value(o.dbname) + " user=" + conninfo_value(o.user) +
                       " connect_timeout=" + std::to_string(o.connect_timeout_s) +
                       " application_name=jimu";
    if (!o.password.empty()) info += " password=" + conninfo_value(o.password);
    // Poco 1.11's SessionHandle::connect throws on a failed connection without PQfinish, leaking
    // libpq's connection object (~100 KB, seen by LeakSanitizer): a node retrying an unreachable
    // database would grow. So libpq tries first and reports the failure itself; Poco connects
    // only to a server that just accepted us (one more handshake per store opened).
    PGconn* probe = PQconnectdb(info.c_str());
    if (PQstatus(probe) != CONNECTION_OK) {
      std::string raw = probe ? PQerrorMessage(probe) : "out of memory";
      PQfinish(probe);
      throw connect_error(o, raw);
    }
    PQfinish(probe);
    try {
      return Poco::Data::Session("PostgreSQL", info);
    } catch (const Poco::Exception& e) {
      throw connect_error(o, e.message());
    }
  }

  static SqlError connect_error(const PgOptions& o, const std::string& raw) {
    PgMessage m = parse_message(raw);
    std::string why = m.text;
    // libpq: 'connection to server at "h" (addr), port p failed: <reason>'.
    size_t failed = why.find("failed: ");
    if (failed != std::string::npos) why = why.substr(failed + 8);
    SqlError::Kind kind = SqlError::Kind::kOther;
    if (raw.find("password authentication failed") != std::string::npos ||
        raw.find("no password supplied") != std::string::npos ||
        raw.find("role \"") != std::string::npos ||
        raw.find("no pg_hba.conf entry") != std::string::npos || m.sqlstate == "28P01" ||
        m.sqlstate == "28000") {
      kind = SqlError::Kind::kAuth;
    } else if (raw.find("Connection refused") != std::string::npos ||
               raw.find("could not translate host name") != std::string::npos ||
               raw.find("timeout expired") != std::string::npos ||
               raw.find("No route to host") != std::string::npos ||
               raw.find("Network is unreachable") != std::string::npos) {
      kind = SqlError::Kind::kRefused;
    }
    return SqlError("cannot connect to PostgreSQL at " + pg_display(o) + ": " + why, kind);
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

  PgOptions options_;
  Poco::Data::Session session_;
  bool in_transaction_ = false;
};

}  // namespace

std::string pg_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  auto copy_until = [&](const std::string& end) {
    size_t j = sql.find(end, i);
    j = j == std::string::npos ? sql.size() : j + end.size();
    out.append(sql, i, j - i);
    i = j;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // A doubled quote inside is two adjacent literals to this scan: same result.
      out += c;
      ++i;
      copy_until(std::string(1, c));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      copy_until("*/");
    } else if (c == '$' && (i == 0 || !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) ||
                                          sql[i - 1] == '_'))) {
      // Dollar quoting: $$...$$ or $tag$...$tag$.
      size_t j = i + 1;
      while (j < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) {
        ++j;
      }
      if (j < sql.size() && sql[j] == '$' &&
          !(j > i + 1 && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
        std::string tag = sql.substr(i, j - i + 1);
        out += tag;
        i = j + 1;
        copy_until(tag);
      } else {
        out += c;
        ++i;
      }
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Result<PgOptions> parse_pg_url(const std::string& url) {
  static const std::regex kUrl(
      "(postgresql|postgres)://([^@/:?#]+)(:[^@/]*)?@([^:/?#]+)(:([0-9]{1,5}))?/([^/?#]+)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    return Status::invalid("store url '" + url +
                           "' is not like postgresql://USER@HOST:PORT/DATABASE");
  }
  if (m[3].matched) {
    return Status::invalid("store url '" + m[1].str() + "://" + m[2].str() + ":***@" + m[4].str() +
                           "...' carries a password: remove it from the url and store it with "
                           "'jimu secret set store.password'");
  }
  PgOptions o;
  o.user = m[2].str();
  o.host = m[4].str();
  if (m[6].matched) {
    o.port = std::stoi(m[6].str());
    if (o.port < 1 || o.port > 65535) {
      return Status::invalid("store url '" + url + "': port " + m[6].str() +
                             " is not between 1 and 65535");
    }
  }
  o.dbname = m[7].str();
  return o;
}

std::string pg_display(const PgOptions& o) {
  return o.host + ":" + std::to_string(o.port) + "/" + o.dbname + " as " + o.user;
}

std::unique_ptr<SqlDb> open_pg_db(const PgOptions& options) {
  return std::make_unique<PgDb>(options);
}

}  // namespace jimu
