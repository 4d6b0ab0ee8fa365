// SqlStore: the Store written once in portable SQL over an SqlDb (SQLite or PostgreSQL).
// Thread-safe: one mutex serialises the connection.
#pragma once

#include <memory>
#include <mutex>

#include "engine/store/sql_db.h"
#include "engine/store/store.h"

namespace jimu {

class SqlStore final : public Store {
 public:
  // Takes the connection; applies pending schema migrations.
  static Result<std::unique_ptr<SqlStore>> open(std::unique_ptr<SqlDb> db, int utc_offset_minutes);

  Result<int64_t> begin_run(const RunStart& start) override;
  Status heartbeat(int64_t run_id, int64_t items, const std::vector<LogLine>& lines) override;
  Status finish_run(int64_t run_id, RunStatus status, int64_t items, int64_t ended_at,
                    const std::string& error, const std::string& traceback,
                    const std::vector<LogLine>& lines) override;
  Result<std::vector<RunRecord>> list_runs(const RunFilter& filter) override;
  Result<RunRecord> get_run(int64_t run_id) override;
  Result<std::vector<LogLine>> run_logs(int64_t run_id) override;
  Result<int> recover_interrupted(const std::function<bool(const std::string&)>& alive,
                                  const std::string& actor, int64_t now_ms) override;

  Status add_operation(const Operation& op, const std::string& actor) override;
  Status retire_operation(const std::string& id, const std::string& date, const std::string& actor,
                          int64_t now_ms) override;
  Result<std::vector<Operation>> list_operations() override;
  Result<std::optional<Operation>> find_operation(const std::string& id) override;
  Result<std::optional<MailClaimState>> find_mail_claim(const MailClaim& key) override;

  Status append_audit(int64_t at, const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail_json) override;
  Status scan_audit(const std::function<bool(const AuditEntry&)>& fn) override;
  Result<std::vector<int64_t>> run_ids() override;

  Result<std::vector<KpiFact>> kpi_facts(const std::string& from_day,
                                         const std::string& to_day) override;
  Result<std::vector<RunRecord>> kpi_failures(const std::string& from_day,
                                              const std::string& to_day, int limit) override;

  // Approval routing: sql_store_approval.cpp.
  Result<std::string> approval_create(const ApprovalDocument& doc,
                                      const ApprovalEvent& submitted) override;
  Result<std::vector<Status>> approval_update(const std::vector<ApprovalUpdate>& updates) override;
  Result<std::optional<ApprovalDocument>> approval_document(const std::string& id) override;
  Result<std::vector<ApprovalEvent>> approval_history(const std::string& id) override;
  Result<std::vector<ApprovalDocument>> approval_documents(const ApprovalFilter& filter) override;
  Result<std::vector<ApprovalInboxItem>> approval_inbox(const std::vector<std::string>& users,
                                                        int limit) override;
  Result<int64_t> approval_add_delegation(const ApprovalDelegation& d,
                                          const std::string& actor) override;
  Result<std::vector<ApprovalDelegation>> approval_delegations(const std::string& user) override;
  Result<std::vector<ApprovalAfterReview>> approval_after_reviews(
      const std::string& user, const std::string& document_id, bool include_acknowledged) override;
  Result<int> approval_acknowledge(const std::string& document_id, const std::string& user,
                                   int64_t at) override;
  Result<std::vector<ApprovalOverdueStep>> approval_overdue_steps(const std::string& today) override;
  Result<bool> approval_add_notice(const ApprovalNotice& notice) override;
  Result<std::vector<ApprovalNotice>> approval_notices(int limit) override;

  // Recorded documents: sql_store_documents.cpp.
  Status record_decision(const RecordedDecision& d, const std::string& actor,
                         int64_t now_ms) override;
  Status record_receipt(const ReceivedDocument& r, const std::string& actor,
                        int64_t now_ms) override;
  Result<std::vector<DocumentFact>> document_facts(const std::string& from_day,
                                                   const std::string& to_day) override;

  // The scheduler: sql_store_schedule.cpp.
  Status schedule_put(const ScheduleRecord& s, bool replace, const std::string& actor,
                      int64_t now_ms) override;
  Result<std::vector<ScheduleRecord>> schedules() override;
  Result<std::optional<ScheduleRecord>> find_schedule(const std::string& id) override;
  Result<std::string> schedules_stamp() override;
  Status schedule_set_enabled(const std::string& id, bool enabled, const std::string& actor,
                              int64_t now_ms) override;
  Status schedule_remove(const std::string& id, const std::string& actor, int64_t now_ms) override;
  Result<int> jobs_enqueue(const std::string& schedule_id, int64_t expected_through,
                           int64_t through, const std::vector<JobRecord>& jobs) override;
  Result<int64_t> job_add(const JobRecord& job) override;
  Result<std::vector<JobRecord>> jobs_claim(const std::string& node, int64_t now_ms,
                                            int global_limit, int max) override;
  Status jobs_heartbeat(const std::string& node, int64_t now_ms) override;
  Status job_settle(int64_t job_id, int attempt, JobState state, int64_t next_at,
                    const std::string& reason, int64_t now_ms) override;
  Result<std::optional<JobRecord>> find_job(int64_t job_id) override;
  Result<std::vector<JobRecord>> jobs(const JobFilter& filter) override;
  Result<std::optional<int64_t>> jobs_next_try(int64_t waiting_since, int64_t retry_at) override;
  Status interrupt_run(int64_t run_id, const std::string& reason, const std::string& actor,
                       int64_t now_ms) override;
  Status node_beat(const NodeRecord& node) override;
  Status node_remove(const std::string& id) override;
  Result<std::vector<NodeRecord>> nodes() override;
  // Users, sessions, tokens: sql_store_users.cpp.
  Status add_user(const User& user, const std::string& actor, int64_t now_ms) override;
  Status update_user(const std::string& name, const UserUpdate& update, const std::string& actor,
                     int64_t now_ms) override;
  Result<std::optional<User>> find_user(const std::string& name) override;
  Result<std::vector<User>> list_users() override;
  Status create_session(const WebSession& session) override;
  Result<std::optional<WebSession>> find_session(const std::string& id_hash,
                                                 int64_t now_ms) override;
  Status delete_session(const std::string& id_hash, int64_t now_ms) override;
  Result<int64_t> add_api_token(const std::string& user, const std::string& token_hash,
                                const std::string& actor, int64_t now_ms) override;
  Result<std::optional<std::string>> api_token_user(const std::string& token_hash) override;

  int schema_version();

 private:
  SqlStore(std::unique_ptr<SqlDb> db, int utc_offset_minutes);
  void migrate();
  // Within an open write transaction.
  void append_audit_tx(int64_t at, const std::string& actor, const std::string& action,
                       const std::string& subject, const std::string& detail_json);
  void insert_logs_tx(int64_t run_id, const std::vector<LogLine>& lines);
  // Adds a run that just reached its final status to its day's total (migration 7).
  void add_day_total_tx(int64_t run_id);
  // Marks a running run interrupted with its audit entry; false when it was not running.
  bool interrupt_run_tx(int64_t run_id, const std::string& error, const std::string& detail_json,
                        const std::string& actor, int64_t now_ms);
  std::vector<JobRecord> select_jobs(const std::string& where, const std::vector<SqlValue>& params);
  std::vector<ScheduleRecord> select_schedules(const std::string& where,
                                               const std::vector<SqlValue>& params);
  std::optional<ApprovalDocument> load_approval_tx(const std::string& id);
  void write_approval_tx(const ApprovalDocument& before, const ApprovalDocument& after,
                         const ApprovalChanges& changes);
  void insert_approval_event_tx(const ApprovalDocument& doc, ApprovalEvent event);
  std::vector<Operation> select_operations(const std::string& where,
                                           const std::vector<SqlValue>& params);

  std::mutex mutex_;
  std::unique_ptr<SqlDb> db_;
  int utc_offset_minutes_;
};

// The connection options.url names (the SQLite file options.sqlite_path when it is empty),
// without the schema: for tools that work on tables (store_copy.h).
Result<std::unique_ptr<SqlDb>> open_sql_db(const StoreOptions& options);

// Checks the fields of an operation before it is registered.
Status validate_operation(const Operation& op);

}  // namespace jimu
