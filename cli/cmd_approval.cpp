// jimu approval ...: electronic approval (電子決裁) from the command line: submit, the inbox,
// show, approve, reject, send back, resubmit, withdraw, delegate, after-reviews (後閲),
// reminders and check-due. The acting user is named with --as (there is no login yet).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/app.h"
#include "cli/approval_handler.h"
#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const OptSpec kAs = {"as", "USER", "the user acting (required)"};
const OptSpec kFormat = {"format", "FORMAT", "text (default) or json"};
const OptSpec kComment = {"comment", "TEXT", "a comment recorded with the action"};
const OptSpec kOnBehalf = {"on-behalf-of", "USER",
                           "act for this approver: as their proxy if they delegated to you today, "
                           "else as 代決 (decision for an absent approver, shown to them after: 後閲)"};

const CmdSpec kSubmitSpec = {
    "approval submit",
    "--title T --category C --amount YEN --division DIV --as DRAFTER [--rule FILE.lua] "
    "[--handler FILE.lua] [--id ID]",
    "Submits a document (起案) for approval. Its route comes from a Lua rule file (default:\n"
    "scripts/approval/default_rules.lua), which chooses the steps by category, amount and division.",
    {{"title", "T", "the document's title"},
     {"category", "C", "its category, e.g. 契約 or 物品購入"},
     {"amount", "YEN", "the amount in yen (default 0)"},
     {"division", "DIV", "the drafting division, e.g. 総務課"},
     kAs,
     {"rule", "FILE.lua", "the route rule: a Lua file returning function(document) -> route"},
     {"handler", "FILE.lua", "a workflow run when the route finishes, with --param document=ID "
                             "--param outcome=approved|rejected|withdrawn"},
     {"id", "ID", "the document's id (default: numbered D-1, D-2, ...)"},
     kComment},
    "Example:\n  jimu approval submit --title 'コピー用紙購入' --category 物品購入 --amount 48000 \\\n"
    "      --division 総務課 --as somu.tanto",
    0, 0};

const CmdSpec kListSpec = {
    "approval list",
    "[--as USER] [--state S] [--limit N] [--format text|json]",
    "Lists documents, newest first. With --as: the user's inbox, the documents waiting for them\n"
    "or for those who delegated to them today, and their own documents sent back to them.",
    {{"as", "USER", "show this user's inbox"},
     {"state", "S", "only documents in this state: in_progress, sent_back, approved, rejected, "
                    "withdrawn"},
     {"limit", "N", "at most N documents (default 100)"},
     kFormat},
    "",
    0, 0};

const CmdSpec kShowSpec = {"approval show", "ID [--format text|json]",
                           "Shows a document: its route and steps, its history and its "
                           "after-reviews (後閲).",
                           {kFormat}, "", 1, 1};

const CmdSpec kApproveSpec = {"approval approve", "ID --as USER [--comment TEXT] [--on-behalf-of USER]",
                              "Approves the document's current step.",
                              {kAs, kComment, kOnBehalf}, "", 1, 1};

const CmdSpec kRejectSpec = {"approval reject", "ID --as USER --comment TEXT [--on-behalf-of USER]",
                             "Rejects the document (when its step can no longer gather the "
                             "approvals it needs).",
                             {kAs, kComment, {"on-behalf-of", "USER", "act as this approver's proxy"}},
                             "", 1, 1};

const CmdSpec kSendBackSpec = {
    "approval send-back", "ID --as USER --to drafter|STEP --comment TEXT [--on-behalf-of USER]",
    "Sends the document back (差戻し) to its drafter, who may resubmit it, or to an earlier step.",
    {kAs, {"to", "drafter|STEP", "the drafter, or the number of an earlier step"}, kComment,
     {"on-behalf-of", "USER", "act as this approver's proxy"}},
    "", 1, 1};

const CmdSpec kResubmitSpec = {"approval resubmit", "ID --as DRAFTER [--comment TEXT]",
                               "Puts a document sent back to its drafter on its route again, "
                               "from step 1.",
                               {kAs, kComment}, "", 1, 1};

const CmdSpec kWithdrawSpec = {"approval withdraw", "ID --as DRAFTER [--comment TEXT]",
                               "Withdraws (引戻し) a document from its route; only its drafter may.",
                               {kAs, kComment}, "", 1, 1};

const CmdSpec kDelegateSpec = {
    "approval delegate", "--as USER --to PROXY --from DATE --until DATE",
    "Lets PROXY act for USER on the days from DATE to DATE (inclusive); each action of the proxy\n"
    "is recorded as 'PROXY on behalf of USER'.",
    {kAs, {"to", "PROXY", "the proxy"}, {"from", "DATE", "the first day, YYYY-MM-DD"},
     {"until", "DATE", "the last day, YYYY-MM-DD"}},
    "", 0, 0};

const CmdSpec kDelegationsSpec = {"approval delegations", "[--as USER] [--format text|json]",
                                  "Lists delegations (all, or those given or received by USER).",
                                  {{"as", "USER", "only this user's"}, kFormat}, "", 0, 0};

const CmdSpec kAfterReviewsSpec = {
    "approval after-reviews", "--as USER [--all] [--format text|json]",
    "Lists the decisions taken for USER while absent (代決), to be seen afterwards (後閲).",
    {kAs, {"all", "", "include those already acknowledged"}, kFormat}, "", 0, 0};

const CmdSpec kAcknowledgeSpec = {"approval acknowledge", "ID --as USER",
                                  "Acknowledges USER's after-reviews (後閲) of document ID.",
                                  {kAs}, "", 1, 1};

const CmdSpec kRemindersSpec = {"approval reminders", "[--limit N] [--format text|json]",
                                "Lists the reminders and escalations recorded for overdue steps, "
                                "newest first.",
                                {{"limit", "N", "at most N (default 100)"}, kFormat}, "", 0, 0};

const CmdSpec kCheckDueSpec = {
    "approval check-due", "[--format text|json]",
    "Records a reminder for every step past its due date, and an escalation once it is overdue by\n"
    "[approval] escalate_after_days business days; each once per step. (The scheduler runs it.)",
    {kFormat}, "", 0, 0};

const char* kUsage =
    "usage: jimu approval SUBCOMMAND ...\n\n"
    "  submit          submit a document (起案); a Lua rule chooses its route\n"
    "  list            documents, or with --as USER that user's inbox\n"
    "  show ID         a document's route, history and after-reviews\n"
    "  approve ID      approve the current step (--on-behalf-of: 代決 or as proxy)\n"
    "  reject ID       reject, with a comment\n"
    "  send-back ID    send back (差戻し) to the drafter or an earlier step\n"
    "  resubmit ID     put a sent-back document on its route again\n"
    "  withdraw ID     withdraw (引戻し), by the drafter\n"
    "  delegate        let a proxy act for you for a period\n"
    "  delegations     list delegations\n"
    "  after-reviews   decisions taken for you while absent (後閲)\n"
    "  acknowledge ID  acknowledge them\n"
    "  reminders       reminders and escalations recorded\n"
    "  check-due       record reminders and escalations for overdue steps\n\n"
    "Exit status: 0 done, 2 refused or invalid (nothing changed), 1 store error, or the\n"
    "handler workflow of a route that finished failed (the decision itself stands).\n"
    "Run 'jimu approval SUBCOMMAND --help' for the options of each.\n";

// Refused and invalid actions exit 2; the store's own failures 1.
std::optional<std::string> required(const Args& args, const char* name, const std::string& cmd,
                                    int* code) {
  auto v = args.get(name);
  if (!v || v->empty()) {
    *code = fail(cmd + ": --" + name + " is required (see 'jimu " + cmd + " --help')", kExitUsage);
    return std::nullopt;
  }
  return v;
}

std::optional<int> parse_limit(const Args& args, int fallback, int* code) {
  auto v = args.get("limit");
  if (!v) return fallback;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || n < 1 || n > 1000000) {
    *code = fail("--limit expects a number from 1 to 1000000, not '" + *v + "'", kExitUsage);
    return std::nullopt;
  }
  return static_cast<int>(n);
}

std::vector<std::string> pending_of(const ApprovalStep& s) {
  std::vector<std::string> out;
  for (const auto& a : s.assignees) {
    if (a.pending) out.push_back(a.approver);
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "D-1 is at step 2 of 3, waiting for tanaka (due 2026-11-27)".
std::string describe(const ApprovalDocument& d) {
  if (d.state == "in_progress" && d.current_step >= 1 &&
      d.current_step <= static_cast<int>(d.steps.size())) {
    const ApprovalStep& s = d.steps[d.current_step - 1];
    return d.id + " is at step " + std::to_string(s.step_no) + " of " +
           std::to_string(d.steps.size()) + ", waiting for " + join(pending_of(s)) + " (due " +
           s.due_date + ")";
  }
  if (d.state == "sent_back") return d.id + " is sent back to its drafter " + d.drafter;
  return d.id + " is " + d.state;
}

std::string mode_text(const ApprovalStep& s) {
  if (s.mode == "quorum") {
    return "quorum " + std::to_string(s.required) + " of " + std::to_string(s.assignees.size());
  }
  return s.mode;
}

std::string capacity_text(const std::string& capacity) {
  return capacity == "deputy" ? "代決" : capacity == "proxy" ? "delegation" : capacity;
}

// "sato on behalf of tanaka (代決)" or "sato".
std::string who(const ApprovalEvent& e) {
  if (e.on_behalf_of.empty()) return e.actor;
  return e.actor + " on behalf of " + e.on_behalf_of + " (" + capacity_text(e.capacity) + ")";
}

void document_json(JsonWriter& w, const ApprovalDocument& d) {
  w.begin_object()
      .field("id", d.id)
      .field("state", d.state)
      .field("step", d.state == "sent_back" ? 0 : d.current_step)
      .field("title", d.title)
      .field("category", d.category)
      .field("amount", d.amount)
      .field("division", d.division)
      .field("drafter", d.drafter);
  w.key("waiting_for").begin_array();
  if (d.state == "in_progress" && d.current_step >= 1 &&
      d.current_step <= static_cast<int>(d.steps.size())) {
    for (const auto& a : pending_of(d.steps[d.current_step - 1])) w.value(a);
  }
  w.end_array();
  w.field("created_at", format_local_time_iso(d.created_at));
  w.key("finished_at");
  if (d.finished_at) w.value(format_local_time_iso(*d.finished_at)); else w.null();
  w.field("rule", d.rule).field("handler", d.handler);
}

App* open_app(const Args& args, std::unique_ptr<App>* holder, int* code) {
  auto app = App::open(args);
  if (!app) {
    *code = fail(app.status());
    return nullptr;
  }
  *holder = std::move(app).value();
  return holder->get();
}

// Prints the document's state after an action.
int report_after(App& app, const std::string& verb, const std::string& id) {
  auto doc = app.store->approval_document(id);
  if (!doc || !*doc) {
    std::cout << verb << " " << id << "\n";
    return kExitOk;
  }
  std::cout << verb << ": " << describe(**doc) << "\n";
  return kExitOk;
}

int submit(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kSubmitSpec, argv, &code);
  if (!args) return code;
  Submission sub;
  for (auto [name, field] : {std::pair{"title", &sub.document.title},
                             std::pair{"category", &sub.document.category},
                             std::pair{"division", &sub.document.division},
                             std::pair{"as", &sub.document.drafter}}) {
    auto v = required(*args, name, "approval submit", &code);
    if (!v) return code;
    *field = *v;
  }
  if (auto a = args->get("amount")) {
    char* end = nullptr;
    long long n = std::strtoll(a->c_str(), &end, 10);
    if (a->empty() || *end != '\0' || n < 0) {
      return fail("--amount expects a whole number of yen (0 or more), not '" + *a + "'",
                  kExitUsage);
    }
    sub.document.amount = n;
  }
  sub.document.id = args->get("id").value_or("");
  std::string rule = args->get("rule").value_or(std::string(JIMU_SCRIPTS_DIR) +
                                                "/approval/default_rules.lua");
  sub.rule_path = rule;
  sub.rule_display = args->get("rule").value_or("scripts/approval/default_rules.lua");
  if (auto h = args->get("handler")) {
    if (!fs::is_regular_file(*h)) return fail("--handler " + *h + ": no such file", kExitUsage);
    sub.handler = fs::absolute(*h).lexically_normal().string();
  }
  sub.comment = args->get("comment").value_or("");
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto id = app->approval->submit(sub);
  if (!id) return refuse(id.status());
  return report_after(*app, "submitted", *id);
}

int list(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kListSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto limit = parse_limit(*args, 100, &code);
  if (!limit) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  if (auto user = args->get("as")) {
    auto items = app->approval->inbox(*user, *limit);
    if (!items) return refuse(items.status());
    if (*format == "json") {
      JsonWriter w;
      w.begin_array();
      for (const auto& i : *items) {
        w.begin_object()
            .field("id", i.document_id)
            .field("title", i.title)
            .field("category", i.category)
            .field("amount", i.amount)
            .field("division", i.division)
            .field("drafter", i.drafter)
            .field("step", i.step_no)
            .field("due_date", i.due_date)
            .field("waiting_for", i.waiting_for)
            .field("action", i.action)
            .end_object();
      }
      w.end_array();
      std::cout << w.str() << "\n";
      return kExitOk;
    }
    if (items->empty()) {
      std::cout << "nothing waits for " << *user << "\n";
      return kExitOk;
    }
    for (const auto& i : *items) {
      std::cout << i.document_id << "\t"
                << (i.action == "resubmit" ? std::string("sent back: resubmit or withdraw")
                                           : "step " + std::to_string(i.step_no) + " due " +
                                                 i.due_date)
                << "\t" << i.title << "\t" << i.category << "\t" << i.amount << "円\t"
                << i.division << "\t" << i.drafter
                << (i.waiting_for != *user ? "\t(for " + i.waiting_for + ")" : "") << "\n";
    }
    return kExitOk;
  }
  ApprovalFilter f;
  f.state = args->get("state");
  f.limit = *limit;
  auto docs = app->store->approval_documents(f);
  if (!docs) return refuse(docs.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& d : *docs) {
      document_json(w, d);
      w.end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (docs->empty()) {
    std::cout << "no documents (jimu approval submit --help)\n";
    return kExitOk;
  }
  for (const auto& d : *docs) {
    std::cout << d.id << "\t" << d.state << "\t" << d.title << "\t" << d.category << "\t"
              << d.amount << "円\t" << d.division << "\t" << describe(d) << "\n";
  }
  return kExitOk;
}

int show(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kShowSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  const std::string& id = args->positional[0];
  auto doc = app->store->approval_document(id);
  if (!doc) return refuse(doc.status());
  if (!*doc) return fail("document " + id + " does not exist", kExitUsage);
  auto history = app->store->approval_history(id);
  if (!history) return refuse(history.status());
  auto reviews = app->store->approval_after_reviews("", id, true);
  if (!reviews) return refuse(reviews.status());
  const ApprovalDocument& d = **doc;
  if (*format == "json") {
    JsonWriter w;
    document_json(w, d);
    w.key("steps").begin_array();
    for (const auto& s : d.steps) {
      w.begin_object()
          .field("step", s.step_no)
          .field("state", s.state)
          .field("mode", s.mode)
          .field("required", s.required)
          .field("due_days", s.due_days)
          .field("due_date", s.due_date)
          .field("decides", s.decides);
      w.key("approvers").begin_array();
      for (const auto& a : s.assignees) {
        w.begin_object()
            .field("approver", a.approver)
            .field("decision", a.decision)
            .field("pending", a.pending)
            .end_object();
      }
      w.end_array().end_object();
    }
    w.end_array();
    w.key("history").begin_array();
    for (const auto& e : *history) {
      w.begin_object()
          .field("at", format_local_time_iso(e.at))
          .field("actor", e.actor)
          .field("on_behalf_of", e.on_behalf_of)
          .field("capacity", e.capacity)
          .field("action", e.action)
          .field("step", e.step_no);
      if (e.target_step >= 0) w.field("to_step", e.target_step);
      w.field("comment", e.comment).end_object();
    }
    w.end_array();
    w.key("after_reviews").begin_array();
    for (const auto& r : *reviews) {
      w.begin_object()
          .field("step", r.step_no)
          .field("absent", r.absent)
          .field("decided_by", r.decided_by)
          .field("action", r.action)
          .field("at", format_local_time_iso(r.at))
          .field("acknowledged", r.acknowledged_at.has_value())
          .end_object();
    }
    w.end_array().end_object();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << d.id << "  " << d.title << "\n"
            << "  state:    " << d.state << " — " << describe(d) << "\n"
            << "  category: " << d.category << "   amount: " << d.amount << "円   division: "
            << d.division << "   drafter: " << d.drafter << "\n";
  if (!d.rule.empty()) std::cout << "  rule:     " << d.rule << "\n";
  if (!d.handler.empty()) std::cout << "  handler:  " << d.handler << "\n";
  std::cout << "route:\n";
  for (const auto& s : d.steps) {
    std::cout << "  " << s.step_no << ". [" << s.state << "] " << mode_text(s)
              << (s.decides ? ", 専決" : "") << ", due in " << s.due_days << " business days"
              << (s.due_date.empty() ? "" : " (" + s.due_date + ")") << ":";
    for (const auto& a : s.assignees) {
      std::cout << " " << a.approver
                << (a.decision.empty() ? (a.pending ? " (pending)" : "") : " (" + a.decision + ")");
    }
    std::cout << "\n";
  }
  std::cout << "history:\n";
  for (const auto& e : *history) {
    std::cout << "  " << format_local_time(e.at) << "  " << who(e) << " " << e.action;
    if (e.action == "send_back") {
      std::cout << " step " << e.step_no << " to "
                << (e.target_step == 0 ? std::string("the drafter")
                                       : "step " + std::to_string(e.target_step));
    } else if (e.step_no > 0) {
      std::cout << " step " << e.step_no;
    }
    if (!e.comment.empty()) std::cout << ": " << e.comment;
    std::cout << "\n";
  }
  if (!reviews->empty()) {
    std::cout << "after-reviews (後閲):\n";
    for (const auto& r : *reviews) {
      std::cout << "  step " << r.step_no << ": " << r.decided_by << " decided for " << r.absent
                << " (代決) on " << format_local_time(r.at) << " — "
                << (r.acknowledged_at ? "acknowledged " + format_local_time(*r.acknowledged_at)
                                      : std::string("not yet seen"))
                << "\n";
    }
  }
  return kExitOk;
}

// approve, reject, send-back, resubmit, withdraw.
int act(const CmdSpec& spec, const std::string& verb, const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(spec, argv, &code);
  if (!args) return code;
  auto user = required(*args, "as", spec.name, &code);
  if (!user) return code;
  std::string comment = args->get("comment").value_or("");
  std::string behalf = args->get("on-behalf-of").value_or("");
  if ((verb == "rejected" || verb == "sent back") && comment.empty()) {
    if (!required(*args, "comment", spec.name, &code)) return code;
  }
  int to_step = 0;
  if (verb == "sent back") {
    auto to = required(*args, "to", spec.name, &code);
    if (!to) return code;
    if (*to != "drafter") {
      char* end = nullptr;
      long n = std::strtol(to->c_str(), &end, 10);
      if (to->empty() || *end != '\0' || n < 1) {
        return fail("--to expects 'drafter' or a step number, not '" + *to + "'", kExitUsage);
      }
      to_step = static_cast<int>(n);
    }
  }
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  const std::string& id = args->positional[0];
  ApprovalRouter& r = *app->approval;
  Status s;
  if (verb == "approved") s = r.approve(id, *user, comment, behalf);
  else if (verb == "rejected") s = r.reject(id, *user, comment, behalf);
  else if (verb == "sent back") s = r.send_back(id, *user, to_step, comment, behalf);
  else if (verb == "resubmitted") s = r.resubmit(id, *user, comment);
  else s = r.withdraw(id, *user, comment);
  if (!s) return refuse(s);
  int rc = report_after(*app, verb, id);
  auto* handlers = static_cast<HandlerRunner*>(app->approval_handlers.get());
  for (const auto& h : handlers->results()) {
    if (!h.run || h.run->status != RunStatus::kSucceeded) rc = kExitFailed;
  }
  return rc;
}

int delegate(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kDelegateSpec, argv, &code);
  if (!args) return code;
  std::vector<std::string> v;
  for (const char* name : {"as", "to", "from", "until"}) {
    auto x = required(*args, name, "approval delegate", &code);
    if (!x) return code;
    v.push_back(*x);
  }
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto id = app->approval->delegate(v[0], v[1], v[2], v[3]);
  if (!id) return refuse(id.status());
  std::cout << "delegation " << *id << ": " << v[1] << " may act for " << v[0] << " from " << v[2]
            << " until " << v[3] << "\n";
  return kExitOk;
}

int delegations(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kDelegationsSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto list = app->store->approval_delegations(args->get("as").value_or(""));
  if (!list) return refuse(list.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& d : *list) {
      w.begin_object()
          .field("id", d.id)
          .field("delegator", d.delegator)
          .field("proxy", d.proxy)
          .field("from", d.from_day)
          .field("until", d.until_day)
          .end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  for (const auto& d : *list) {
    std::cout << d.id << "\t" << d.proxy << " for " << d.delegator << "\t" << d.from_day << " .. "
              << d.until_day << "\n";
  }
  return kExitOk;
}

int after_reviews(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kAfterReviewsSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto user = required(*args, "as", "approval after-reviews", &code);
  if (!user) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto list = app->store->approval_after_reviews(*user, "", args->has("all"));
  if (!list) return refuse(list.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& r : *list) {
      w.begin_object()
          .field("document", r.document_id)
          .field("title", r.title)
          .field("step", r.step_no)
          .field("decided_by", r.decided_by)
          .field("action", r.action)
          .field("at", format_local_time_iso(r.at))
          .field("acknowledged", r.acknowledged_at.has_value())
          .end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (list->empty()) {
    std::cout << "no after-reviews (後閲) for " << *user << "\n";
    return kExitOk;
  }
  for (const auto& r : *list) {
    std::cout << r.document_id << "\t" << r.title << "\tstep " << r.step_no << "\t"
              << r.decided_by << " decided (" << r.action << ") for you on "
              << format_local_time(r.at) << (r.acknowledged_at ? "\tacknowledged" : "") << "\n";
  }
  return kExitOk;
}

int acknowledge(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kAcknowledgeSpec, argv, &code);
  if (!args) return code;
  auto user = required(*args, "as", "approval acknowledge", &code);
  if (!user) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto n = app->approval->acknowledge(args->positional[0], *user);
  if (!n) return refuse(n.status());
  std::cout << *user << " acknowledged " << *n << " after-review" << (*n == 1 ? "" : "s")
            << " of " << args->positional[0] << "\n";
  return kExitOk;
}

int reminders(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kRemindersSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto limit = parse_limit(*args, 100, &code);
  if (!limit) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto list = app->store->approval_notices(*limit);
  if (!list) return refuse(list.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& n : *list) {
      w.begin_object()
          .field("document", n.document_id)
          .field("step", n.step_no)
          .field("kind", n.kind)
          .field("due_date", n.due_date)
          .field("recipients", n.recipients)
          .field("at", format_local_time_iso(n.at))
          .end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (list->empty()) {
    std::cout << "no reminders recorded\n";
    return kExitOk;
  }
  for (const auto& n : *list) {
    std::cout << format_local_time(n.at) << "\t" << n.kind << "\t" << n.document_id << " step "
              << n.step_no << "\tdue " << n.due_date << "\tto " << n.recipients << "\n";
  }
  return kExitOk;
}

int check_due(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kCheckDueSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  std::unique_ptr<App> holder;
  App* app = open_app(*args, &holder, &code);
  if (app == nullptr) return code;
  auto r = app->approval->check_due(app->clock->now_ms());
  if (!r) return refuse(r.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_object()
        .field("overdue", r->overdue)
        .field("reminders", r->reminders)
        .field("escalations", r->escalations)
        .end_object();
    std::cout << w.str() << "\n";
  } else {
    std::cout << r->overdue << " overdue steps: " << r->reminders << " reminders and "
              << r->escalations << " escalations recorded\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_approval(const std::vector<std::string>& argv) {
  auto action = [](const CmdSpec& spec, const char* done) {
    return [&spec, done](const std::vector<std::string>& rest) { return act(spec, done, rest); };
  };
  return dispatch("approval", kUsage, argv,
                  {{"submit", submit},
                   {"list", list},
                   {"show", show},
                   {"approve", action(kApproveSpec, "approved")},
                   {"reject", action(kRejectSpec, "rejected")},
                   {"send-back", action(kSendBackSpec, "sent back")},
                   {"resubmit", action(kResubmitSpec, "resubmitted")},
                   {"withdraw", action(kWithdrawSpec, "withdrawn")},
                   {"delegate", delegate},
                   {"delegations", delegations},
                   {"after-reviews", after_reviews},
                   {"acknowledge", acknowledge},
                   {"reminders", reminders},
                   {"check-due", check_due}});
}

}  // namespace jimu::cli
