// ApprovalRouter: moves documents along their routes (電子決裁, DESIGN.md section 6).
//
// A document is submitted (起案) with a route chosen by a Lua rule or given directly, then passes
// its steps to the final decision (決裁). Approvers approve, reject or send back (差戻し, to the
// drafter or an earlier step); the drafter withdraws (引戻し) or resubmits after a send-back; an
// approver on the route may decide for an absent one (代決), which the absent approver sees
// afterwards (後閲); a user may delegate to a proxy for a period. Each step is due a number of
// business days after it became active; check_due() records reminders and escalations once.
//
// Every action is checked against the stored state inside the transaction that records it, so a
// refused action (code rejected, or invalid for a malformed request) changes nothing. Decisions
// that arrive together from several threads are committed together (group commit): each call
// returns only once its decision is on disk. When a route finishes, the listener hears of it
// after the commit.
//
// Thread-safe: any thread may call any method; the store and clock must be thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/approval/route.h"
#include "engine/approval/route_rules.h"
#include "engine/calendar/civil_date.h"
#include "engine/core/clock.h"
#include "engine/store/store.h"

namespace jimu {

// Hears of routes that finished (approved, rejected, withdrawn). Called on the thread of the
// action that finished it, after the commit, outside every lock.
class ApprovalListener {
 public:
  virtual ~ApprovalListener() = default;
  virtual void on_finished(const ApprovalDocument& document, const std::string& outcome) = 0;
};

struct ApprovalOptions {
  Store* store = nullptr;  // borrowed; outlives the router
  Clock* clock = nullptr;  // borrowed; outlives the router
  // The day n business days after a day; required (cli/ gives the government calendar; tests
  // give weekends only, add_weekdays).
  std::function<CivilDate(CivilDate, int)> add_business_days;
  int escalate_after_days = 2;     // business days after the due date before escalating
  int utc_offset_minutes = CivilDate::kJapanOffsetMinutes;  // local days (due dates, delegations)
  RuleOptions rules;               // limits of rule evaluation
  ApprovalListener* listener = nullptr;  // borrowed; may be null
  size_t max_batch = 256;          // decisions committed together at most
};

// What submit() takes: the document, and either a rule file or a route.
struct Submission {
  DocumentInfo document;
  std::string rule_path;     // a rule file (evaluated for the document) ...
  std::string rule_display;  // ... as messages name it (rule_path when empty)
  std::optional<Route> route;  // ... or the route itself
  std::string handler;       // workflow file run when the route finishes ("" for none)
  std::string comment;
};

// What check_due() recorded.
struct DueReport {
  int overdue = 0;       // active steps past their due date
  int reminders = 0;     // recorded by this call
  int escalations = 0;   // recorded by this call
};

class ApprovalRouter {
 public:
  explicit ApprovalRouter(ApprovalOptions options);

  // Validates the document, evaluates the rule (or checks the given route) and stores the
  // document with its first step active. Returns the document's id.
  Result<std::string> submit(const Submission& submission);

  // on_behalf_of: "" to act as oneself (or as the proxy of the one approver who delegated to
  // actor); else the approver acted for: through their delegation when one is active today,
  // otherwise as 代決 (only an approver on the route may), which owes them an after-review.
  Status approve(const std::string& id, const std::string& actor, const std::string& comment,
                 const std::string& on_behalf_of = "");
  Status reject(const std::string& id, const std::string& actor, const std::string& comment,
                const std::string& on_behalf_of = "");
  // to_step 0 sends the document back to its drafter; 1.. to an earlier step.
  Status send_back(const std::string& id, const std::string& actor, int to_step,
                   const std::string& comment, const std::string& on_behalf_of = "");
  // The drafter puts a sent-back document on its route again, from step 1.
  Status resubmit(const std::string& id, const std::string& actor, const std::string& comment);
  Status withdraw(const std::string& id, const std::string& actor, const std::string& comment);

  // proxy may act for delegator on local days from..until ("YYYY-MM-DD", inclusive).
  Result<int64_t> delegate(const std::string& delegator, const std::string& proxy,
                           const std::string& from, const std::string& until);
  // The delegators who have delegated to user today.
  Result<std::vector<std::string>> delegators_of(const std::string& user);
  // Acknowledges user's after-reviews (後閲) of document id; refused when there are none.
  Result<int> acknowledge(const std::string& id, const std::string& user);

  // Documents waiting for user: their own approvals, those of users who delegated to them
  // today, and their documents sent back for resubmission.
  Result<std::vector<ApprovalInboxItem>> inbox(const std::string& user, int limit = 1000);

  // Records a reminder for every active step past its due date and an escalation for those
  // escalate_after_days business days later, each once per activation of the step.
  Result<DueReport> check_due(int64_t now_ms);

  Store& store() { return *options_.store; }
  int64_t now_ms() const { return options_.clock->now_ms(); }
  CivilDate today() const;

 private:
  struct Pending;
  using ActingChangeFn = std::function<Status(ApprovalDocument&, ApprovalChanges&,
                                              const std::vector<std::string>* delegators)>;
  // commit() for an approver's action: delegators (who delegated to actor today) is null until
  // the change asks for it, then loaded and the change run again.
  Status act(const std::string& id, const std::string& actor, const ActingChangeFn& change);
  // Runs change on document id inside a durable transaction shared with concurrent callers;
  // notifies the listener when the route finished.
  Status commit(const std::string& id, const ApprovalChangeFn& change);

  ApprovalOptions options_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool committing_ = false;
};

}  // namespace jimu
