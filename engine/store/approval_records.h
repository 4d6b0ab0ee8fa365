// The approval router's records as the store keeps them (DESIGN.md section 6): documents on their
// route, the steps with their approvers, the history of every transition, delegations, reminders
// and after-reviews (後閲). Plain value types; the rules that move a document live in
// engine/approval, which edits these records inside one store transaction (Store::approval_update).
// Thread-safe as values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu {

// One approver of a step.
struct ApprovalAssignee {
  std::string approver;   // "kacho.tanaka"
  std::string decision;   // "" (none yet), "approved" or "rejected"
  bool pending = false;   // the step is active and this approver has not decided: in the inbox
  bool operator==(const ApprovalAssignee&) const = default;
};

// One step of a route: one approver, or a group deciding in parallel (合議).
struct ApprovalStep {
  int step_no = 0;            // from 1
  std::string mode = "all";   // all | any | quorum
  int required = 1;           // approvals that complete the step (all: every approver; any: 1)
  int due_days = 0;           // business days from activation to the due date
  bool decides = false;       // 専決: approving this step decides for the organisation
  std::string state = "waiting";  // waiting | active | approved | rejected
  int activation = 0;         // how often the step became active (reminders are per activation)
  int64_t activated_at = 0;   // ms since the epoch, UTC; 0 when never active
  std::string due_date;       // "2026-11-27" while active (the last business day allowed)
  std::vector<ApprovalAssignee> assignees;
  bool operator==(const ApprovalStep&) const = default;
};

// A document on its route.
struct ApprovalDocument {
  std::string id;          // "D-12"; the store numbers it when empty at creation
  std::string title;
  std::string category;    // "契約", "支出負担行為", ...
  int64_t amount = 0;      // yen
  std::string division;    // "総務課"
  std::string drafter;     // 起案者
  std::string state = "in_progress";  // in_progress | sent_back | approved | rejected | withdrawn
  int current_step = 1;    // the active step while in progress; the last step acted on otherwise
  std::string rule;        // the rule file that chose the route ("" when given directly)
  std::string handler;     // workflow run when the route finishes ("" for none)
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> finished_at;
  std::vector<ApprovalStep> steps;
};

// One transition, as the history shows it; each is also an audit entry.
struct ApprovalEvent {
  int64_t seq = 0;          // per document, from 1 (set by the store)
  int64_t at = 0;
  std::string actor;        // who acted
  std::string on_behalf_of; // "" or whom the actor acted for
  std::string capacity;     // "" (own), "proxy" (delegation) or "deputy" (代決, after-review due)
  std::string action;       // submit | approve | reject | send_back | resubmit | withdraw | decide
  int step_no = 0;          // the step acted on (0: none)
  int target_step = -1;     // send_back: 0 for the drafter, else the step sent back to
  std::string comment;
};

// 後閲: a decision taken for an absent approver (代決), to be seen by them afterwards.
struct ApprovalAfterReview {
  int64_t id = 0;
  std::string document_id;
  std::string title;        // of the document (filled when listed)
  int step_no = 0;
  std::string absent;       // the approver who was absent
  std::string decided_by;   // who decided for them
  std::string action;       // "approve"
  int64_t at = 0;
  std::optional<int64_t> acknowledged_at;
};

// A delegation: proxy may act for delegator on local days from_day..until_day (inclusive).
struct ApprovalDelegation {
  int64_t id = 0;
  std::string delegator;
  std::string proxy;
  std::string from_day;   // "2026-11-24"
  std::string until_day;  // "2026-11-30"
  int64_t created_at = 0;
};

// A reminder or an escalation for an overdue step, recorded once per step activation.
struct ApprovalNotice {
  std::string document_id;
  int step_no = 0;
  int activation = 0;
  std::string kind;        // reminder | escalation
  std::string due_date;
  std::string recipients;  // the approvers still pending, comma-separated
  int64_t at = 0;
};

// An active step past its due date (input of check_due).
struct ApprovalOverdueStep {
  std::string document_id;
  std::string title;
  int step_no = 0;
  int activation = 0;
  std::string due_date;
  std::vector<std::string> pending;  // approvers who have not decided
};

// A line of a user's inbox.
struct ApprovalInboxItem {
  std::string document_id;
  std::string title;
  std::string category;
  int64_t amount = 0;
  std::string division;
  std::string drafter;
  int step_no = 0;           // 0 for a document sent back to its drafter
  std::string due_date;
  std::string waiting_for;   // the user, or the delegator the user may act for
  std::string action;        // "approve" or "resubmit"
};

struct ApprovalFilter {
  std::optional<std::string> state;
  int limit = 100;  // newest first
};

// What a change made besides editing the document (written in the same transaction).
struct ApprovalChanges {
  std::vector<ApprovalEvent> events;               // history + audit, in order
  std::vector<ApprovalAfterReview> after_reviews;  // 後閲 owed
};

// Edits the stored document; an error leaves everything as it was.
using ApprovalChangeFn = std::function<Status(ApprovalDocument& doc, ApprovalChanges& changes)>;

struct ApprovalUpdate {
  std::string document_id;
  ApprovalChangeFn change;
};

}  // namespace jimu
