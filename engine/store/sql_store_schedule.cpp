// SqlStore's scheduler tables (schedule_records.h): schedules, jobs and nodes, in portable SQL.
//
// Claiming is the one place where several daemons race: the claim counts running jobs (the global
// limit, each workflow's overlap) and then marks the chosen jobs running, so those two steps must
// not interleave between daemons. On SQLite the write transaction holds the database's write lock
// from its start; on PostgreSQL a transaction-scoped advisory lock serialises claimers, and the
// rows are taken FOR UPDATE SKIP LOCKED.
#include <cstdint>
#include <map>

#include "engine/core/json_writer.h"
#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

namespace jimu {
namespace {

constexpr const char* kScheduleColumns =
    "id, workflow_id, workflow_path, kind, cron, calendar, on_holiday, business_day, missed, "
    "folder, pattern, stable_s, poll_s, overlap, params, owner, retry_attempts, retry_backoff_s, "
    "timeout_s, enabled, checked_through, created_by, created_at, updated_at";

constexpr const char* kJobColumns =
    "id, schedule_id, workflow_id, workflow_path, fire_key, trigger_kind, nominal, due_at, state, "
    "attempt, next_at, run_id, node, heartbeat_at, reason, params, file, actor, created_at, "
    "finished_at";

constexpr int64_t kClaimLockKey = 0x6a696d75;  // "jimu": the advisory lock claimers share (PG)
// A claim looks at ready jobs kClaimPage at a time, at most kClaimPages pages (a bound on the
// work of one claim when thousands of jobs wait for a few busy workflows).
constexpr int kClaimPage = 500;
constexpr int kClaimPages = 20;

std::vector<SqlValue> schedule_values(const ScheduleRecord& s) {
  return {s.id, s.workflow_id, s.workflow_path, s.kind, s.cron, s.calendar, s.on_holiday,
          s.business_day, s.missed, s.folder, s.pattern, s.stable_s, s.poll_s,
          int64_t{s.overlap}, s.params_json, s.owner, int64_t{s.retry_attempts},
          s.retry_backoff_s, s.timeout_s, int64_t{s.enabled}, s.checked_through, s.created_by,
          s.created_at, s.updated_at};
}

ScheduleRecord schedule_from_row(const SqlRow& r) {
  ScheduleRecord s;
  s.id = sql_text(r[0]);
  s.workflow_id = sql_text(r[1]);
  s.workflow_path = sql_text(r[2]);
  s.kind = sql_text(r[3]);
  s.cron = sql_text(r[4]);
  s.calendar = sql_text(r[5]);
  s.on_holiday = sql_text(r[6]);
  s.business_day = sql_text(r[7]);
  s.missed = sql_text(r[8]);
  s.folder = sql_text(r[9]);
  s.pattern = sql_text(r[10]);
  s.stable_s = sql_double(r[11]);
  s.poll_s = sql_double(r[12]);
  s.overlap = static_cast<int>(sql_int(r[13]));
  s.params_json = sql_text(r[14]);
  s.owner = sql_text(r[15]);
  s.retry_attempts = static_cast<int>(sql_int(r[16]));
  s.retry_backoff_s = sql_double(r[17]);
  s.timeout_s = sql_double(r[18]);
  s.enabled = sql_int(r[19]) != 0;
  s.checked_through = sql_int(r[20]);
  s.created_by = sql_text(r[21]);
  s.created_at = sql_int(r[22]);
  s.updated_at = sql_int(r[23]);
  return s;
}

JobRecord job_from_row(const SqlRow& r) {
  JobRecord j;
  j.id = sql_int(r[0]);
  j.schedule_id = sql_text(r[1]);
  j.workflow_id = sql_text(r[2]);
  j.workflow_path = sql_text(r[3]);
  j.fire_key = sql_text(r[4]);
  j.trigger = sql_text(r[5]);
  j.nominal = sql_text(r[6]);
  j.due_at = sql_int(r[7]);
  j.state = parse_job_state(sql_text(r[8])).value_or(JobState::kFailed);
  j.attempt = static_cast<int>(sql_int(r[9]));
  j.next_at = sql_int(r[10]);
  if (!sql_is_null(r[11])) j.run_id = sql_int(r[11]);
  j.node = sql_text(r[12]);
  j.heartbeat_at = sql_int(r[13]);
  j.reason = sql_text(r[14]);
  j.params_json = sql_text(r[15]);
  j.file = sql_text(r[16]);
  j.actor = sql_text(r[17]);
  j.created_at = sql_int(r[18]);
  if (!sql_is_null(r[19])) j.finished_at = sql_int(r[19]);
  return j;
}

std::vector<SqlValue> job_insert_values(const JobRecord& j) {
  return {j.schedule_id, j.workflow_id, j.workflow_path, j.fire_key, j.trigger, j.nominal,
          j.due_at, std::string(job_state_name(j.state)), int64_t{j.attempt},
          j.next_at != 0 ? j.next_at : j.due_at, j.reason, j.params_json, j.file, j.actor,
          j.created_at,
          j.state == JobState::kQueued ? SqlValue(SqlNull{}) : SqlValue(j.created_at)};
}

constexpr const char* kJobInsert =
    "INSERT INTO jobs (schedule_id, workflow_id, workflow_path, fire_key, trigger_kind, nominal, "
    "due_at, state, attempt, next_at, run_id, node, heartbeat_at, reason, params, file, actor, "
    "created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '', 0, ?, ?, ?, ?, ?, ?)";

std::string schedule_detail(const ScheduleRecord& s) {
  JsonWriter d;
  d.begin_object().field("workflow", s.workflow_id).field("path", s.workflow_path).field("kind", s.kind);
  if (s.kind == "cron") {
    d.field("cron", s.cron).field("calendar", s.calendar).field("on_holiday", s.on_holiday);
    if (!s.business_day.empty()) d.field("business_day", s.business_day);
    d.field("missed", s.missed);
  } else if (s.kind == "file") {
    d.field("folder", s.folder).field("pattern", s.pattern);
  }
  d.field("overlap", int64_t{s.overlap}).key("params").raw(s.params_json).end_object();
  return d.str();
}

}  // namespace

const char* job_state_name(JobState s) {
  switch (s) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kSucceeded: return "succeeded";
    case JobState::kFailed: return "failed";
    case JobState::kInterrupted: return "interrupted";
    case JobState::kSkipped: return "skipped";
    case JobState::kMissed: return "missed";
    case JobState::kCancelled: return "cancelled";
  }
  return "failed";
}

std::optional<JobState> parse_job_state(const std::string& s) {
  for (JobState st : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed,
                      JobState::kInterrupted, JobState::kSkipped, JobState::kMissed,
                      JobState::kCancelled}) {
    if (s == job_state_name(st)) return st;
  }
  return std::nullopt;
}

std::vector<ScheduleRecord> SqlStore::select_schedules(const std::string& where,
                                                       const std::vector<SqlValue>& params) {
  std::vector<ScheduleRecord> out;
  for (const auto& r : db_->query(std::string("SELECT ") + kScheduleColumns + " FROM schedules " +
                                      where + " ORDER BY id",
                                  params)) {
    out.push_back(schedule_from_row(r));
  }
  return out;
}

std::vector<JobRecord> SqlStore::select_jobs(const std::string& where,
                                             const std::vector<SqlValue>& params) {
  std::vector<JobRecord> out;
  for (const auto& r :
       db_->query(std::string("SELECT ") + kJobColumns + " FROM jobs " + where, params)) {
    out.push_back(job_from_row(r));
  }
  return out;
}

Status SqlStore::schedule_put(const ScheduleRecord& s, bool replace, const std::string& actor,
                              int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto existing = select_schedules("WHERE id = ?", {s.id});
    if (!existing.empty() && !replace) {
      return Status::conflict("schedule " + s.id + " exists already (use --replace to change it)");
    }
    ScheduleRecord rec = s;
    rec.updated_at = now_ms;
    if (existing.empty()) {
      rec.created_at = now_ms;
      rec.created_by = actor;
      rec.checked_through = now_ms;  // a new schedule does not make up fires before it existed
    } else {
      rec.created_at = existing[0].created_at;
      rec.created_by = existing[0].created_by;
      rec.checked_through = std::max(existing[0].checked_through, now_ms);
      db_->exec("DELETE FROM schedules WHERE id = ?", {s.id});
    }
    db_->exec(std::string("INSERT INTO schedules (") + kScheduleColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              schedule_values(rec));
    append_audit_tx(now_ms, actor, existing.empty() ? "schedule.add" : "schedule.replace",
                    "schedule:" + s.id, schedule_detail(rec));
    tx.commit();
    return Status::ok();
  });
}

Result<std::vector<ScheduleRecord>> SqlStore::schedules() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ScheduleRecord>> { return select_schedules("", {}); });
}

Result<std::optional<ScheduleRecord>> SqlStore::find_schedule(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<ScheduleRecord>> {
    auto rows = select_schedules("WHERE id = ?", {id});
    if (rows.empty()) return std::optional<ScheduleRecord>();
    return std::optional<ScheduleRecord>(rows[0]);
  });
}

Result<std::string> SqlStore::schedules_stamp() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::string> {
    auto rows = db_->query("SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM schedules");
    return std::to_string(sql_int(rows[0][0])) + ":" + std::to_string(sql_int(rows[0][1]));
  });
}

Status SqlStore::schedule_set_enabled(const std::string& id, bool enabled, const std::string& actor,
                                      int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto existing = select_schedules("WHERE id = ?", {id});
    if (existing.empty()) return Status::not_found("no schedule named " + id);
    if (existing[0].enabled == enabled) {
      return Status::conflict("schedule " + id + " is " + (enabled ? "enabled" : "disabled") +
                              " already");
    }
    db_->exec("UPDATE schedules SET enabled = ?, updated_at = ?, checked_through = ? WHERE id = ?",
              {int64_t{enabled}, now_ms, std::max(existing[0].checked_through, now_ms), id});
    if (!enabled) {
      db_->exec("UPDATE jobs SET state = 'cancelled', reason = ?, finished_at = ? "
                "WHERE schedule_id = ? AND state = 'queued'",
                {std::string("the schedule was disabled by ") + actor, now_ms, id});
    }
    append_audit_tx(now_ms, actor, enabled ? "schedule.enable" : "schedule.disable",
                    "schedule:" + id, "{}");
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::schedule_remove(const std::string& id, const std::string& actor, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto existing = select_schedules("WHERE id = ?", {id});
    if (existing.empty()) return Status::not_found("no schedule named " + id);
    db_->exec("DELETE FROM schedules WHERE id = ?", {id});
    db_->exec("UPDATE jobs SET state = 'cancelled', reason = ?, finished_at = ? "
              "WHERE schedule_id = ? AND state = 'queued'",
              {std::string("the schedule was removed by ") + actor, now_ms, id});
    append_audit_tx(now_ms, actor, "schedule.remove", "schedule:" + id,
                    schedule_detail(existing[0]));
    tx.commit();
    return Status::ok();
  });
}

Result<int> SqlStore::jobs_enqueue(const std::string& schedule_id, int64_t expected_through,
                                   int64_t through, const std::vector<JobRecord>& jobs) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int> {
    SqlWriteTransaction tx(*db_);
    auto moved = db_->query(
        "UPDATE schedules SET checked_through = ? WHERE id = ? AND checked_through = ? "
        "AND enabled = 1 RETURNING id",
        {through, schedule_id, expected_through});
    if (moved.empty()) return -1;
    int added = 0;
    for (const JobRecord& j : jobs) {
      auto rows = db_->query(std::string(kJobInsert) + " ON CONFLICT (schedule_id, fire_key) DO NOTHING RETURNING id",
                             job_insert_values(j));
      added += static_cast<int>(rows.size());
    }
    tx.commit();
    return added;
  });
}

Result<int64_t> SqlStore::job_add(const JobRecord& job) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int64_t> {
    SqlWriteTransaction tx(*db_);
    auto rows = db_->query(std::string(kJobInsert) + " ON CONFLICT (schedule_id, fire_key) DO NOTHING RETURNING id",
                           job_insert_values(job));
    if (rows.empty()) {
      return Status::conflict("schedule " + job.schedule_id + " has a job for " + job.fire_key +
                              " already");
    }
    int64_t id = sql_int(rows[0][0]);
    if (job.trigger == "manual") {
      JsonWriter d;
      d.begin_object().field("job", id).field("workflow", job.workflow_id).end_object();
      append_audit_tx(job.created_at, job.actor, "schedule.run_now", "schedule:" + job.schedule_id,
                      d.str());
    }
    tx.commit();
    return id;
  });
}

Result<std::vector<JobRecord>> SqlStore::jobs_claim(const std::string& node, int64_t now_ms,
                                                    int global_limit, int max) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<JobRecord>> {
    SqlWriteTransaction tx(*db_);
    const bool pg = db_->dialect() == "postgresql";
    if (pg) db_->query("SELECT pg_advisory_xact_lock(?)", {kClaimLockKey});
    std::map<std::string, int64_t> running;  // by workflow
    int64_t total = 0;
    for (const auto& r : db_->query(
             "SELECT workflow_id, COUNT(*) FROM jobs WHERE state = 'running' GROUP BY workflow_id")) {
      running[sql_text(r[0])] = sql_int(r[1]);
      total += sql_int(r[1]);
    }
    std::vector<JobRecord> claimed;
    if (total >= global_limit || max <= 0) return claimed;
    // Ready jobs in pages by (next_at, id): a page whose jobs all wait for their workflow's
    // own runs must not hide ready jobs of other workflows behind it.
    std::string sql = std::string("SELECT ") + kJobColumns +
                      " FROM jobs WHERE state = 'queued' AND next_at <= ? "
                      "AND (next_at > ? OR (next_at = ? AND id > ?)) ORDER BY next_at, id LIMIT " +
                      std::to_string(kClaimPage);
    if (pg) sql += " FOR UPDATE SKIP LOCKED";
    std::map<std::string, int> overlap;  // by schedule
    int64_t after_next = INT64_MIN, after_id = 0;
    for (int page = 0; page < kClaimPages; ++page) {
      if (total >= global_limit || static_cast<int>(claimed.size()) >= max) break;
      std::vector<JobRecord> ready;
      for (const auto& r : db_->query(sql, {now_ms, after_next, after_next, after_id})) {
        ready.push_back(job_from_row(r));
      }
      for (JobRecord& j : ready) {
        after_next = j.next_at;
        after_id = j.id;
        if (total >= global_limit || static_cast<int>(claimed.size()) >= max) break;
        auto ov = overlap.find(j.schedule_id);
        if (ov == overlap.end()) {
          auto rows = db_->query("SELECT overlap, enabled FROM schedules WHERE id = ?",
                                 {j.schedule_id});
          int limit = rows.empty() ? -1 : static_cast<int>(sql_int(rows[0][0]));
          ov = overlap.emplace(j.schedule_id, limit).first;
        }
        if (ov->second < 0) {  // its schedule is gone: nothing to run it by
          db_->exec("UPDATE jobs SET state = 'cancelled', reason = 'the schedule was removed', "
                    "finished_at = ? WHERE id = ?", {now_ms, j.id});
          continue;
        }
        int64_t& mine = running[j.workflow_id];
        if (ov->second > 0 && mine >= ov->second) continue;  // waits for the workflow's own runs
        db_->exec("UPDATE jobs SET state = 'running', node = ?, heartbeat_at = ?, "
                  "attempt = attempt + 1 WHERE id = ?",
                  {node, now_ms, j.id});
        j.state = JobState::kRunning;
        j.node = node;
        j.heartbeat_at = now_ms;
        j.attempt += 1;
        ++mine;
        ++total;
        claimed.push_back(j);
      }
      if (static_cast<int>(ready.size()) < kClaimPage) break;
    }
    tx.commit();
    return claimed;
  });
}

Status SqlStore::jobs_heartbeat(const std::string& node, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    db_->exec("UPDATE jobs SET heartbeat_at = ? WHERE node = ? AND state = 'running'",
              {now_ms, node});
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::job_settle(int64_t job_id, int attempt, JobState state, int64_t next_at,
                            const std::string& reason, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    auto rows = select_jobs("WHERE id = ?", {job_id});
    if (rows.empty()) return Status::not_found("job " + std::to_string(job_id) + " does not exist");
    const JobRecord& j = rows[0];
    if (j.state != JobState::kRunning) {
      return Status::conflict("job " + std::to_string(job_id) + " is " + job_state_name(j.state) +
                              ", not running");
    }
    if (j.attempt != attempt) {
      return Status::conflict("job " + std::to_string(job_id) + " runs attempt " +
                              std::to_string(j.attempt) + " on node " + j.node + ", not attempt " +
                              std::to_string(attempt));
    }
    if (state == JobState::kQueued) {
      db_->exec("UPDATE jobs SET state = 'queued', next_at = ?, node = '', reason = ? WHERE id = ?",
                {next_at, reason, job_id});
    } else {
      db_->exec("UPDATE jobs SET state = ?, reason = ?, finished_at = ? WHERE id = ?",
                {std::string(job_state_name(state)), reason, now_ms, job_id});
      if (state != JobState::kSucceeded) {
        JsonWriter d;
        d.begin_object()
            .field("schedule", j.schedule_id)
            .field("state", job_state_name(state))
            .field("attempts", int64_t{j.attempt});
        if (j.run_id) d.field("run", *j.run_id);
        d.field("reason", reason).end_object();
        append_audit_tx(now_ms, "scheduler", "job.gave_up", "job:" + std::to_string(job_id),
                        d.str());
      }
    }
    tx.commit();
    return Status::ok();
  });
}

Result<std::optional<JobRecord>> SqlStore::find_job(int64_t job_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<JobRecord>> {
    auto rows = select_jobs("WHERE id = ?", {job_id});
    if (rows.empty()) return std::optional<JobRecord>();
    return std::optional<JobRecord>(rows[0]);
  });
}

Result<std::vector<JobRecord>> SqlStore::jobs(const JobFilter& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<JobRecord>> {
    std::string where = "WHERE 1 = 1";
    std::vector<SqlValue> params;
    if (f.schedule_id) {
      where += " AND schedule_id = ?";
      params.emplace_back(*f.schedule_id);
    }
    if (f.due_from) {
      where += " AND due_at >= ?";
      params.emplace_back(*f.due_from);
    }
    if (f.due_to) {
      where += " AND due_at < ?";
      params.emplace_back(*f.due_to);
    }
    if (f.node) {
      where += " AND node = ?";
      params.emplace_back(*f.node);
    }
    if (!f.states.empty()) {
      where += " AND state IN (";
      for (size_t i = 0; i < f.states.size(); ++i) {
        where += i ? ", ?" : "?";
        params.emplace_back(std::string(job_state_name(f.states[i])));
      }
      where += ")";
    }
    where += " ORDER BY due_at DESC, id DESC LIMIT ?";
    params.emplace_back(int64_t{f.limit});
    return select_jobs(where, params);
  });
}

Result<std::optional<int64_t>> SqlStore::jobs_next_try(int64_t waiting_since, int64_t retry_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<int64_t>> {
    auto rows = db_->query(
        "SELECT MIN(CASE WHEN next_at <= ? THEN ? ELSE next_at END) FROM jobs "
        "WHERE state = 'queued'",
        {waiting_since, retry_at});
    if (rows.empty() || sql_is_null(rows[0][0])) return std::optional<int64_t>();
    return std::optional<int64_t>(sql_int(rows[0][0]));
  });
}

Status SqlStore::node_beat(const NodeRecord& n) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    db_->exec("DELETE FROM nodes WHERE id = ?", {n.id});
    db_->exec("INSERT INTO nodes (id, host, pid, version, started_at, heartbeat_at, stopping) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {n.id, n.host, n.pid, n.version, n.started_at, n.heartbeat_at, int64_t{n.stopping}});
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::node_remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    db_->exec("DELETE FROM nodes WHERE id = ?", {id});
    return Status::ok();
  });
}

Result<std::vector<NodeRecord>> SqlStore::nodes() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<NodeRecord>> {
    std::vector<NodeRecord> out;
    for (const auto& r : db_->query("SELECT id, host, pid, version, started_at, heartbeat_at, "
                                    "stopping FROM nodes ORDER BY id")) {
      out.push_back({sql_text(r[0]), sql_text(r[1]), sql_int(r[2]), sql_text(r[3]), sql_int(r[4]),
                     sql_int(r[5]), sql_int(r[6]) != 0});
    }
    return out;
  });
}

}  // namespace jimu
