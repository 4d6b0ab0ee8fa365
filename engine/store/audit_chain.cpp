#include "engine/store/audit_chain.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <set>

#include "engine/core/json_writer.h"
#include "engine/calendar/local_time.h"

namespace jimu {
namespace {

void put(Poco::SHA2Engine& e, const std::string& field) {
  std::string prefix = std::to_string(field.size()) + ":";
  e.update(prefix);
  e.update(field);
  e.update(";", 1);
}

}  // namespace

std::string audit_entry_hash(const AuditEntry& entry) {
  Poco::SHA2Engine e(Poco::SHA2Engine::SHA_256);
  put(e, entry.prev_hash);
  put(e, std::to_string(entry.seq));
  put(e, std::to_string(entry.at));
  put(e, entry.actor);
  put(e, entry.action);
  put(e, entry.subject);
  put(e, entry.detail);
  return Poco::DigestEngine::digestToHex(e.digest());
}

Result<AuditReport> verify_audit(Store& store) {
  AuditReport report;
  std::string prev_hash = kAuditGenesisHash;
  int64_t expected_seq = 1;
  std::set<int64_t> started_runs;
  auto add = [&](int64_t seq, std::string message) {
    if (report.problems.size() < 1000) report.problems.push_back({seq, std::move(message)});
  };
  // The runs are read before the trail: a run and its run.start entry are written in one
  // transaction, so every run read here has its entry in the trail read after. Read the other
  // way round, a run started in between (jimu serve on other nodes goes on writing) would look
  // like a run whose entry was deleted.
  auto ids = store.run_ids();
  if (!ids) return ids.status();
  Status s = store.scan_audit([&](const AuditEntry& e) {
    ++report.entries;
    if (e.seq != expected_seq) {
      if (e.seq > expected_seq) {
        add(expected_seq, e.seq - expected_seq == 1
                              ? "entry " + std::to_string(expected_seq) + " is missing (deleted)"
                              : "entries " + std::to_string(expected_seq) + " to " +
                                    std::to_string(e.seq - 1) + " are missing (deleted)");
      } else {
        add(e.seq, "entry " + std::to_string(e.seq) + " is out of sequence (inserted)");
      }
    }
    if (e.prev_hash != prev_hash) {
      add(e.seq, "entry " + std::to_string(e.seq) +
                     " does not link to the entry before it (an entry before it was edited, "
                     "inserted or deleted)");
    }
    if (audit_entry_hash(e) != e.hash) {
      add(e.seq, "entry " + std::to_string(e.seq) + " (" + e.action + " " + e.subject +
                     ") does not match its hash (edited)");
    }
    if (e.action == "run.start" && e.subject.rfind("run:", 0) == 0) {
      started_runs.insert(std::strtoll(e.subject.c_str() + 4, nullptr, 10));
    }
    prev_hash = e.hash;
    expected_seq = e.seq + 1;
    report.last_seq = e.seq;
    return true;
  });
  if (!s) return s;
  report.head_hash = report.entries > 0 ? prev_hash : kAuditGenesisHash;
  for (int64_t id : *ids) {
    if (!started_runs.count(id)) {
      add(0, "run " + std::to_string(id) + " has no run.start entry in the trail (entries deleted)");
    }
  }
  return report;
}

std::string audit_entry_json(const AuditEntry& e) {
  JsonWriter w;
  w.begin_object();
  w.field("seq", e.seq);
  w.field("at", format_local_time_iso(e.at));
  w.field("at_ms", e.at);
  w.field("actor", e.actor);
  w.field("action", e.action);
  w.field("subject", e.subject);
  w.key("detail").raw(e.detail.empty() ? "{}" : e.detail);
  w.field("prev_hash", e.prev_hash);
  w.field("hash", e.hash);
  w.end_object();
  return w.str();
}

}  // namespace jimu
