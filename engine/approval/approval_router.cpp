#include "engine/approval/approval_router.h"

#include <algorithm>

namespace jimu {
namespace {

bool finished_state(const std::string& s) {
  return s == "approved" || s == "rejected" || s == "withdrawn";
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The refusal for acting on a document that is no longer on its route, if it is not.
Status refuse_unless_open(const ApprovalDocument& d) {
  if (d.state == "approved" || d.state == "rejected") {
    return Status::rejected("document " + d.id + " is already decided (" + d.state + ")");
  }
  if (d.state == "withdrawn") {
    return Status::rejected("document " + d.id + " is already withdrawn by its drafter");
  }
  return Status::ok();
}

// The refusal for an approver's action, unless the document waits at an active step.
Status refuse_unless_at_step(const ApprovalDocument& d) {
  if (Status s = refuse_unless_open(d); !s) return s;
  if (d.state == "sent_back") {
    return Status::rejected("document " + d.id + " is sent back to its drafter " + d.drafter +
                            " and waits for resubmission");
  }
  if (d.current_step < 1 || d.current_step > static_cast<int>(d.steps.size())) {
    return Status::internal("document " + d.id + " has no active step");
  }
  return Status::ok();
}

std::vector<std::string> pending_of(const ApprovalStep& s) {
  std::vector<std::string> out;
  for (const auto& a : s.assignees) {
    if (a.pending) out.push_back(a.approver);
  }
  return out;
}

int find_assignee(const ApprovalStep& s, const std::string& user) {
  for (size_t i = 0; i < s.assignees.size(); ++i) {
    if (s.assignees[i].approver == user) return static_cast<int>(i);
  }
  return -1;
}

bool on_route(const ApprovalDocument& d, const std::string& user) {
  for (const auto& s : d.steps) {
    if (find_assignee(s, user) >= 0) return true;
  }
  return false;
}

// Who acts, and for whom, at the document's current step.
struct Acting {
  int index = -1;            // the assignee acted for
  std::string on_behalf_of;  // "" when acting as oneself
  std::string capacity;      // "", "proxy" or "deputy"
};

// Returned (code conflict) when the actor's delegations are needed and were not loaded: the
// caller loads them and tries again. Most actions are by the approver themself, so their
// decisions skip that query.
const char* const kNeedDelegations = "the actor's delegations are needed";

// delegators: who delegated to actor today; null when not loaded yet.
Result<Acting> resolve_actor(const ApprovalDocument& d, const std::string& actor,
                             const std::string& on_behalf_of,
                             const std::vector<std::string>* delegators, bool allow_deputy) {
  const ApprovalStep& s = d.steps[d.current_step - 1];
  std::string prefix = "document " + d.id + ": ";
  std::string step = "step " + std::to_string(s.step_no);
  auto delegated = [&](const std::string& who) {
    return std::find(delegators->begin(), delegators->end(), who) != delegators->end();
  };
  auto need = [&]() -> Result<Acting> { return Status::conflict(kNeedDelegations); };
  if (!on_behalf_of.empty() && on_behalf_of != actor) {
    int i = find_assignee(s, on_behalf_of);
    if (i < 0) {
      return Status::rejected(prefix + on_behalf_of + " is not an approver of " + step +
                              " (waiting for " + join(pending_of(s)) + ")");
    }
    if (!s.assignees[i].decision.empty()) {
      return Status::rejected(prefix + on_behalf_of + " has already " + s.assignees[i].decision +
                              " " + step);
    }
    if (delegators == nullptr) return need();
    if (delegated(on_behalf_of)) return Acting{i, on_behalf_of, "proxy"};
    if (!allow_deputy) {
      return Status::rejected(prefix + actor + " is not the proxy of " + on_behalf_of + " today");
    }
    if (!on_route(d, actor)) {
      return Status::rejected(prefix + actor + " may not decide on behalf of " + on_behalf_of +
                              ": only an approver on the route (代決) or " + on_behalf_of +
                              "'s proxy may");
    }
    return Acting{i, on_behalf_of, "deputy"};
  }
  if (int i = find_assignee(s, actor); i >= 0) {
    if (!s.assignees[i].decision.empty()) {
      return Status::rejected(prefix + actor + " has already " + s.assignees[i].decision + " " +
                              step);
    }
    return Acting{i, "", ""};
  }
  if (delegators == nullptr) return need();
  std::vector<int> candidates;
  for (size_t i = 0; i < s.assignees.size(); ++i) {
    if (s.assignees[i].pending && delegated(s.assignees[i].approver)) {
      candidates.push_back(static_cast<int>(i));
    }
  }
  if (candidates.size() == 1) {
    return Acting{candidates[0], s.assignees[candidates[0]].approver, "proxy"};
  }
  if (candidates.size() > 1) {
    std::vector<std::string> names;
    for (int i : candidates) names.push_back(s.assignees[i].approver);
    return Status::rejected(prefix + actor + " is the proxy of " + join(names) + " at " + step +
                            ": say on whose behalf");
  }
  for (const auto& earlier : d.steps) {
    if (earlier.step_no >= s.step_no) break;
    int i = find_assignee(earlier, actor);
    if (i >= 0 && earlier.assignees[i].decision == "approved") {
      return Status::rejected(prefix + actor + " has already approved step " +
                              std::to_string(earlier.step_no));
    }
  }
  return Status::rejected(prefix + step + " is waiting for " + join(pending_of(s)) + ", not " +
                          actor);
}

Status require_comment(const ApprovalDocument& d, const std::string& comment, const char* what) {
  bool blank = std::all_of(comment.begin(), comment.end(),
                           [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
  if (blank) return Status::invalid("document " + d.id + ": " + what + " needs a comment saying why");
  return Status::ok();
}

}  // namespace

struct ApprovalRouter::Pending {
  ApprovalUpdate update;
  Status status;
  bool done = false;
  bool finished = false;  // the change finished the route
  ApprovalDocument after;
};

ApprovalRouter::ApprovalRouter(ApprovalOptions options) : options_(std::move(options)) {}

CivilDate ApprovalRouter::today() const {
  return CivilDate::from_epoch_ms(options_.clock->now_ms(), options_.utc_offset_minutes);
}

Status ApprovalRouter::act(const std::string& id, const std::string& actor,
                           const ActingChangeFn& change) {
  std::optional<std::vector<std::string>> delegators;
  for (;;) {
    Status s = commit(id, [&](ApprovalDocument& d, ApprovalChanges& ch) {
      return change(d, ch, delegators ? &*delegators : nullptr);
    });
    if (s || s.code() != Code::kConflict || s.message() != kNeedDelegations || delegators) {
      return s;
    }
    auto loaded = delegators_of(actor);
    if (!loaded) return loaded.status();
    delegators = std::move(loaded).value();
  }
}

Status ApprovalRouter::commit(const std::string& id, const ApprovalChangeFn& change) {
  Pending p;
  p.update.document_id = id;
  p.update.change = [&p, &change](ApprovalDocument& doc, ApprovalChanges& changes) -> Status {
    bool was_finished = finished_state(doc.state);
    Status s = change(doc, changes);
    if (s) {
      p.finished = !was_finished && finished_state(doc.state);
      p.after = doc;
    }
    return s;
  };
  std::unique_lock<std::mutex> lock(queue_mutex_);
  queue_.push_back(&p);
  while (!p.done) {
    if (committing_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Leader: commit everything queued so far in one transaction.
    committing_ = true;
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<ApprovalUpdate> updates;
    updates.reserve(batch.size());
    for (Pending* b : batch) updates.push_back(b->update);
    auto results = options_.store->approval_update(updates);
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->status = results ? (*results)[i] : results.status();
      if (!batch[i]->status) batch[i]->finished = false;
      batch[i]->done = true;
    }
    committing_ = false;
    queue_cv_.notify_all();
  }
  lock.unlock();
  if (p.status && p.finished && options_.listener != nullptr) {
    options_.listener->on_finished(p.after, p.after.state);
  }
  return p.status;
}

Result<std::string> ApprovalRouter::submit(const Submission& sub) {
  const DocumentInfo& doc = sub.document;
  std::string subject = doc.id.empty() ? "document" : "document " + doc.id;
  if (auto problems = document_problems(doc); !problems.empty()) {
    return problems_status(subject, problems);
  }
  Route route;
  if (sub.route) {
    route = *sub.route;
    if (auto problems = route_problems(route, doc.drafter); !problems.empty()) {
      return problems_status(subject + ": route", problems);
    }
  } else if (!sub.rule_path.empty()) {
    auto r = evaluate_route_rule(sub.rule_path,
                                 sub.rule_display.empty() ? sub.rule_path : sub.rule_display, doc,
                                 options_.rules);
    if (!r) return r.status();
    route = std::move(r).value();
  } else {
    return Status::invalid(subject + ": a rule file or a route is needed");
  }
  int64_t now = options_.clock->now_ms();
  ApprovalDocument d;
  d.id = doc.id;
  d.title = doc.title;
  d.category = doc.category;
  d.amount = doc.amount;
  d.division = doc.division;
  d.drafter = doc.drafter;
  d.state = "in_progress";
  d.current_step = 1;
  d.rule = sub.rule_display.empty() ? sub.rule_path : sub.rule_display;
  d.handler = sub.handler;
  d.created_at = now;
  d.updated_at = now;
  for (size_t i = 0; i < route.steps.size(); ++i) {
    const RouteStep& r = route.steps[i];
    ApprovalStep s;
    s.step_no = static_cast<int>(i + 1);
    s.mode = r.mode;
    s.required = required_approvals(r);
    s.due_days = r.due_days;
    s.decides = r.decides;
    for (const auto& a : r.approvers) s.assignees.push_back({a, "", false});
    d.steps.push_back(std::move(s));
  }
  ApprovalStep& first = d.steps[0];
  first.state = "active";
  first.activation = 1;
  first.activated_at = now;
  first.due_date = options_.add_business_days(today(), first.due_days).iso();
  for (auto& a : first.assignees) a.pending = true;
  ApprovalEvent e;
  e.at = now;
  e.actor = doc.drafter;
  e.action = "submit";
  e.comment = sub.comment;
  auto id = options_.store->approval_create(d, e);
  if (!id && id.status().code() == Code::kConflict) return Status::rejected(id.status().message());
  return id;
}

Result<std::vector<std::string>> ApprovalRouter::delegators_of(const std::string& user) {
  auto all = options_.store->approval_delegations(user);
  if (!all) return all.status();
  std::string day = today().iso();
  std::vector<std::string> out;
  for (const auto& d : *all) {
    if (d.proxy == user && d.from_day <= day && day <= d.until_day &&
        std::find(out.begin(), out.end(), d.delegator) == out.end()) {
      out.push_back(d.delegator);
    }
  }
  return out;
}

Status ApprovalRouter::approve(const std::string& id, const std::string& actor,
                               const std::string& comment, const std::string& on_behalf_of) {
  int64_t now = options_.clock->now_ms();
  CivilDate day = today();
  auto add_days = options_.add_business_days;
  return act(id, actor, [&](ApprovalDocument& d, ApprovalChanges& ch,
                            const std::vector<std::string>* delegators) -> Status {
    if (Status s = refuse_unless_at_step(d); !s) return s;
    auto acting = resolve_actor(d, actor, on_behalf_of, delegators, true);
    if (!acting) return acting.status();
    ApprovalStep& s = d.steps[d.current_step - 1];
    ApprovalAssignee& a = s.assignees[acting->index];
    a.decision = "approved";
    a.pending = false;
    ch.events.push_back({0, now, actor, acting->on_behalf_of, acting->capacity, "approve",
                         s.step_no, -1, comment});
    if (acting->capacity == "deputy") {
      ApprovalAfterReview r;
      r.document_id = d.id;
      r.step_no = s.step_no;
      r.absent = acting->on_behalf_of;
      r.decided_by = actor;
      r.action = "approve";
      r.at = now;
      ch.after_reviews.push_back(r);
    }
    int approvals = static_cast<int>(std::count_if(
        s.assignees.begin(), s.assignees.end(),
        [](const ApprovalAssignee& x) { return x.decision == "approved"; }));
    d.updated_at = now;
    if (approvals < s.required) return Status::ok();
    s.state = "approved";
    for (auto& x : s.assignees) x.pending = false;
    if (s.decides || s.step_no == static_cast<int>(d.steps.size())) {
      d.state = "approved";
      d.finished_at = now;
      return Status::ok();
    }
    ApprovalStep& next = d.steps[s.step_no];
    next.state = "active";
    next.activation += 1;
    next.activated_at = now;
    next.due_date = add_days(day, next.due_days).iso();
    for (auto& x : next.assignees) {
      x.decision.clear();
      x.pending = true;
    }
    d.current_step = next.step_no;
    return Status::ok();
  });
}

Status ApprovalRouter::reject(const std::string& id, const std::string& actor,
                              const std::string& comment, const std::string& on_behalf_of) {
  int64_t now = options_.clock->now_ms();
  return act(id, actor, [&](ApprovalDocument& d, ApprovalChanges& ch,
                            const std::vector<std::string>* delegators) -> Status {
    if (Status s = refuse_unless_at_step(d); !s) return s;
    auto acting = resolve_actor(d, actor, on_behalf_of, delegators, false);
    if (!acting) return acting.status();
    if (Status s = require_comment(d, comment, "a rejection"); !s) return s;
    ApprovalStep& s = d.steps[d.current_step - 1];
    ApprovalAssignee& a = s.assignees[acting->index];
    a.decision = "rejected";
    a.pending = false;
    ch.events.push_back({0, now, actor, acting->on_behalf_of, acting->capacity, "reject",
                         s.step_no, -1, comment});
    d.updated_at = now;
    int rejections = static_cast<int>(std::count_if(
        s.assignees.begin(), s.assignees.end(),
        [](const ApprovalAssignee& x) { return x.decision == "rejected"; }));
    // The step can no longer gather its approvals: the document is rejected.
    if (static_cast<int>(s.assignees.size()) - rejections < s.required) {
      s.state = "rejected";
      for (auto& x : s.assignees) x.pending = false;
      d.state = "rejected";
      d.finished_at = now;
    }
    return Status::ok();
  });
}

Status ApprovalRouter::send_back(const std::string& id, const std::string& actor, int to_step,
                                 const std::string& comment, const std::string& on_behalf_of) {
  int64_t now = options_.clock->now_ms();
  CivilDate day = today();
  auto add_days = options_.add_business_days;
  return act(id, actor, [&](ApprovalDocument& d, ApprovalChanges& ch,
                            const std::vector<std::string>* delegators) -> Status {
    if (Status s = refuse_unless_at_step(d); !s) return s;
    auto acting = resolve_actor(d, actor, on_behalf_of, delegators, false);
    if (!acting) return acting.status();
    int at = d.current_step;
    if (to_step < 0 || to_step >= at) {
      return Status::invalid(
          "document " + d.id + ": step " + std::to_string(at) + " can send back only to the " +
          (at == 1 ? std::string("drafter") : "drafter or to steps 1 to " + std::to_string(at - 1)) +
          ", not to step " + std::to_string(to_step));
    }
    if (Status s = require_comment(d, comment, "sending back"); !s) return s;
    for (int k = std::max(to_step, 1); k <= at; ++k) {
      ApprovalStep& s = d.steps[k - 1];
      s.state = "waiting";
      for (auto& x : s.assignees) {
        x.decision.clear();
        x.pending = false;
      }
    }
    if (to_step == 0) {
      d.state = "sent_back";
    } else {
      ApprovalStep& s = d.steps[to_step - 1];
      s.state = "active";
      s.activation += 1;
      s.activated_at = now;
      s.due_date = add_days(day, s.due_days).iso();
      for (auto& x : s.assignees) x.pending = true;
      d.current_step = to_step;
    }
    d.updated_at = now;
    ch.events.push_back({0, now, actor, acting->on_behalf_of, acting->capacity, "send_back", at,
                         to_step, comment});
    return Status::ok();
  });
}

Status ApprovalRouter::resubmit(const std::string& id, const std::string& actor,
                                const std::string& comment) {
  int64_t now = options_.clock->now_ms();
  CivilDate day = today();
  auto add_days = options_.add_business_days;
  return commit(id, [&](ApprovalDocument& d, ApprovalChanges& ch) -> Status {
    if (Status s = refuse_unless_open(d); !s) return s;
    if (actor != d.drafter) {
      return Status::rejected("document " + d.id + ": only its drafter " + d.drafter +
                              " may resubmit it, not " + actor);
    }
    if (d.state != "sent_back") {
      return Status::rejected("document " + d.id + " is not sent back; it waits at step " +
                              std::to_string(d.current_step));
    }
    ApprovalStep& s = d.steps[0];
    s.state = "active";
    s.activation += 1;
    s.activated_at = now;
    s.due_date = add_days(day, s.due_days).iso();
    for (auto& x : s.assignees) {
      x.decision.clear();
      x.pending = true;
    }
    d.state = "in_progress";
    d.current_step = 1;
    d.updated_at = now;
    ch.events.push_back({0, now, actor, "", "", "resubmit", 1, -1, comment});
    return Status::ok();
  });
}

Status ApprovalRouter::withdraw(const std::string& id, const std::string& actor,
                                const std::string& comment) {
  int64_t now = options_.clock->now_ms();
  return commit(id, [&](ApprovalDocument& d, ApprovalChanges& ch) -> Status {
    if (Status s = refuse_unless_open(d); !s) return s;
    if (actor != d.drafter) {
      return Status::rejected("document " + d.id + ": only its drafter " + d.drafter +
                              " may withdraw it, not " + actor);
    }
    for (auto& s : d.steps) {
      if (s.state == "active") s.state = "waiting";
      for (auto& x : s.assignees) x.pending = false;
    }
    d.state = "withdrawn";
    d.finished_at = now;
    d.updated_at = now;
    ch.events.push_back({0, now, actor, "", "", "withdraw", 0, -1, comment});
    return Status::ok();
  });
}

Result<int64_t> ApprovalRouter::delegate(const std::string& delegator, const std::string& proxy,
                                         const std::string& from, const std::string& until) {
  std::vector<std::string> problems;
  if (delegator.empty()) problems.push_back("the delegator must not be empty");
  if (proxy.empty()) problems.push_back("the proxy must not be empty");
  if (!proxy.empty() && proxy == delegator) {
    problems.push_back(delegator + " cannot delegate to themself");
  }
  auto f = CivilDate::parse_iso(from);
  auto u = CivilDate::parse_iso(until);
  if (!f) problems.push_back("from date '" + from + "' is not a date like 2026-11-24");
  if (!u) problems.push_back("until date '" + until + "' is not a date like 2026-11-30");
  if (f && u && *u < *f) problems.push_back("until date " + until + " is before from date " + from);
  if (!problems.empty()) return problems_status("delegation", problems);
  ApprovalDelegation d;
  d.delegator = delegator;
  d.proxy = proxy;
  d.from_day = from;
  d.until_day = until;
  d.created_at = options_.clock->now_ms();
  return options_.store->approval_add_delegation(d, delegator);
}

Result<int> ApprovalRouter::acknowledge(const std::string& id, const std::string& user) {
  auto doc = options_.store->approval_document(id);
  if (!doc) return doc.status();
  if (!*doc) return Status::not_found("document " + id + " does not exist");
  auto n = options_.store->approval_acknowledge(id, user, options_.clock->now_ms());
  if (!n) return n.status();
  if (*n == 0) {
    return Status::rejected("document " + id + ": " + user + " has no after-review (後閲) to "
                            "acknowledge");
  }
  return n;
}

Result<std::vector<ApprovalInboxItem>> ApprovalRouter::inbox(const std::string& user, int limit) {
  auto delegators = delegators_of(user);
  if (!delegators) return delegators.status();
  std::vector<std::string> users = {user};
  for (const auto& d : *delegators) {
    if (d != user) users.push_back(d);
  }
  return options_.store->approval_inbox(users, limit);
}

Result<DueReport> ApprovalRouter::check_due(int64_t now_ms) {
  CivilDate day = CivilDate::from_epoch_ms(now_ms, options_.utc_offset_minutes);
  auto overdue = options_.store->approval_overdue_steps(day.iso());
  if (!overdue) return overdue.status();
  DueReport report;
  for (const auto& o : *overdue) {
    ++report.overdue;
    ApprovalNotice n;
    n.document_id = o.document_id;
    n.step_no = o.step_no;
    n.activation = o.activation;
    n.kind = "reminder";
    n.due_date = o.due_date;
    n.recipients = join(o.pending);
    n.at = now_ms;
    auto added = options_.store->approval_add_notice(n);
    if (!added) return added.status();
    if (*added) ++report.reminders;
    auto due = CivilDate::parse_iso(o.due_date);
    if (!due) continue;
    if (day > options_.add_business_days(*due, options_.escalate_after_days)) {
      n.kind = "escalation";
      auto esc = options_.store->approval_add_notice(n);
      if (!esc) return esc.status();
      if (*esc) ++report.escalations;
    }
  }
  return report;
}

}  // namespace jimu
