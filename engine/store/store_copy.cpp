#include "engine/store/store_copy.h"

#include <set>

#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

namespace jimu {
namespace {

// A table or column name from the database's own catalogue, quoted for use in SQL.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Tables in creation order, so a table comes after the tables its foreign keys name.
std::vector<std::string> tables_of(SqlDb& db) {
  std::vector<std::string> out;
  auto rows = db.dialect() == "sqlite"
                  ? db.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                             "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
                  : db.query("SELECT c.relname FROM pg_class c "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind = 'r' AND n.nspname = current_schema() "
                             "ORDER BY c.oid");
  for (const auto& r : rows) {
    if (sql_text(r[0]) != "schema_version") out.push_back(sql_text(r[0]));
  }
  return out;
}

std::vector<std::string> columns_of(SqlDb& db, const std::string& table) {
  std::vector<std::string> out;
  auto rows = db.dialect() == "sqlite"
                  ? db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table})
                  : db.query("SELECT column_name FROM information_schema.columns "
                             "WHERE table_schema = current_schema() AND table_name = ? "
                             "ORDER BY ordinal_position",
                             {table});
  for (const auto& r : rows) out.push_back(sql_text(r[0]));
  return out;
}

int schema_version_of(SqlDb& db) {
  auto rows = db.query("SELECT MAX(version) FROM schema_version");
  return rows.empty() ? 0 : static_cast<int>(sql_int(rows[0][0]));
}

StoreInfo info_of(SqlDb& db) {
  StoreInfo info;
  info.dialect = db.dialect();
  info.schema_version = schema_version_of(db);
  for (const std::string& t : tables_of(db)) {
    auto rows = db.query("SELECT COUNT(*) FROM " + quoted(t));
    info.tables.push_back({t, rows.empty() ? 0 : sql_int(rows[0][0])});
  }
  return info;
}

// Opens the store once so its schema is created or brought up to date, then the bare connection.
Result<std::unique_ptr<SqlDb>> open_migrated(const StoreOptions& options) {
  {
    auto store = open_store(options);
    if (!store) return store.status();
  }
  return open_sql_db(options);
}

}  // namespace

Result<StoreInfo> store_info(const StoreOptions& options) {
  auto db = open_migrated(options);
  if (!db) return db.status();
  return store_guard([&]() -> Result<StoreInfo> { return info_of(**db); });
}

Result<StoreCopyReport> copy_store(const StoreOptions& from, const StoreOptions& to) {
  auto src = open_migrated(from);
  if (!src) return src.status();
  auto dst = open_migrated(to);
  if (!dst) return dst.status();
  SqlDb& s = **src;
  SqlDb& d = **dst;
  StoreCopyReport report;
  Status copied = store_guard([&]() -> Status {
    // One snapshot of the source for every table, even if a jimu writes to it meanwhile.
    s.exec(s.dialect() == "sqlite" ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    report.source = info_of(s);
    // The whole copy is one transaction on the target, under the store's write lock.
    SqlWriteTransaction tx(d);
    StoreInfo before = info_of(d);
    if (before.schema_version != report.source.schema_version) {
      return Status::conflict("the target store has schema version " +
                              std::to_string(before.schema_version) + ", the source " +
                              std::to_string(report.source.schema_version));
    }
    std::string held;
    for (const TableRows& t : before.tables) {
      if (t.rows > 0) {
        held += (held.empty() ? "" : ", ") + t.table + " " + std::to_string(t.rows);
      }
    }
    if (!held.empty()) {
      return Status::conflict("the target store is not empty (" + held +
                              " rows): migrate only into a new, empty database");
    }
    std::set<std::string> target_tables;
    for (const TableRows& t : before.tables) target_tables.insert(t.table);
    for (const TableRows& t : report.source.tables) {
      if (!target_tables.count(t.table)) {
        return Status::conflict("the target store has no table " + t.table);
      }
      std::vector<std::string> cols = columns_of(s, t.table);
      std::string list;
      for (const std::string& c : cols) list += (list.empty() ? "" : ", ") + quoted(c);
      std::string row_marks = "(";
      for (size_t i = 0; i < cols.size(); ++i) row_marks += i ? ", ?" : "?";
      row_marks += ")";
      // Rows go over in batches: one statement per row would cost a round trip each.
      const size_t per_batch = std::max<size_t>(1, 2000 / std::max<size_t>(1, cols.size()));
      auto rows = s.query("SELECT " + list + " FROM " + quoted(t.table));
      for (size_t at = 0; at < rows.size(); at += per_batch) {
        size_t n = std::min(per_batch, rows.size() - at);
        std::string sql = "INSERT INTO " + quoted(t.table) + " (" + list + ") VALUES ";
        std::vector<SqlValue> params;
        params.reserve(n * cols.size());
        for (size_t i = 0; i < n; ++i) {
          sql += i ? ", " + row_marks : row_marks;
          for (SqlValue& v : rows[at + i]) params.push_back(std::move(v));
        }
        d.exec(sql, params);
      }
    }
    if (d.dialect() == "postgresql") {
      // Identity columns hand out the next id after the copied ones.
      auto identities = d.query(
          "SELECT table_name, column_name FROM information_schema.columns "
          "WHERE table_schema = current_schema() AND is_identity = 'YES'");
      for (const auto& r : identities) {
        std::string table = sql_text(r[0]), col = sql_text(r[1]);
        d.query("SELECT setval(pg_get_serial_sequence(?, ?), MAX(" + quoted(col) + ")) FROM " +
                    quoted(table) + " HAVING MAX(" + quoted(col) + ") IS NOT NULL",
                {table, col});
      }
    }
    report.target = info_of(d);
    for (size_t i = 0; i < report.source.tables.size(); ++i) {
      const TableRows& a = report.source.tables[i];
      for (const TableRows& b : report.target.tables) {
        if (b.table == a.table && b.rows != a.rows) {
          return Status::internal("store copy: " + a.table + " has " + std::to_string(b.rows) +
                                  " rows on the target, " + std::to_string(a.rows) +
                                  " on the source");
        }
      }
    }
    tx.commit();
    s.exec("COMMIT");
    return Status::ok();
  });
  if (!copied) return copied;
  auto target = open_store(to);
  if (!target) return target.status();
  auto audit = verify_audit(**target);
  if (!audit) return audit.status();
  report.audit = std::move(audit).value();
  return report;
}

}  // namespace jimu
