// SqlStore's recorded documents: decisions and receipts taken from the document-management
// system's export, and the counts the KPI's electronic approval and paperless receipt rates
// are made of, in portable SQL (GROUP BY, no upsert dialect: replace is delete + insert).
#include "engine/calendar/civil_date.h"
#include "engine/core/json_writer.h"
#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

namespace jimu {
namespace {

Status check_day(const std::string& what, const std::string& day) {
  auto d = CivilDate::parse_iso(day);
  if (!d || d->iso() != day) {
    return Status::invalid(what + " '" + day + "' is not a date like 2026-11-30");
  }
  return Status::ok();
}

Status check_id_division(const std::string& what, const std::string& id,
                         const std::string& division) {
  if (id.empty()) return Status::invalid(what + ": id is empty");
  if (division.empty()) return Status::invalid(what + " " + id + ": division is empty");
  return Status::ok();
}

// ms since the epoch (UTC) of local midnight starting day.
int64_t local_midnight_ms(const std::string& day, int utc_offset_minutes) {
  auto d = CivilDate::parse_iso(day);
  int64_t days = d ? d->days_since_epoch() : 0;
  return (days * 86400 - int64_t{utc_offset_minutes} * 60) * 1000;
}

}  // namespace

Status validate_recorded_decision(const RecordedDecision& d) {
  if (Status s = check_id_division("decision", d.id, d.division); !s) return s;
  if (Status s = check_day("decision " + d.id + ": decided_on", d.decided_on); !s) return s;
  if (d.method != "electronic" && d.method != "paper" && d.method != "excluded") {
    return Status::invalid("decision " + d.id + ": method '" + d.method +
                           "' is not electronic, paper or excluded");
  }
  if (d.method == "excluded" && d.reason.empty()) {
    return Status::invalid("decision " + d.id + ": an excluded document needs its reason");
  }
  return Status::ok();
}

Status validate_received_document(const ReceivedDocument& r) {
  if (Status s = check_id_division("receipt", r.id, r.division); !s) return s;
  return check_day("receipt " + r.id + ": received_on", r.received_on);
}

Status SqlStore::record_decision(const RecordedDecision& d, const std::string& actor,
                                 int64_t now_ms) {
  if (Status v = validate_recorded_decision(d); !v) return v;
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    bool replaced = !db_->query("SELECT 1 FROM recorded_decisions WHERE document_id = ?", {d.id})
                         .empty();
    db_->exec("DELETE FROM recorded_decisions WHERE document_id = ?", {d.id});
    db_->exec(
        "INSERT INTO recorded_decisions (document_id, division, decided_on, method, reason, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        {d.id, d.division, d.decided_on, d.method, d.reason, now_ms});
    JsonWriter j;
    j.begin_object()
        .field("division", d.division)
        .field("decided_on", d.decided_on)
        .field("method", d.method)
        .field("reason", d.reason)
        .field("replaced", replaced)
        .end_object();
    append_audit_tx(now_ms, actor, "document.decision", "document:" + d.id, j.str());
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::record_receipt(const ReceivedDocument& r, const std::string& actor,
                                int64_t now_ms) {
  if (Status v = validate_received_document(r); !v) return v;
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    bool replaced = !db_->query("SELECT 1 FROM received_documents WHERE document_id = ?", {r.id})
                         .empty();
    db_->exec("DELETE FROM received_documents WHERE document_id = ?", {r.id});
    db_->exec(
        "INSERT INTO received_documents (document_id, division, received_on, electronic, "
        "recorded_at) VALUES (?, ?, ?, ?, ?)",
        {r.id, r.division, r.received_on, int64_t{r.electronic}, now_ms});
    JsonWriter j;
    j.begin_object()
        .field("division", r.division)
        .field("received_on", r.received_on)
        .field("electronic", r.electronic)
        .field("replaced", replaced)
        .end_object();
    append_audit_tx(now_ms, actor, "document.receipt", "document:" + r.id, j.str());
    tx.commit();
    return Status::ok();
  });
}

Result<std::vector<DocumentFact>> SqlStore::document_facts(const std::string& from_day,
                                                           const std::string& to_day) {
  if (Status s = check_day("from", from_day); !s) return s;
  if (Status s = check_day("to", to_day); !s) return s;
  // jimu's routes are dated by finished_at (ms, UTC): the local days become a half-open range.
  int64_t from_ms = local_midnight_ms(from_day, utc_offset_minutes_);
  int64_t until_ms = local_midnight_ms(to_day, utc_offset_minutes_) + 86400 * 1000;
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<DocumentFact>> {
    std::vector<DocumentFact> out;
    auto add = [&](const std::vector<SqlRow>& rows, const std::string& fixed_kind) {
      for (const auto& r : rows) {
        DocumentFact f;
        f.division = sql_text(r[0]);
        f.kind = fixed_kind.empty() ? sql_text(r[1]) : fixed_kind;
        f.count = sql_int(r[2]);
        out.push_back(std::move(f));
      }
    };
    add(db_->query("SELECT division, '', COUNT(*) FROM approval_documents "
                   "WHERE state IN ('approved', 'rejected') AND finished_at >= ? "
                   "AND finished_at < ? "
                   "AND id NOT IN (SELECT document_id FROM recorded_decisions) "
                   "GROUP BY division",
                   {from_ms, until_ms}),
        "routed");
    add(db_->query("SELECT division, method, COUNT(*) FROM recorded_decisions "
                   "WHERE decided_on >= ? AND decided_on <= ? GROUP BY division, method",
                   {from_day, to_day}),
        "");
    for (const auto& r : db_->query("SELECT division, electronic, COUNT(*) FROM received_documents "
                                    "WHERE received_on >= ? AND received_on <= ? "
                                    "GROUP BY division, electronic",
                                    {from_day, to_day})) {
      DocumentFact f;
      f.division = sql_text(r[0]);
      f.kind = sql_int(r[1]) != 0 ? "received_electronic" : "received_paper";
      f.count = sql_int(r[2]);
      out.push_back(std::move(f));
    }
    return out;
  });
}

}  // namespace jimu
