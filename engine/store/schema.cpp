#include "engine/store/schema.h"

namespace jimu {
namespace {

std::vector<std::string> v1(const std::string& run_id_column, bool sqlite) {
  std::vector<std::string> s = {
      "CREATE TABLE operations ("
      " id TEXT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " division TEXT NOT NULL,"
      " kind TEXT NOT NULL CHECK (kind IN ('rpa', 'ai', 'other_ict')),"
      " go_live TEXT NOT NULL,"
      " retired TEXT,"
      " minutes_per_item DOUBLE PRECISION NOT NULL DEFAULT 0,"
      " manual INTEGER NOT NULL DEFAULT 0,"
      " created_at BIGINT NOT NULL)",

      "CREATE TABLE runs (" + run_id_column + ","
      " workflow_id TEXT NOT NULL,"
      " workflow_name TEXT NOT NULL,"
      " workflow_path TEXT NOT NULL,"
      " operation_id TEXT,"
      " trigger_kind TEXT NOT NULL,"
      " dry_run INTEGER NOT NULL,"
      " status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),"
      " started_at BIGINT NOT NULL,"
      " started_day TEXT NOT NULL,"
      " ended_at BIGINT,"
      " items BIGINT NOT NULL DEFAULT 0,"
      " error TEXT NOT NULL DEFAULT '',"
      " traceback TEXT NOT NULL DEFAULT '',"
      " params TEXT NOT NULL DEFAULT '{}',"
      " actor TEXT NOT NULL,"
      " owner TEXT NOT NULL)",
      "CREATE INDEX runs_by_day ON runs (started_day)",
      "CREATE INDEX runs_by_workflow ON runs (workflow_id, id)",
      "CREATE INDEX runs_by_status ON runs (status)",

      "CREATE TABLE run_logs ("
      " run_id BIGINT NOT NULL REFERENCES runs (id),"
      " seq INTEGER NOT NULL,"
      " at BIGINT NOT NULL,"
      " level TEXT NOT NULL,"
      " message TEXT NOT NULL,"
      " PRIMARY KEY (run_id, seq))",

      "CREATE TABLE audit ("
      " seq BIGINT PRIMARY KEY,"
      " at BIGINT NOT NULL,"
      " actor TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " subject TEXT NOT NULL,"
      " detail TEXT NOT NULL,"
      " prev_hash TEXT NOT NULL,"
      " hash TEXT NOT NULL)",
  };
  if (sqlite) {
    // Append-only by construction; `jimu audit verify` catches anyone who drops these.
    s.push_back(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
    s.push_back(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
  } else {
    // The same on PostgreSQL, plus TRUNCATE (which skips row triggers).
    s.push_back(
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$");
    s.push_back(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()");
    s.push_back(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()");
    s.push_back(
        "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()");
  }
  return s;
}

// Migration 2 (issue 5): which mail message each mail-triggered workflow claimed, and by which
// run (the latest attempt). Written with the run's start in one transaction (SqlStore::begin_run).
std::vector<std::string> v2() {
  return {
      "CREATE TABLE mail_claims ("
      " workflow_id TEXT NOT NULL,"
      " account TEXT NOT NULL,"
      " folder TEXT NOT NULL,"
      " uid_validity TEXT NOT NULL,"
      " uid TEXT NOT NULL,"
      " message_id TEXT NOT NULL DEFAULT '',"
      " run_id BIGINT NOT NULL REFERENCES runs (id),"
      " attempts INTEGER NOT NULL,"
      " claimed_at BIGINT NOT NULL,"
      " PRIMARY KEY (workflow_id, account, folder, uid_validity, uid))",
  };
}

// The approval router (DESIGN.md section 6). The inbox of one user among a million documents is
// an index range on approval_assignees (approver, pending); overdue steps one on
// approval_steps (state, due_date).
std::vector<std::string> v3(const std::string& id_column) {
  return {
      "CREATE TABLE approval_documents ("
      " id TEXT PRIMARY KEY,"
      " title TEXT NOT NULL,"
      " category TEXT NOT NULL,"
      " amount BIGINT NOT NULL,"
      " division TEXT NOT NULL,"
      " drafter TEXT NOT NULL,"
      " state TEXT NOT NULL CHECK (state IN ('in_progress', 'sent_back', 'approved', 'rejected',"
      " 'withdrawn')),"
      " current_step INTEGER NOT NULL,"
      " rule TEXT NOT NULL DEFAULT '',"
      " handler TEXT NOT NULL DEFAULT '',"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL,"
      " finished_at BIGINT)",
      "CREATE INDEX approval_documents_by_state ON approval_documents (state, created_at)",
      "CREATE INDEX approval_documents_by_drafter ON approval_documents (drafter, state, id)",

      "CREATE TABLE approval_steps ("
      " document_id TEXT NOT NULL REFERENCES approval_documents (id),"
      " step_no INTEGER NOT NULL,"
      " mode TEXT NOT NULL CHECK (mode IN ('all', 'any', 'quorum')),"
      " required INTEGER NOT NULL,"
      " due_days INTEGER NOT NULL,"
      " decides INTEGER NOT NULL,"
      " state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'approved', 'rejected')),"
      " activation INTEGER NOT NULL,"
      " activated_at BIGINT NOT NULL,"
      " due_date TEXT NOT NULL,"
      " PRIMARY KEY (document_id, step_no))",
      "CREATE INDEX approval_steps_due ON approval_steps (state, due_date)",

      "CREATE TABLE approval_assignees ("
      " document_id TEXT NOT NULL,"
      " step_no INTEGER NOT NULL,"
      " position INTEGER NOT NULL,"
      " approver TEXT NOT NULL,"
      " decision TEXT NOT NULL CHECK (decision IN ('', 'approved', 'rejected')),"
      " pending INTEGER NOT NULL,"
      " PRIMARY KEY (document_id, step_no, position),"
      " FOREIGN KEY (document_id, step_no) REFERENCES approval_steps (document_id, step_no))",
      "CREATE INDEX approval_inbox ON approval_assignees (approver, pending)",

      "CREATE TABLE approval_history ("
      " document_id TEXT NOT NULL REFERENCES approval_documents (id),"
      " seq INTEGER NOT NULL,"
      " at BIGINT NOT NULL,"
      " actor TEXT NOT NULL,"
      " on_behalf_of TEXT NOT NULL,"
      " capacity TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " step_no INTEGER NOT NULL,"
      " target_step INTEGER NOT NULL,"
      " comment TEXT NOT NULL,"
      " PRIMARY KEY (document_id, seq))",

      "CREATE TABLE approval_delegations (" + id_column + ","
      " delegator TEXT NOT NULL,"
      " proxy TEXT NOT NULL,"
      " from_day TEXT NOT NULL,"
      " until_day TEXT NOT NULL,"
      " created_at BIGINT NOT NULL)",
      "CREATE INDEX approval_delegations_by_proxy ON approval_delegations (proxy, until_day)",
      "CREATE INDEX approval_delegations_by_delegator ON approval_delegations (delegator)",

      "CREATE TABLE approval_notices ("
      " document_id TEXT NOT NULL REFERENCES approval_documents (id),"
      " step_no INTEGER NOT NULL,"
      " activation INTEGER NOT NULL,"
      " kind TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation')),"
      " due_date TEXT NOT NULL,"
      " recipients TEXT NOT NULL,"
      " at BIGINT NOT NULL,"
      " PRIMARY KEY (document_id, step_no, activation, kind))",
      "CREATE INDEX approval_notices_by_at ON approval_notices (at)",

      "CREATE TABLE approval_after_reviews (" + id_column + ","
      " document_id TEXT NOT NULL REFERENCES approval_documents (id),"
      " step_no INTEGER NOT NULL,"
      " absent TEXT NOT NULL,"
      " decided_by TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " at BIGINT NOT NULL,"
      " acknowledged_at BIGINT)",
      "CREATE INDEX approval_after_reviews_by_absent ON approval_after_reviews (absent)",
      "CREATE INDEX approval_after_reviews_by_document ON approval_after_reviews (document_id)",
  };
}

// Migration 4: documents recorded from the document-management system's export for the KPI
// (electronic approval and paperless receipt rates, DESIGN.md section 2). Keyed by the source
// system's id so that recording an export again replaces rather than adds.
std::vector<std::string> v4() {
  return {
      "CREATE TABLE recorded_decisions ("
      " document_id TEXT PRIMARY KEY,"
      " division TEXT NOT NULL,"
      " decided_on TEXT NOT NULL,"
      " method TEXT NOT NULL CHECK (method IN ('electronic', 'paper', 'excluded')),"
      " reason TEXT NOT NULL,"
      " recorded_at BIGINT NOT NULL)",
      "CREATE INDEX recorded_decisions_by_day ON recorded_decisions (decided_on)",

      "CREATE TABLE received_documents ("
      " document_id TEXT PRIMARY KEY,"
      " division TEXT NOT NULL,"
      " received_on TEXT NOT NULL,"
      " electronic INTEGER NOT NULL CHECK (electronic IN (0, 1)),"
      " recorded_at BIGINT NOT NULL)",
      "CREATE INDEX received_documents_by_day ON received_documents (received_on)",
      "CREATE INDEX approval_documents_by_finish ON approval_documents (finished_at)",
  };
}

// Migration 5 (issue 6): the scheduler. A fire becomes a job once: UNIQUE (schedule_id, fire_key)
// holds across daemons sharing one database. Jobs keep no foreign key to schedules: a removed
// schedule's history stays readable.
std::vector<std::string> v5(const std::string& id_column) {
  return {
      "CREATE TABLE schedules ("
      " id TEXT PRIMARY KEY,"
      " workflow_id TEXT NOT NULL,"
      " workflow_path TEXT NOT NULL,"
      " kind TEXT NOT NULL CHECK (kind IN ('cron', 'file', 'mail')),"
      " cron TEXT NOT NULL,"
      " calendar TEXT NOT NULL,"
      " on_holiday TEXT NOT NULL CHECK (on_holiday IN ('run', 'skip', 'next', 'previous')),"
      " business_day TEXT NOT NULL,"
      " missed TEXT NOT NULL CHECK (missed IN ('latest', 'all', 'none')),"
      " folder TEXT NOT NULL,"
      " pattern TEXT NOT NULL,"
      " stable_s DOUBLE PRECISION NOT NULL,"
      " poll_s DOUBLE PRECISION NOT NULL,"
      " overlap INTEGER NOT NULL,"
      " params TEXT NOT NULL,"
      " owner TEXT NOT NULL,"
      " retry_attempts INTEGER NOT NULL,"
      " retry_backoff_s DOUBLE PRECISION NOT NULL,"
      " timeout_s DOUBLE PRECISION NOT NULL,"
      " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
      " checked_through BIGINT NOT NULL,"
      " created_by TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL)",

      "CREATE TABLE jobs (" + id_column + ","
      " schedule_id TEXT NOT NULL,"
      " workflow_id TEXT NOT NULL,"
      " workflow_path TEXT NOT NULL,"
      " fire_key TEXT NOT NULL,"
      " trigger_kind TEXT NOT NULL,"
      " nominal TEXT NOT NULL,"
      " due_at BIGINT NOT NULL,"
      " state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed',"
      " 'interrupted', 'skipped', 'missed', 'cancelled')),"
      " attempt INTEGER NOT NULL,"
      " next_at BIGINT NOT NULL,"
      " run_id BIGINT,"
      " node TEXT NOT NULL,"
      " heartbeat_at BIGINT NOT NULL,"
      " reason TEXT NOT NULL,"
      " params TEXT NOT NULL,"
      " file TEXT NOT NULL,"
      " actor TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " finished_at BIGINT,"
      " UNIQUE (schedule_id, fire_key))",
      "CREATE INDEX jobs_ready ON jobs (state, next_at)",
      "CREATE INDEX jobs_by_due ON jobs (due_at)",
      "CREATE INDEX jobs_by_run ON jobs (run_id)",

      "CREATE TABLE nodes ("
      " id TEXT PRIMARY KEY,"
      " host TEXT NOT NULL,"
      " pid BIGINT NOT NULL,"
      " version TEXT NOT NULL,"
      " started_at BIGINT NOT NULL,"
      " heartbeat_at BIGINT NOT NULL,"
      " stopping INTEGER NOT NULL)",
  };
}

// Migration 6 (issue 8): the web pages' users with their roles, login sessions and API tokens.
// Secrets are never stored: passwords as PBKDF2 hashes, session ids and tokens as SHA-256 hashes.
// (Migration 5 is the scheduler's.)
std::vector<std::string> v6(const std::string& id_column) {
  return {
      "CREATE TABLE users ("
      " name TEXT PRIMARY KEY,"
      " display_name TEXT NOT NULL,"
      " password_hash TEXT NOT NULL,"
      " roles TEXT NOT NULL,"
      " disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),"
      " lang TEXT NOT NULL DEFAULT 'ja',"
      " created_at BIGINT NOT NULL)",

      "CREATE TABLE web_sessions ("
      " id_hash TEXT PRIMARY KEY,"
      " user_name TEXT NOT NULL REFERENCES users (name),"
      " csrf TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " expires_at BIGINT NOT NULL)",
      "CREATE INDEX web_sessions_by_user ON web_sessions (user_name)",

      "CREATE TABLE api_tokens (" + id_column + ","
      " token_hash TEXT NOT NULL UNIQUE,"
      " user_name TEXT NOT NULL REFERENCES users (name),"
      " created_at BIGINT NOT NULL)",
      "CREATE INDEX api_tokens_by_user ON api_tokens (user_name)",
  };
}

// Migration 7: the KPI's counts kept as they happen. A run's final status is written once
// (running -> succeeded | failed | interrupted), and in the same transaction its day's total
// grows, so the KPI reads a few thousand totals instead of a year's million runs (dashboard and
// report: bench/README.md). Runs still running are counted from runs itself. Existing runs are
// totalled here. operation_id '' stands for none (a NULL would defeat the primary key).
std::vector<std::string> v7() {
  return {
      "CREATE TABLE run_day_totals ("
      " day TEXT NOT NULL,"
      " operation_id TEXT NOT NULL,"
      " status TEXT NOT NULL,"
      " dry_run INTEGER NOT NULL,"
      " runs BIGINT NOT NULL,"
      " items BIGINT NOT NULL,"
      " PRIMARY KEY (day, operation_id, status, dry_run))",
      "INSERT INTO run_day_totals (day, operation_id, status, dry_run, runs, items) "
      "SELECT started_day, COALESCE(operation_id, ''), status, dry_run, COUNT(*), "
      "COALESCE(SUM(items), 0) FROM runs WHERE status <> 'running' "
      "GROUP BY started_day, COALESCE(operation_id, ''), status, dry_run",
      // The year's failures, newest first (the report's failures sheet), without a full sort.
      "CREATE INDEX runs_by_status_day ON runs (status, started_day)",
  };
}

}  // namespace

// The PostgreSQL statements were first used with the PostgreSQL store (issue 7), so they could
// still be written then: identity columns (BY DEFAULT, so `jimu store migrate` keeps the ids it
// copies) and the audit triggers in PL/pgSQL.
constexpr const char* kPgId = "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";

const std::vector<Migration>& store_migrations() {
  static const std::vector<Migration> migrations = {
      {1, v1("id INTEGER PRIMARY KEY", true), v1(kPgId, false)},
      {2, v2(), v2()},
      {3, v3("id INTEGER PRIMARY KEY"), v3(kPgId)},
      {4, v4(), v4()},
      {5, v5("id INTEGER PRIMARY KEY"), v5(kPgId)},
      {6, v6("id INTEGER PRIMARY KEY"), v6(kPgId)},
      {7, v7(), v7()},
  };
  return migrations;
}

}  // namespace jimu
