// The audit trail's hash chain and its verification.
//
// Each entry's hash is SHA-256 over its own fields and the previous entry's hash, each field
// length-prefixed so no two different entries serialise alike. Editing an entry breaks its own
// hash; deleting or inserting one breaks the sequence and the link of the entry after it. The
// head hash (the last entry's) printed by `jimu audit verify` lets an officer notice a truncated
// tail by comparing with a head recorded earlier. Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/store.h"

namespace jimu {

inline const std::string kAuditGenesisHash(64, '0');

std::string audit_entry_hash(const AuditEntry& entry);  // uses entry.prev_hash, not entry.hash

struct AuditProblem {
  int64_t seq = 0;
  std::string message;
};

struct AuditReport {
  int64_t entries = 0;
  int64_t last_seq = 0;
  std::string head_hash;
  std::vector<AuditProblem> problems;  // empty: the chain is intact
  bool ok() const { return problems.empty(); }
};

// Walks the whole trail and cross-checks that every run has its run.start entry.
Result<AuditReport> verify_audit(Store& store);

// The entry as one JSON line (for `jimu audit export`), without a trailing newline.
std::string audit_entry_json(const AuditEntry& entry);

}  // namespace jimu
