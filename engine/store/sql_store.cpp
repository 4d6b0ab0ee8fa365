#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

#include <algorithm>
#include <map>
#include <regex>
#include <tuple>

#include "engine/calendar/civil_date.h"
#include "engine/core/json_writer.h"
#include "engine/core/process_identity.h"
#include "engine/store/audit_chain.h"
#include "engine/store/pg_db.h"
#include "engine/store/schema.h"
#include "engine/store/sqlite_db.h"

namespace jimu {
namespace {

constexpr const char* kRunColumns =
    "id, workflow_id, workflow_name, workflow_path, operation_id, trigger_kind, dry_run, status, "
    "started_at, ended_at, items, error, traceback, params, actor, owner";

SqlValue opt_text(const std::optional<std::string>& s) {
  return s ? SqlValue(*s) : SqlValue(SqlNull{});
}

RunRecord run_from_row(const SqlRow& r) {
  RunRecord run;
  run.id = sql_int(r[0]);
  run.workflow_id = sql_text(r[1]);
  run.workflow_name = sql_text(r[2]);
  run.workflow_path = sql_text(r[3]);
  if (!sql_is_null(r[4])) run.operation = sql_text(r[4]);
  run.trigger = sql_text(r[5]);
  run.dry_run = sql_int(r[6]) != 0;
  run.status = parse_run_status(sql_text(r[7])).value_or(RunStatus::kFailed);
  run.started_at = sql_int(r[8]);
  if (!sql_is_null(r[9])) run.ended_at = sql_int(r[9]);
  run.items = sql_int(r[10]);
  run.error = sql_text(r[11]);
  run.traceback = sql_text(r[12]);
  run.params_json = sql_text(r[13]);
  run.actor = sql_text(r[14]);
  run.owner = sql_text(r[15]);
  return run;
}

LogLevel parse_level(const std::string& s) {
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

}  // namespace

const char* run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::kRunning: return "running";
    case RunStatus::kSucceeded: return "succeeded";
    case RunStatus::kFailed: return "failed";
    case RunStatus::kInterrupted: return "interrupted";
  }
  return "failed";
}

std::optional<RunStatus> parse_run_status(const std::string& s) {
  if (s == "running") return RunStatus::kRunning;
  if (s == "succeeded") return RunStatus::kSucceeded;
  if (s == "failed") return RunStatus::kFailed;
  if (s == "interrupted") return RunStatus::kInterrupted;
  return std::nullopt;
}

const char* operation_kind_name(OperationKind k) {
  switch (k) {
    case OperationKind::kRpa: return "rpa";
    case OperationKind::kAi: return "ai";
    case OperationKind::kOtherIct: return "other_ict";
  }
  return "rpa";
}

std::optional<OperationKind> parse_operation_kind(const std::string& s) {
  if (s == "rpa") return OperationKind::kRpa;
  if (s == "ai") return OperationKind::kAi;
  if (s == "other_ict") return OperationKind::kOtherIct;
  return std::nullopt;
}

Status validate_operation(const Operation& op) {
  static const std::regex id_re("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  if (!std::regex_match(op.id, id_re)) {
    return Status::invalid("operation id '" + op.id +
                           "' must be 1 to 64 letters, digits, '_', '-' or '.'");
  }
  if (op.name.empty()) return Status::invalid("operation " + op.id + ": name must not be empty");
  if (op.division.empty()) {
    return Status::invalid("operation " + op.id + ": division must not be empty");
  }
  if (!CivilDate::parse_iso(op.go_live)) {
    return Status::invalid("operation " + op.id + ": go-live date '" + op.go_live +
                           "' is not a date like 2026-04-01");
  }
  if (op.retired) {
    if (!CivilDate::parse_iso(*op.retired)) {
      return Status::invalid("operation " + op.id + ": retired date '" + *op.retired +
                             "' is not a date like 2027-03-31");
    }
    if (*op.retired < op.go_live) {
      return Status::invalid("operation " + op.id + ": retired date " + *op.retired +
                             " is before its go-live date " + op.go_live);
    }
  }
  if (!(op.minutes_per_item >= 0) || op.minutes_per_item > 100000) {
    return Status::invalid("operation " + op.id + ": minutes per item must be between 0 and 100000");
  }
  return Status::ok();
}

SqlStore::SqlStore(std::unique_ptr<SqlDb> db, int utc_offset_minutes)
    : db_(std::move(db)), utc_offset_minutes_(utc_offset_minutes) {}

Result<std::unique_ptr<SqlStore>> SqlStore::open(std::unique_ptr<SqlDb> db, int utc_offset_minutes) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(db), utc_offset_minutes));
  try {
    store->migrate();
  } catch (const SqlError& e) {
    return Status::io(std::string("store: cannot prepare the schema: ") + e.what());
  }
  return store;
}

int SqlStore::schema_version() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto rows = db_->query("SELECT MAX(version) FROM schema_version");
  return rows.empty() ? 0 : static_cast<int>(sql_int(rows[0][0]));
}

void SqlStore::migrate() {
  // Inside the write transaction: on PostgreSQL two processes starting at once would otherwise
  // race on CREATE TABLE (both DDLs are transactional on both databases).
  SqlWriteTransaction tx(*db_);
  db_->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  auto rows = db_->query("SELECT MAX(version) FROM schema_version");
  int current = rows.empty() ? 0 : static_cast<int>(sql_int(rows[0][0]));
  int latest = store_migrations().empty() ? 0 : store_migrations().back().version;
  if (current > latest) {
    throw SqlError("the store has schema version " + std::to_string(current) +
                   ", newer than this jimu knows (" + std::to_string(latest) +
                   "): upgrade jimu before using this store");
  }
  for (const Migration& m : store_migrations()) {
    if (m.version <= current) continue;
    for (const std::string& sql : db_->dialect() == "sqlite" ? m.sqlite : m.postgresql) {
      db_->exec(sql);
    }
    db_->exec("INSERT INTO schema_version (version) VALUES (?)", {int64_t{m.version}});
  }
  tx.commit();
}

void SqlStore::append_audit_tx(int64_t at, const std::string& actor, const std::string& action,
                               const std::string& subject, const std::string& detail_json) {
  auto last = db_->query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  AuditEntry e;
  e.seq = last.empty() ? 1 : sql_int(last[0][0]) + 1;
  e.prev_hash = last.empty() ? kAuditGenesisHash : sql_text(last[0][1]);
  e.at = at;
  e.actor = actor;
  e.action = action;
  e.subject = subject;
  e.detail = detail_json;
  e.hash = audit_entry_hash(e);
  db_->exec(
      "INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at, e.actor, e.action, e.subject, e.detail, e.prev_hash, e.hash});
}

void SqlStore::insert_logs_tx(int64_t run_id, const std::vector<LogLine>& lines) {
  if (lines.empty()) return;
  auto rows = db_->query("SELECT COALESCE(MAX(seq), 0) FROM run_logs WHERE run_id = ?", {run_id});
  int64_t seq = rows.empty() ? 0 : sql_int(rows[0][0]);
  for (const LogLine& l : lines) {
    db_->exec("INSERT INTO run_logs (run_id, seq, at, level, message) VALUES (?, ?, ?, ?, ?)",
              {run_id, ++seq, l.at, std::string(log_level_name(l.level)), l.message});
  }
}

Result<int64_t> SqlStore::begin_run(const RunStart& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int64_t> {
    SqlWriteTransaction tx(*db_);
    std::string day = CivilDate::from_epoch_ms(s.started_at, utc_offset_minutes_).iso();
    auto rows = db_->query(
        "INSERT INTO runs (workflow_id, workflow_name, workflow_path, operation_id, trigger_kind, "
        "dry_run, status, started_at, started_day, params, actor, owner) "
        "VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?) RETURNING id",
        {s.workflow_id, s.workflow_name, s.workflow_path, opt_text(s.operation), s.trigger,
         int64_t{s.dry_run}, s.started_at, day, s.params_json, s.actor, s.owner});
    if (rows.empty()) return Status::internal("store: no id returned for the new run");
    int64_t id = sql_int(rows[0][0]);
    if (s.mail_claim) {
      // The claim goes with the run start: both or neither (issue 5, exactly once per message).
      const MailClaim& c = *s.mail_claim;
      std::vector<SqlValue> key = {c.workflow_id, c.account, c.folder, c.uid_validity, c.uid};
      auto held = db_->query(
          "SELECT run_id FROM mail_claims WHERE workflow_id = ? AND account = ? AND folder = ? "
          "AND uid_validity = ? AND uid = ?", key);
      if (c.previous_run_id == 0 ? !held.empty()
                                 : held.empty() || sql_int(held[0][0]) != c.previous_run_id) {
        return Status::conflict("mail " + c.account + "/" + c.folder + " UID " + c.uid +
                                " is claimed by another run already");
      }
      if (held.empty()) {
        db_->exec("INSERT INTO mail_claims (workflow_id, account, folder, uid_validity, uid, "
                  "message_id, run_id, attempts, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                  {c.workflow_id, c.account, c.folder, c.uid_validity, c.uid, c.message_id, id,
                   s.started_at});
      } else {
        key.insert(key.begin(), {id, s.started_at});
        db_->exec("UPDATE mail_claims SET run_id = ?, claimed_at = ?, attempts = attempts + 1 "
                  "WHERE workflow_id = ? AND account = ? AND folder = ? AND uid_validity = ? "
                  "AND uid = ?", key);
      }
    }
    if (s.job_id) {
      // The scheduler's attempt: linked with the start, so a job never has two live runs.
      auto linked = db_->query(
          "UPDATE jobs SET run_id = ? WHERE id = ? AND state = 'running' RETURNING id",
          {id, *s.job_id});
      if (linked.empty()) {
        return Status::conflict("job " + std::to_string(*s.job_id) +
                                " is not running any more (cancelled, or taken over by another "
                                "node)");
      }
    }
    JsonWriter d;
    d.begin_object().field("workflow", s.workflow_id).field("path", s.workflow_path);
    d.key("operation");
    if (s.operation) d.value(*s.operation); else d.null();
    d.field("trigger", s.trigger).field("dry_run", s.dry_run).key("params").raw(s.params_json);
    if (s.job_id) d.field("job", *s.job_id);
    d.end_object();
    append_audit_tx(s.started_at, s.actor, "run.start", "run:" + std::to_string(id), d.str());
    tx.commit();
    return id;
  });
}

Status SqlStore::heartbeat(int64_t run_id, int64_t items, const std::vector<LogLine>& lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    db_->exec("UPDATE runs SET items = ? WHERE id = ? AND status = 'running'", {items, run_id});
    insert_logs_tx(run_id, lines);
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::finish_run(int64_t run_id, RunStatus status, int64_t items, int64_t ended_at,
                            const std::string& error, const std::string& traceback,
                            const std::vector<LogLine>& lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto rows = db_->query("SELECT status, started_at, actor FROM runs WHERE id = ?", {run_id});
    if (rows.empty()) return Status::not_found("run " + std::to_string(run_id) + " does not exist");
    if (sql_text(rows[0][0]) != "running") {
      // Already finished (or marked interrupted by another process): the first word stands.
      return Status::conflict("run " + std::to_string(run_id) + " is already " +
                              sql_text(rows[0][0]));
    }
    insert_logs_tx(run_id, lines);
    db_->exec(
        "UPDATE runs SET status = ?, items = ?, ended_at = ?, error = ?, traceback = ? "
        "WHERE id = ?",
        {std::string(run_status_name(status)), items, ended_at, error, traceback, run_id});
    add_day_total_tx(run_id);
    JsonWriter d;
    d.begin_object()
        .field("status", run_status_name(status))
        .field("items", items)
        .field("duration_ms", ended_at - sql_int(rows[0][1]));
    if (!error.empty()) d.field("error", error);
    d.end_object();
    append_audit_tx(ended_at, sql_text(rows[0][2]), "run.end", "run:" + std::to_string(run_id),
                    d.str());
    tx.commit();
    return Status::ok();
  });
}

Result<std::vector<RunRecord>> SqlStore::list_runs(const RunFilter& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<RunRecord>> {
    std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE 1 = 1";
    std::vector<SqlValue> params;
    if (f.workflow_id) {
      sql += " AND workflow_id = ?";
      params.emplace_back(*f.workflow_id);
    }
    if (f.status) {
      sql += " AND status = ?";
      params.emplace_back(std::string(run_status_name(*f.status)));
    }
    if (f.since_ms) {
      sql += " AND started_at >= ?";
      params.emplace_back(*f.since_ms);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(int64_t{f.limit});
    std::vector<RunRecord> out;
    for (const auto& r : db_->query(sql, params)) out.push_back(run_from_row(r));
    return out;
  });
}

Result<RunRecord> SqlStore::get_run(int64_t run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<RunRecord> {
    auto rows = db_->query(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?", {run_id});
    if (rows.empty()) return Status::not_found("run " + std::to_string(run_id) + " does not exist");
    return run_from_row(rows[0]);
  });
}

Result<std::vector<LogLine>> SqlStore::run_logs(int64_t run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<LogLine>> {
    std::vector<LogLine> out;
    for (const auto& r : db_->query(
             "SELECT at, level, message FROM run_logs WHERE run_id = ? ORDER BY seq", {run_id})) {
      out.push_back({sql_int(r[0]), parse_level(sql_text(r[1])), sql_text(r[2])});
    }
    return out;
  });
}

Result<int> SqlStore::recover_interrupted(const std::function<bool(const std::string&)>& alive,
                                          const std::string& actor, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int> {
    int count = 0;
    for (const auto& r : db_->query("SELECT id, owner, actor FROM runs WHERE status = 'running'")) {
      std::string owner = sql_text(r[1]);
      if (alive(owner)) continue;
      int64_t id = sql_int(r[0]);
      SqlWriteTransaction tx(*db_);
      // Another process (another node, on PostgreSQL) may have marked it or seen it finish since
      // the list was read: under the write lock, only a run still running is marked, once.
      auto now = db_->query("SELECT status FROM runs WHERE id = ?", {id});
      if (now.empty() || sql_text(now[0][0]) != "running") continue;
      ProcessIdentity pid;
      std::string who = ProcessIdentity::parse(owner, &pid)
                            ? "process " + std::to_string(pid.pid) + " on " + pid.host
                            : "its process";
      std::string error = "interrupted: " + who +
                          " ended before the run finished (killed, crashed or power lost)";
      JsonWriter d;
      d.begin_object().field("status", "interrupted").field("owner", owner).end_object();
      if (interrupt_run_tx(id, error, d.str(), actor, now_ms)) ++count;
      tx.commit();
    }
    return count;
  });
}

void SqlStore::add_day_total_tx(int64_t run_id) {
  db_->exec(
      "INSERT INTO run_day_totals (day, operation_id, status, dry_run, runs, items) "
      "SELECT started_day, COALESCE(operation_id, ''), status, dry_run, 1, items FROM runs "
      "WHERE id = ? ON CONFLICT (day, operation_id, status, dry_run) DO UPDATE SET "
      "runs = run_day_totals.runs + 1, items = run_day_totals.items + excluded.items",
      {run_id});
}

bool SqlStore::interrupt_run_tx(int64_t run_id, const std::string& error,
                                const std::string& detail_json, const std::string& actor,
                                int64_t now_ms) {
  auto changed = db_->query(
      "UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? "
      "WHERE id = ? AND status = 'running' RETURNING id",
      {now_ms, error, run_id});
  if (changed.empty()) return false;
  add_day_total_tx(run_id);
  append_audit_tx(now_ms, actor, "run.interrupted", "run:" + std::to_string(run_id), detail_json);
  return true;
}

Status SqlStore::interrupt_run(int64_t run_id, const std::string& reason, const std::string& actor,
                               int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    JsonWriter d;
    d.begin_object().field("status", "interrupted").field("reason", reason).end_object();
    if (!interrupt_run_tx(run_id, "interrupted: " + reason, d.str(), actor, now_ms)) {
      return Status::conflict("run " + std::to_string(run_id) + " is not running");
    }
    tx.commit();
    return Status::ok();
  });
}

std::vector<Operation> SqlStore::select_operations(const std::string& where,
                                                   const std::vector<SqlValue>& params) {
  std::vector<Operation> out;
  for (const auto& r : db_->query(
           "SELECT id, name, division, kind, go_live, retired, minutes_per_item, manual, "
           "created_at FROM operations " + where + " ORDER BY id",
           params)) {
    Operation op;
    op.id = sql_text(r[0]);
    op.name = sql_text(r[1]);
    op.division = sql_text(r[2]);
    op.kind = parse_operation_kind(sql_text(r[3])).value_or(OperationKind::kRpa);
    op.go_live = sql_text(r[4]);
    if (!sql_is_null(r[5])) op.retired = sql_text(r[5]);
    op.minutes_per_item = sql_double(r[6]);
    op.manual = sql_int(r[7]) != 0;
    op.created_at = sql_int(r[8]);
    out.push_back(std::move(op));
  }
  return out;
}

Status SqlStore::add_operation(const Operation& op, const std::string& actor) {
  if (Status v = validate_operation(op); !v) return v;
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    if (!select_operations("WHERE id = ?", {op.id}).empty()) {
      return Status::conflict("operation " + op.id + " is already registered");
    }
    db_->exec(
        "INSERT INTO operations (id, name, division, kind, go_live, retired, minutes_per_item, "
        "manual, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {op.id, op.name, op.division, std::string(operation_kind_name(op.kind)), op.go_live,
         opt_text(op.retired), op.minutes_per_item, int64_t{op.manual}, op.created_at});
    JsonWriter d;
    d.begin_object()
        .field("name", op.name)
        .field("division", op.division)
        .field("kind", operation_kind_name(op.kind))
        .field("go_live", op.go_live)
        .field("minutes_per_item", op.minutes_per_item)
        .field("manual", op.manual)
        .end_object();
    append_audit_tx(op.created_at, actor, "operation.add", "operation:" + op.id, d.str());
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::retire_operation(const std::string& id, const std::string& date,
                                  const std::string& actor, int64_t now_ms) {
  if (!CivilDate::parse_iso(date)) {
    return Status::invalid("retired date '" + date + "' is not a date like 2027-03-31");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto ops = select_operations("WHERE id = ?", {id});
    if (ops.empty()) return Status::not_found("operation " + id + " is not registered");
    if (ops[0].retired) {
      return Status::conflict("operation " + id + " is already retired (since " +
                              *ops[0].retired + ")");
    }
    if (date < ops[0].go_live) {
      return Status::invalid("operation " + id + ": retired date " + date +
                             " is before its go-live date " + ops[0].go_live);
    }
    db_->exec("UPDATE operations SET retired = ? WHERE id = ?", {date, id});
    JsonWriter d;
    d.begin_object().field("retired", date).end_object();
    append_audit_tx(now_ms, actor, "operation.retire", "operation:" + id, d.str());
    tx.commit();
    return Status::ok();
  });
}

Result<std::vector<Operation>> SqlStore::list_operations() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<Operation>> { return select_operations("", {}); });
}

Result<std::optional<Operation>> SqlStore::find_operation(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<Operation>> {
    auto ops = select_operations("WHERE id = ?", {id});
    if (ops.empty()) return std::optional<Operation>();
    return std::optional<Operation>(ops[0]);
  });
}

Result<std::optional<MailClaimState>> SqlStore::find_mail_claim(const MailClaim& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<MailClaimState>> {
    auto rows = db_->query(
        "SELECT m.run_id, m.attempts, r.status FROM mail_claims m JOIN runs r ON r.id = m.run_id "
        "WHERE m.workflow_id = ? AND m.account = ? AND m.folder = ? AND m.uid_validity = ? "
        "AND m.uid = ?",
        {c.workflow_id, c.account, c.folder, c.uid_validity, c.uid});
    if (rows.empty()) return std::optional<MailClaimState>();
    MailClaimState st;
    st.run_id = sql_int(rows[0][0]);
    st.attempts = static_cast<int>(sql_int(rows[0][1]));
    st.status = parse_run_status(sql_text(rows[0][2])).value_or(RunStatus::kFailed);
    return std::optional<MailClaimState>(st);
  });
}

Status SqlStore::append_audit(int64_t at, const std::string& actor, const std::string& action,
                              const std::string& subject, const std::string& detail_json) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    append_audit_tx(at, actor, action, subject, detail_json);
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::scan_audit(const std::function<bool(const AuditEntry&)>& fn) {
  constexpr int64_t kPage = 5000;
  int64_t after = -1;
  for (;;) {
    std::vector<SqlRow> rows;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      try {
        rows = db_->query(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit "
            "WHERE seq > ? ORDER BY seq LIMIT ?",
            {after, kPage});
      } catch (const SqlError& e) {
        return sql_error_status(e);
      }
    }
    for (const auto& r : rows) {
      AuditEntry e{sql_int(r[0]),  sql_int(r[1]),  sql_text(r[2]), sql_text(r[3]),
                   sql_text(r[4]), sql_text(r[5]), sql_text(r[6]), sql_text(r[7])};
      after = e.seq;
      if (!fn(e)) return Status::ok();
    }
    if (static_cast<int64_t>(rows.size()) < kPage) return Status::ok();
  }
}

Result<std::vector<int64_t>> SqlStore::run_ids() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (const auto& r : db_->query("SELECT id FROM runs ORDER BY id")) out.push_back(sql_int(r[0]));
    return out;
  });
}

Result<std::vector<KpiFact>> SqlStore::kpi_facts(const std::string& from_day,
                                                 const std::string& to_day) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<KpiFact>> {
    // Finished runs from the day totals (migration 7), running ones from runs; grouped by month
    // here.
    std::map<std::tuple<std::optional<std::string>, std::string, std::string>, KpiFact> months;
    auto rows = db_->query(
        "SELECT NULLIF(operation_id, ''), day, status, runs, items FROM run_day_totals "
        "WHERE dry_run = 0 AND day >= ? AND day <= ?",
        {from_day, to_day});
    for (auto& r : db_->query(
             "SELECT operation_id, started_day, status, COUNT(*), COALESCE(SUM(items), 0) "
             "FROM runs WHERE status = 'running' AND dry_run = 0 AND started_day >= ? "
             "AND started_day <= ? GROUP BY started_day, operation_id, status",
             {from_day, to_day})) {
      rows.push_back(std::move(r));
    }
    for (const auto& r : rows) {
      std::optional<std::string> op;
      if (!sql_is_null(r[0])) op = sql_text(r[0]);
      std::string month = sql_text(r[1]).substr(0, 7);
      std::string status = sql_text(r[2]);
      KpiFact& f = months[{op, month, status}];
      if (f.month.empty()) {
        f.operation = op;
        f.month = month;
        f.status = parse_run_status(status).value_or(RunStatus::kFailed);
      }
      f.runs += sql_int(r[3]);
      f.items += sql_int(r[4]);
    }
    std::vector<KpiFact> out;
    out.reserve(months.size());
    for (auto& [key, f] : months) out.push_back(std::move(f));
    return out;
  });
}

Result<std::vector<RunRecord>> SqlStore::kpi_failures(const std::string& from_day,
                                                      const std::string& to_day, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<RunRecord>> {
    std::vector<RunRecord> out;
    // runs_by_day narrows to the year; the sort is over that year's failures only.
    for (const auto& r : db_->query(
             "SELECT id, workflow_id, workflow_name, workflow_path, operation_id, trigger_kind, "
             "dry_run, status, started_at, ended_at, items, error, '', '', actor, owner "
             "FROM runs WHERE dry_run = 0 AND started_day >= ? AND started_day <= ? "
             "AND status IN ('failed', 'interrupted') ORDER BY started_at DESC, id DESC LIMIT ?",
             {from_day, to_day, int64_t{std::max(limit, 0)}})) {
      out.push_back(run_from_row(r));
    }
    return out;
  });
}

Result<std::unique_ptr<Store>> open_sqlite_store(const StoreOptions& options) {
  std::unique_ptr<SqlDb> db;
  try {
    db = open_sqlite_db(options.sqlite_path, options.busy_timeout_ms);
  } catch (const SqlError& e) {
    return Status::io(std::string("store: cannot open ") + e.what());
  }
  auto store = SqlStore::open(std::move(db), options.utc_offset_minutes);
  if (!store) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

Result<std::unique_ptr<SqlDb>> open_sql_db(const StoreOptions& options) {
  const std::string& url = options.url;
  if (url.empty() || url.rfind("sqlite:", 0) == 0) {
    std::string path = url.empty() ? options.sqlite_path : url.substr(7);
    if (path.empty()) return Status::invalid("store url 'sqlite:' names no file");
    try {
      return open_sqlite_db(path, options.busy_timeout_ms);
    } catch (const SqlError& e) {
      return Status::io(std::string("store: cannot open ") + e.what());
    }
  }
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return Status::invalid("store url '" + url +
                           "' is neither sqlite:PATH nor postgresql://USER@HOST:PORT/DATABASE");
  }
  auto pg = parse_pg_url(url);
  if (!pg) return pg.status();
  PgOptions po = pg.value();
  po.password = options.password;
  try {
    return open_pg_db(po);
  } catch (const SqlError& e) {
    return sql_error_status(e);
  }
}

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  auto db = open_sql_db(options);
  if (!db) return db.status();
  auto store = SqlStore::open(std::move(db).value(), options.utc_offset_minutes);
  if (!store) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace jimu
