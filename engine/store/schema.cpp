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

}  // namespace

const std::vector<Migration>& store_migrations() {
  static const std::vector<Migration> migrations = {
      {1, v1("id INTEGER PRIMARY KEY", true), v1("id BIGSERIAL PRIMARY KEY", false)},
      {2, v2(), v2()},
  };
  return migrations;
}

}  // namespace jimu
