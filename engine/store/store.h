// Store: where jimu records runs, their logs, the registry of operations (業務) and the audit
// trail. DESIGN.md section 8.
//
// Guarantees every implementation keeps:
// - A run's start and end, each with its audit entry, are written in one transaction each.
// - A run whose process died shows as interrupted once recover_interrupted() has run (jimu calls
//   it whenever it opens the store); interrupted runs are never counted.
// - The audit trail is append-only and hash-chained (audit_chain.h); appends are serialised.
// Implementations are thread-safe: the runner heartbeats from a watchdog thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/log_level.h"
#include "engine/store/approval_records.h"
#include "engine/store/schedule_records.h"
#include "engine/store/user_records.h"

namespace jimu {

enum class RunStatus { kRunning, kSucceeded, kFailed, kInterrupted };
const char* run_status_name(RunStatus s);  // "running", "succeeded", ...
std::optional<RunStatus> parse_run_status(const std::string& s);

// A mail message claimed by a mail-triggered run (issue 5): which message, and by which run.
// begin_run records the claim in the same transaction as the run's start, so a message is claimed
// exactly when a run for it exists. A message is named by account + folder + UIDVALIDITY + UID.
struct MailClaim {
  std::string workflow_id;
  std::string account;
  std::string folder;
  std::string uid_validity;  // "" for POP3 (UIDL values are stable on their own)
  std::string uid;
  std::string message_id;
  // 0 for a first attempt (fails with conflict when the message is claimed already); otherwise the
  // run of the previous attempt, which this one replaces only if the claim still names it.
  int64_t previous_run_id = 0;
};

// What the store knows of a claimed message: its latest run and how many runs it had.
struct MailClaimState {
  int64_t run_id = 0;
  int attempts = 0;
  RunStatus status = RunStatus::kRunning;  // of run_id
};

struct RunStart {
  std::string workflow_id;
  std::string workflow_name;
  std::string workflow_path;
  std::optional<std::string> operation;
  std::string trigger = "manual";  // manual | schedule | mail | file | approval
  bool dry_run = false;
  std::string params_json = "{}";
  std::string actor;   // who started it (OS user, web user, "scheduler")
  std::string owner;   // ProcessIdentity of the process running it
  int64_t started_at = 0;  // ms since the epoch, UTC
  std::optional<MailClaim> mail_claim;  // mail-triggered runs: claimed with the start
  // Runs the scheduler started: the job this run is an attempt of, linked with the start. Fails
  // with conflict when the job is no longer running (cancelled, or taken over by another node).
  std::optional<int64_t> job_id;
};

struct RunRecord {
  int64_t id = 0;
  std::string workflow_id;
  std::string workflow_name;
  std::string workflow_path;
  std::optional<std::string> operation;
  std::string trigger;
  bool dry_run = false;
  RunStatus status = RunStatus::kRunning;
  int64_t started_at = 0;
  std::optional<int64_t> ended_at;
  int64_t items = 0;
  std::string error;
  std::string traceback;
  std::string params_json;
  std::string actor;
  std::string owner;
};

struct LogLine {
  int64_t at = 0;
  LogLevel level = LogLevel::kInfo;
  std::string message;
};

struct RunFilter {
  std::optional<std::string> workflow_id;
  std::optional<RunStatus> status;
  std::optional<int64_t> since_ms;  // started at or after
  int limit = 20;                   // newest first
};

enum class OperationKind { kRpa, kAi, kOtherIct };
const char* operation_kind_name(OperationKind k);  // "rpa", "ai", "other_ict"
std::optional<OperationKind> parse_operation_kind(const std::string& s);

struct Operation {
  std::string id;        // "GYO-012"
  std::string name;      // "口座振替結果点検"
  std::string division;  // "税務課"
  OperationKind kind = OperationKind::kRpa;
  std::string go_live;   // "2026-04-01"
  std::optional<std::string> retired;  // "2027-03-31"
  double minutes_per_item = 0;  // manual minutes one item took before automation
  bool manual = false;  // done by another tool: counted when active, not from jimu's runs
  int64_t created_at = 0;
};

struct AuditEntry {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;
  std::string action;   // "run.start", "run.end", "operation.add", ...
  std::string subject;  // "run:42", "operation:GYO-012"
  std::string detail;   // JSON object
  std::string prev_hash;
  std::string hash;
};

// Runs grouped for the KPI: one row per (operation, month, status) over non-dry runs.
struct KpiFact {
  std::optional<std::string> operation;
  std::string month;  // "2026-04"
  RunStatus status = RunStatus::kSucceeded;
  int64_t runs = 0;
  int64_t items = 0;
};

// A decision recorded from the document-management system's export (DESIGN.md section 2):
// made electronically, on paper, or excluded as unsuited to electronic approval (with why).
struct RecordedDecision {
  std::string id;          // the source system's document id
  std::string division;
  std::string decided_on;  // "2026-11-30"
  std::string method;      // electronic | paper | excluded
  std::string reason;      // required for excluded, else ""
};

// A received document (収受) from the export: registered electronically or on paper.
struct ReceivedDocument {
  std::string id;
  std::string division;
  std::string received_on;  // "2026-11-02"
  bool electronic = false;
};

// Documents grouped for the KPI: one row per (division, kind). kind is "routed" (jimu's own
// routes decided approved or rejected: electronic by definition), "electronic", "paper" or
// "excluded" (recorded decisions), "received_electronic" or "received_paper".
struct DocumentFact {
  std::string division;
  std::string kind;
  int64_t count = 0;
};

// Check the fields before they are recorded: invalid naming the field.
Status validate_recorded_decision(const RecordedDecision& d);
Status validate_received_document(const ReceivedDocument& r);

class Store {
 public:
  virtual ~Store() = default;

  // Runs.
  virtual Result<int64_t> begin_run(const RunStart& start) = 0;
  virtual Status heartbeat(int64_t run_id, int64_t items, const std::vector<LogLine>& lines) = 0;
  virtual Status finish_run(int64_t run_id, RunStatus status, int64_t items, int64_t ended_at,
                            const std::string& error, const std::string& traceback,
                            const std::vector<LogLine>& lines) = 0;
  virtual Result<std::vector<RunRecord>> list_runs(const RunFilter& filter) = 0;
  virtual Result<RunRecord> get_run(int64_t run_id) = 0;
  virtual Result<std::vector<LogLine>> run_logs(int64_t run_id) = 0;
  // Marks running runs whose owner is not alive as interrupted; returns how many.
  virtual Result<int> recover_interrupted(const std::function<bool(const std::string&)>& alive,
                                          const std::string& actor, int64_t now_ms) = 0;

  // The registry of operations.
  virtual Status add_operation(const Operation& op, const std::string& actor) = 0;
  virtual Status retire_operation(const std::string& id, const std::string& date,
                                  const std::string& actor, int64_t now_ms) = 0;
  virtual Result<std::vector<Operation>> list_operations() = 0;
  virtual Result<std::optional<Operation>> find_operation(const std::string& id) = 0;
  // The claim of a message (MailClaim's key fields; previous_run_id and message_id are ignored).
  virtual Result<std::optional<MailClaimState>> find_mail_claim(const MailClaim& key) = 0;

  // The audit trail.
  virtual Status append_audit(int64_t at, const std::string& actor, const std::string& action,
                              const std::string& subject, const std::string& detail_json) = 0;
  // Calls fn for every entry in order of seq until fn returns false.
  virtual Status scan_audit(const std::function<bool(const AuditEntry&)>& fn) = 0;
  // Ids of all runs (for the audit cross-check).
  virtual Result<std::vector<int64_t>> run_ids() = 0;

  // The KPI's input: non-dry runs started on local days from..to (inclusive, "YYYY-MM-DD").
  virtual Result<std::vector<KpiFact>> kpi_facts(const std::string& from_day,
                                                 const std::string& to_day) = 0;
  // The report's failures: non-dry failed and interrupted runs started on local days from..to,
  // newest first, at most limit of them (traceback and params left empty: a report does not show
  // them).
  virtual Result<std::vector<RunRecord>> kpi_failures(const std::string& from_day,
                                                      const std::string& to_day, int limit) = 0;

  // Approval routing (engine/approval decides; the store keeps the records, approval_records.h).
  // Every write that records a decision is committed durably (fsync) before it returns.
  // Creates the document (numbering it "D-N" when its id is empty) with its submit event; returns
  // the id. conflict when the id exists.
  virtual Result<std::string> approval_create(const ApprovalDocument& doc,
                                               const ApprovalEvent& submitted) = 0;
  // Applies each update to its stored document in ONE durable transaction (group commit): change
  // sees the document, edits it and lists its events; the store writes the edits, the history,
  // an audit entry per event and the after-reviews. An update whose change fails (or whose
  // document does not exist: not_found) leaves nothing behind and does not affect the others.
  // Returns one Status per update, or a store error for all of them (then nothing is written).
  // change must not call the store.
  virtual Result<std::vector<Status>> approval_update(const std::vector<ApprovalUpdate>& updates) = 0;
  virtual Result<std::optional<ApprovalDocument>> approval_document(const std::string& id) = 0;
  virtual Result<std::vector<ApprovalEvent>> approval_history(const std::string& id) = 0;
  virtual Result<std::vector<ApprovalDocument>> approval_documents(const ApprovalFilter& filter) = 0;
  // Documents waiting for any of users: a pending approval, or (for users[0] alone, the user
  // themself) a document of theirs sent back for resubmission.
  virtual Result<std::vector<ApprovalInboxItem>> approval_inbox(
      const std::vector<std::string>& users, int limit) = 0;
  virtual Result<int64_t> approval_add_delegation(const ApprovalDelegation& d,
                                                  const std::string& actor) = 0;
  // Delegations where user is the delegator or the proxy ("" for all).
  virtual Result<std::vector<ApprovalDelegation>> approval_delegations(const std::string& user) = 0;
  // After-reviews of absent user ("" any) on document_id ("" any), oldest first.
  virtual Result<std::vector<ApprovalAfterReview>> approval_after_reviews(
      const std::string& user, const std::string& document_id, bool include_acknowledged) = 0;
  // Acknowledges user's open after-reviews of document_id; returns how many.
  virtual Result<int> approval_acknowledge(const std::string& document_id, const std::string& user,
                                           int64_t at) = 0;
  // Active steps whose due date is before today ("YYYY-MM-DD").
  virtual Result<std::vector<ApprovalOverdueStep>> approval_overdue_steps(
      const std::string& today) = 0;
  // Records a notice unless one of its kind exists for the step's activation; true if recorded.
  virtual Result<bool> approval_add_notice(const ApprovalNotice& notice) = 0;
  virtual Result<std::vector<ApprovalNotice>> approval_notices(int limit) = 0;

  // Documents of the management system's export (sql_store_documents.cpp). Recording an id again
  // replaces its record (re-importing an export does not count twice); each with an audit entry.
  virtual Status record_decision(const RecordedDecision& d, const std::string& actor,
                                 int64_t now_ms) = 0;
  virtual Status record_receipt(const ReceivedDocument& r, const std::string& actor,
                                int64_t now_ms) = 0;
  // Decisions and receipts on local days from..to (inclusive), and jimu's routes decided then.
  // A route whose id is also a recorded decision counts once, as the recorded decision.
  virtual Result<std::vector<DocumentFact>> document_facts(const std::string& from_day,
                                                           const std::string& to_day) = 0;

  // The scheduler (sql_store_schedule.cpp, schedule_records.h). Changes to schedules and run-now
  // requests are audit entries; the jobs are the scheduler's own bookkeeping.
  // Adds a schedule (conflict when the id exists, unless replace).
  virtual Status schedule_put(const ScheduleRecord& s, bool replace, const std::string& actor,
                              int64_t now_ms) = 0;
  virtual Result<std::vector<ScheduleRecord>> schedules() = 0;
  virtual Result<std::optional<ScheduleRecord>> find_schedule(const std::string& id) = 0;
  // Changes whenever a schedule is added, replaced, enabled, disabled or removed: a daemon reads
  // the schedules again only then.
  virtual Result<std::string> schedules_stamp() = 0;
  // Enabling starts from now: fires while it was disabled are not made up. Disabling or removing
  // cancels its queued jobs; running ones finish.
  virtual Status schedule_set_enabled(const std::string& id, bool enabled, const std::string& actor,
                                      int64_t now_ms) = 0;
  virtual Status schedule_remove(const std::string& id, const std::string& actor, int64_t now_ms) = 0;
  // Turns fires into jobs: inserts jobs (a key already present is left alone) and moves the
  // schedule's checked_through from expected to through, in one transaction. Returns how many
  // jobs were new; -1 when checked_through was not expected any more (another daemon did it).
  virtual Result<int> jobs_enqueue(const std::string& schedule_id, int64_t expected_through,
                                   int64_t through, const std::vector<JobRecord>& jobs) = 0;
  // One job (run now, a file that arrived): its id, or conflict when its key exists.
  virtual Result<int64_t> job_add(const JobRecord& job) = 0;
  // Claims queued jobs whose next_at has come, oldest first, for node: at most max, keeping
  // at most global_limit jobs running across all nodes and each workflow within its schedule's
  // overlap. Claimed jobs are running, with attempt + 1 and heartbeat now.
  virtual Result<std::vector<JobRecord>> jobs_claim(const std::string& node, int64_t now_ms,
                                                    int global_limit, int max) = 0;
  // Renews the heartbeat of the jobs node runs.
  virtual Status jobs_heartbeat(const std::string& node, int64_t now_ms) = 0;
  // Ends or requeues a claimed job: state queued (a retry at next_at) or final. attempt is the
  // claim being settled: conflict when the job is not running that attempt any more (a node
  // that took it over from a stale snapshot must not settle the next node's claim).
  virtual Status job_settle(int64_t job_id, int attempt, JobState state, int64_t next_at,
                            const std::string& reason, int64_t now_ms) = 0;
  virtual Result<std::optional<JobRecord>> find_job(int64_t job_id) = 0;
  virtual Result<std::vector<JobRecord>> jobs(const JobFilter& filter) = 0;
  // When the daemon should next try to claim (ms), or nullopt when nothing is queued: the
  // earliest next_at of the queued jobs, where a job that was ready at waiting_since (the last
  // claim left it queued: a limit was full) counts as ready at retry_at instead.
  virtual Result<std::optional<int64_t>> jobs_next_try(int64_t waiting_since, int64_t retry_at) = 0;
  // Marks one running run interrupted (its node lost its lease, or the daemon gave up waiting at
  // shutdown); conflict when it is not running.
  virtual Status interrupt_run(int64_t run_id, const std::string& reason, const std::string& actor,
                               int64_t now_ms) = 0;
  // The daemons: registered and beating while they run.
  virtual Status node_beat(const NodeRecord& node) = 0;
  virtual Status node_remove(const std::string& id) = 0;
  virtual Result<std::vector<NodeRecord>> nodes() = 0;
  // Users of the web pages (sql_store_users.cpp). Every change is an audit entry by actor,
  // written in the same transaction; the entries never contain a hash.
  // conflict when the name exists; invalid for a bad name or role.
  virtual Status add_user(const User& user, const std::string& actor, int64_t now_ms) = 0;
  // not_found when there is no such user. A new password or disabling ends their sessions.
  virtual Status update_user(const std::string& name, const UserUpdate& update,
                             const std::string& actor, int64_t now_ms) = 0;
  virtual Result<std::optional<User>> find_user(const std::string& name) = 0;
  virtual Result<std::vector<User>> list_users() = 0;
  // Sessions: stored by the hash of their id; find ignores (and never returns) expired ones.
  virtual Status create_session(const WebSession& session) = 0;
  virtual Result<std::optional<WebSession>> find_session(const std::string& id_hash,
                                                         int64_t now_ms) = 0;
  // Ends one session; also drops every expired one.
  virtual Status delete_session(const std::string& id_hash, int64_t now_ms) = 0;
  // API tokens, stored by their hash. not_found when the user does not exist.
  virtual Result<int64_t> add_api_token(const std::string& user, const std::string& token_hash,
                                        const std::string& actor, int64_t now_ms) = 0;
  // The user a token belongs to (nullopt for an unknown token).
  virtual Result<std::optional<std::string>> api_token_user(const std::string& token_hash) = 0;
};

struct StoreOptions {
  // Which store: "" or "sqlite:PATH" for the embedded SQLite file (sqlite_path when empty),
  // "postgresql://USER@HOST:PORT/DB" for a shared PostgreSQL database (pg_db.h).
  std::string url;
  std::string password;          // PostgreSQL's, from the secrets file; never in the url
  std::string sqlite_path;       // the embedded store's file
  int busy_timeout_ms = 10000;   // how long to wait for another writer
  int utc_offset_minutes = 540;  // local days for the KPI (Japan: +9:00)
};

// Opens (creating and migrating as needed) the embedded SQLite store.
Result<std::unique_ptr<Store>> open_sqlite_store(const StoreOptions& options);

// Opens the store options.url names (SQLite when it is empty). invalid for a url that is neither;
// refused / auth / io naming HOST:PORT when PostgreSQL cannot be reached or refuses the login.
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);

}  // namespace jimu
