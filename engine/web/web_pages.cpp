// jimu's own pages: the dashboard (KPI against targets), runs and a run's log, the approval inbox,
// the operation registry, the audit trail's verification, and the JSON API. Every value shown
// passes through escape_html (or JsonWriter): a workflow name or a log line with markup in it
// shows as text.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>

#include "engine/calendar/civil_date.h"
#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"
#include "engine/report/kpi_html.h"
#include "engine/report/svg_chart.h"
#include "engine/store/audit_chain.h"
#include "engine/web/web_app.h"

namespace jimu::web {
namespace {

const std::vector<std::string> kRunViewers = {"clerk", "author", "manager", "admin"};
const std::vector<std::string> kKpiViewers = {"clerk", "author", "manager", "admin"};
const std::vector<std::string> kApprovers = {"approver"};
const std::vector<std::string> kAdmins = {"admin"};

using E = std::string;  // readability: E(...) marks HTML built here
std::string esc(const std::string& s) { return escape_html(s); }

std::string num(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string opt_num(const std::optional<double>& v, int decimals = 0, const char* unit = "") {
  return v ? num(*v, decimals) + unit : "—";
}

int current_fiscal_year(const WebApp& app) {
  return fiscal_year_of(CivilDate::from_epoch_ms(app.options().clock->now_ms()));
}

std::optional<int> parse_int(const std::string& s, long lo, long hi) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  long n = std::strtol(s.c_str(), &end, 10);
  if (*end != '\0' || n < lo || n > hi) return std::nullopt;
  return static_cast<int>(n);
}

HttpResponse bad_request(RequestContext& ctx, const std::string& message) {
  if (ctx.request.path.rfind("/api/", 0) == 0) {
    JsonWriter w;
    w.begin_object().field("error", message).end_object();
    return HttpResponse::json(400, w.str());
  }
  return ctx.app.page(ctx, ctx.t("要求の誤り", "Bad request"),
                      "<p class=\"error\">" + esc(message) + "</p>", 400);
}

HttpResponse store_error(RequestContext& ctx, const Status& s) {
  return ctx.app.page(ctx, ctx.t("エラー", "Error"), "<p class=\"error\">" + esc(s.message()) + "</p>",
                      500);
}

// ---- dashboard ----

std::string figure(RequestContext& ctx, const char* id, const char* ja, const char* en,
                   const std::string& value, const KpiReport& k, const std::string& metric,
                   int decimals, const char* unit) {
  std::string target = "—", baseline = "—", cls;
  auto it = k.targets.find(metric);
  if (it != k.targets.end()) {
    target = opt_num(it->second.target, decimals, unit);
    baseline = opt_num(it->second.baseline, decimals, unit);
  }
  return "<div class=\"figure\" id=\"" + std::string(id) + "\"><div class=\"label\">" +
         ctx.t(ja, en) + "</div><div class=\"value\">" + esc(value) +
         "</div><div class=\"against\">" + ctx.t("目標 ", "target ") + esc(target) +
         " · " + ctx.t("基準 ", "baseline ") + esc(baseline) + "</div></div>";
}

HttpResponse dashboard(RequestContext& ctx) {
  int fy = current_fiscal_year(ctx.app);
  if (!ctx.request.query_value("fy").empty()) {
    auto v = parse_int(ctx.request.query_value("fy"), 1990, 2100);
    if (!v) return bad_request(ctx, "fy must be a fiscal year like 2026");
    fy = *v;
  }
  auto options = ctx.app.options().kpi_options(fy);
  if (!options) return store_error(ctx, options.status());
  auto k = compute_kpi(*ctx.app.options().store, fy, *options);
  if (!k) return store_error(ctx, k.status());
  std::string label = std::to_string(fy) + "年度 (" + k->label + ")";
  std::string body = "<p class=\"period\">" + esc(label) + " " + esc(k->from) + " – " +
                     esc(k->to) + "</p><div class=\"figures\">";
  body += figure(ctx, "kpi-operations", "業務数", "Operations", std::to_string(k->operations_counted),
                 *k, "operations", 0, "");
  body += figure(ctx, "kpi-runs", "実行回数", "Runs", std::to_string(k->runs_total), *k, "runs", 0, "");
  body += figure(ctx, "kpi-items", "処理件数", "Items", std::to_string(k->items), *k, "items", 0, "");
  body += figure(ctx, "kpi-hours", "削減時間", "Hours saved", num(k->hours_saved, 1), *k,
                 "hours_saved", 1, "");
  body += figure(ctx, "kpi-approval", "電子決裁率", "Electronic approval rate",
                 opt_num(k->approval.electronic_rate, 1, "%"), *k, "approval_rate", 1, "%");
  body += figure(ctx, "kpi-receipt", "収受文書のペーパーレス化", "Paperless receipt rate",
                 opt_num(k->receipt.paperless_rate, 1, "%"), *k, "receipt_rate", 1, "%");
  body += "</div>";
  // The report's charts (engine/report), the same as on the printable KPI page.
  body += "<div class=\"charts\">" + svg::render(report::operations_chart(*k)) +
          svg::render(report::runs_chart(*k)) + svg::render(report::hours_chart(*k)) + "</div>";
  body += "<h2>" + E(ctx.t("業務別", "By operation")) + "</h2><table><thead><tr><th>ID</th><th>" +
          ctx.t("業務", "Operation") + "</th><th>" + ctx.t("所属", "Division") + "</th><th>" +
          ctx.t("実行", "Runs") + "</th><th>" + ctx.t("件数", "Items") + "</th><th>" +
          ctx.t("計上", "Counted") + "</th></tr></thead><tbody>";
  for (const auto& o : k->operations) {
    body += "<tr><td>" + esc(o.id) + "</td><td>" + esc(o.name) + "</td><td>" + esc(o.division) +
            "</td><td class=\"n\">" + std::to_string(o.runs) + "</td><td class=\"n\">" +
            std::to_string(o.items) + "</td><td>" + (o.counted ? "✔" : "") + "</td></tr>";
  }
  body += "</tbody></table>";
  return ctx.app.page(ctx, ctx.t("ダッシュボード", "Dashboard"), body);
}

// ---- runs ----

std::string status_label(RequestContext& ctx, RunStatus s) {
  switch (s) {
    case RunStatus::kRunning: return ctx.t("実行中", "running");
    case RunStatus::kSucceeded: return ctx.t("成功", "succeeded");
    case RunStatus::kFailed: return ctx.t("失敗", "failed");
    case RunStatus::kInterrupted: return ctx.t("中断", "interrupted");
  }
  return "";
}

Result<RunFilter> run_filter(const HttpRequest& req) {
  RunFilter f;
  if (auto w = req.query_value("workflow"); !w.empty()) f.workflow_id = w;
  if (auto s = req.query_value("status"); !s.empty()) {
    f.status = parse_run_status(s);
    if (!f.status) {
      return Status::invalid("status '" + s + "' is not one of running, succeeded, failed, interrupted");
    }
  }
  if (auto l = req.query_value("limit"); !l.empty()) {
    auto n = parse_int(l, 1, 1000);
    if (!n) return Status::invalid("limit must be a number from 1 to 1000");
    f.limit = *n;
  } else {
    f.limit = 100;
  }
  return f;
}

HttpResponse runs_page(RequestContext& ctx) {
  auto f = run_filter(ctx.request);
  if (!f) return bad_request(ctx, f.status().message());
  auto runs = ctx.app.options().store->list_runs(*f);
  if (!runs) return store_error(ctx, runs.status());
  std::string body = "<form method=\"get\" action=\"/runs\" class=\"filters\"><label>" +
                     E(ctx.t("ワークフロー", "Workflow")) +
                     " <input name=\"workflow\" value=\"" + esc(f->workflow_id.value_or("")) +
                     "\"></label><label>" + ctx.t("状態", "Status") + " <select name=\"status\">" +
                     "<option value=\"\">" + ctx.t("すべて", "all") + "</option>";
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kSucceeded, RunStatus::kFailed,
                      RunStatus::kInterrupted}) {
    body += "<option value=\"" + E(run_status_name(s)) + "\"" +
            (f->status == s ? " selected" : "") + ">" + esc(status_label(ctx, s)) + "</option>";
  }
  body += "</select></label><button type=\"submit\">" + E(ctx.t("絞り込み", "Filter")) +
          "</button></form><table id=\"runs\"><thead><tr><th>#</th><th>" +
          ctx.t("ワークフロー", "Workflow") + "</th><th>" + ctx.t("業務", "Operation") + "</th><th>" +
          ctx.t("状態", "Status") + "</th><th>" + ctx.t("開始", "Started") + "</th><th>" +
          ctx.t("件数", "Items") + "</th><th>" + ctx.t("起動", "Trigger") + "</th></tr></thead><tbody>";
  for (const auto& r : *runs) {
    body += "<tr class=\"" + E(run_status_name(r.status)) + "\"><td><a href=\"/runs/" +
            std::to_string(r.id) + "\">" + std::to_string(r.id) + "</a></td><td>" +
            esc(r.workflow_name) + " <small>" + esc(r.workflow_id) + "</small></td><td>" +
            esc(r.operation.value_or("")) + "</td><td>" + esc(status_label(ctx, r.status)) +
            (r.dry_run ? E(" ") + ctx.t("(試行)", "(dry run)") : "") + "</td><td>" +
            esc(format_local_time(r.started_at)) + "</td><td class=\"n\">" +
            std::to_string(r.items) + "</td><td>" + esc(r.trigger) + "</td></tr>";
  }
  if (runs->empty()) {
    body += "<tr><td colspan=\"7\">" + E(ctx.t("実行はありません。", "No runs.")) + "</td></tr>";
  }
  body += "</tbody></table>";
  return ctx.app.page(ctx, ctx.t("実行履歴", "Runs"), body);
}

HttpResponse run_page(RequestContext& ctx) {
  auto id = parse_int(ctx.param("id"), 1, 2147483647);
  if (!id) return bad_request(ctx, "a run id is a number");
  auto run = ctx.app.options().store->get_run(*id);
  if (!run) {
    if (run.status().code() == Code::kNotFound) {
      return ctx.app.page(ctx, ctx.t("見つかりません", "Not found"),
                          "<p>" + esc(run.status().message()) + "</p>", 404);
    }
    return store_error(ctx, run.status());
  }
  auto logs = ctx.app.options().store->run_logs(*id);
  if (!logs) return store_error(ctx, logs.status());
  const RunRecord& r = *run;
  std::string body = "<dl class=\"run\"><dt>" + E(ctx.t("ワークフロー", "Workflow")) + "</dt><dd>" +
                     esc(r.workflow_name) + " (" + esc(r.workflow_id) + ")</dd><dt>" +
                     ctx.t("状態", "Status") + "</dt><dd class=\"" + run_status_name(r.status) +
                     "\">" + esc(status_label(ctx, r.status)) + "</dd><dt>" +
                     ctx.t("開始", "Started") + "</dt><dd>" + esc(format_local_time(r.started_at)) +
                     "</dd><dt>" + ctx.t("終了", "Ended") + "</dt><dd>" +
                     esc(r.ended_at ? format_local_time(*r.ended_at) : "") + "</dd><dt>" +
                     ctx.t("件数", "Items") + "</dt><dd>" + std::to_string(r.items) + "</dd><dt>" +
                     ctx.t("実行者", "Actor") + "</dt><dd>" + esc(r.actor) + "</dd></dl>";
  if (!r.error.empty()) {
    body += "<h2>" + E(ctx.t("エラー", "Error")) + "</h2><pre class=\"error\">" + esc(r.error) +
            (r.traceback.empty() ? "" : "\n" + esc(r.traceback)) + "</pre>";
  }
  body += "<h2>" + E(ctx.t("ログ", "Log")) + "</h2><table class=\"log\"><tbody>";
  for (const auto& l : *logs) {
    body += "<tr class=\"" + E(log_level_name(l.level)) + "\"><td>" + esc(format_local_time(l.at)) +
            "</td><td>" + log_level_name(l.level) + "</td><td><pre>" + esc(l.message) +
            "</pre></td></tr>";
  }
  body += "</tbody></table>";
  return ctx.app.page(ctx, ctx.t("実行 #", "Run #") + std::to_string(r.id), body);
}

// ---- the approval inbox ----

std::string action_form(RequestContext& ctx, const ApprovalInboxItem& i, const char* action,
                        const char* label_ja, const char* label_en, bool comment_required) {
  std::string behalf = i.waiting_for != ctx.user.name && i.action != "resubmit" ? i.waiting_for : "";
  return "<form method=\"post\" action=\"/inbox/" + url_encode(i.document_id) +
         "\" class=\"decide\">" + WebApp::csrf_field(ctx) +
         "<input type=\"hidden\" name=\"action\" value=\"" + action + "\">" +
         (behalf.empty() ? ""
                         : "<input type=\"hidden\" name=\"on_behalf_of\" value=\"" + esc(behalf) +
                               "\">") +
         "<input name=\"comment\" placeholder=\"" + ctx.t("コメント", "comment") + "\"" +
         (comment_required ? " required" : "") + "><button type=\"submit\" name=\"do\" value=\"" +
         action + "\">" + ctx.t(label_ja, label_en) + "</button></form>";
}

HttpResponse inbox_page(RequestContext& ctx, const std::string& error, int status) {
  ApprovalRouter* router = ctx.app.options().approval;
  auto items = router->inbox(ctx.user.name, 500);
  if (!items) return store_error(ctx, items.status());
  std::string body;
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
  std::string done = ctx.request.query_value("done");
  std::string doc = ctx.request.query_value("doc");
  static const std::map<std::string, std::pair<const char*, const char*>> kDone = {
      {"approve", {"承認しました", "approved"}},
      {"reject", {"否決しました", "rejected"}},
      {"send_back", {"差し戻しました", "sent back"}},
      {"resubmit", {"再提出しました", "resubmitted"}},
      {"withdraw", {"引き戻しました", "withdrawn"}},
      {"acknowledge", {"後閲を確認しました", "after-review acknowledged"}}};
  if (auto it = kDone.find(done); it != kDone.end()) {
    body += "<p class=\"done\" role=\"status\">" + esc(doc) + ": " +
            ctx.t(it->second.first, it->second.second) + "</p>";
  }
  body += "<table id=\"inbox\"><thead><tr><th>" + E(ctx.t("文書", "Document")) + "</th><th>" +
          ctx.t("件名", "Title") + "</th><th>" + ctx.t("分類", "Category") + "</th><th>" +
          ctx.t("金額", "Amount") + "</th><th>" + ctx.t("所属", "Division") + "</th><th>" +
          ctx.t("起案者", "Drafter") + "</th><th>" + ctx.t("期限", "Due") + "</th><th>" +
          ctx.t("操作", "Action") + "</th></tr></thead><tbody>";
  for (const auto& i : *items) {
    bool proxy = i.waiting_for != ctx.user.name && i.action != "resubmit";
    body += "<tr data-document=\"" + esc(i.document_id) + "\"><td>" + esc(i.document_id) +
            "</td><td>" + esc(i.title) +
            (proxy ? "<span class=\"proxy\">" + E(ctx.t("代理: ", "proxy for ")) + esc(i.waiting_for) +
                         "</span>"
                   : "") +
            "</td><td>" + esc(i.category) + "</td><td class=\"n\">" + std::to_string(i.amount) +
            ctx.t("円", " yen") + "</td><td>" + esc(i.division) + "</td><td>" + esc(i.drafter) +
            "</td><td>" + esc(i.due_date) + "</td><td>";
    if (i.action == "resubmit") {
      body += "<span class=\"sent-back\">" + E(ctx.t("差戻し", "sent back")) + "</span>" +
              action_form(ctx, i, "resubmit", "再提出", "Resubmit", false) +
              action_form(ctx, i, "withdraw", "引戻し", "Withdraw", false);
    } else {
      body += action_form(ctx, i, "approve", "承認", "Approve", false) +
              action_form(ctx, i, "reject", "否決", "Reject", true) +
              action_form(ctx, i, "send_back", "差戻し", "Send back", true);
    }
    body += "</td></tr>";
  }
  if (items->empty()) {
    body += "<tr><td colspan=\"8\">" + E(ctx.t("待っている文書はありません。", "Nothing waits for you.")) +
            "</td></tr>";
  }
  body += "</tbody></table>";
  // 後閲: decisions taken for this user while absent (代決), marked as such.
  auto reviews = ctx.app.options().store->approval_after_reviews(ctx.user.name, "", false);
  if (!reviews) return store_error(ctx, reviews.status());
  if (!reviews->empty()) {
    body += "<h2>" + E(ctx.t("後閲（不在中の代決）", "After-reviews (decided for you while absent)")) +
            "</h2><table id=\"after-reviews\"><tbody>";
    for (const auto& r : *reviews) {
      body += "<tr><td>" + esc(r.document_id) + "</td><td>" + esc(r.title) +
              "</td><td><span class=\"deputy\">" + ctx.t("代決", "decided by deputy") + "</span> " +
              esc(r.decided_by) + "</td><td>" + esc(format_local_time(r.at)) +
              "</td><td><form method=\"post\" action=\"/inbox/" + url_encode(r.document_id) +
              "\">" + WebApp::csrf_field(ctx) +
              "<input type=\"hidden\" name=\"action\" value=\"acknowledge\"><button type=\"submit\">" +
              ctx.t("確認", "Acknowledge") + "</button></form></td></tr>";
    }
    body += "</tbody></table>";
  }
  return ctx.app.page(ctx, ctx.t("決裁の受信箱", "Approval inbox"), body, status);
}

HttpResponse inbox_get(RequestContext& ctx) { return inbox_page(ctx, "", 200); }

HttpResponse inbox_decide(RequestContext& ctx) {
  // The same router calls as `jimu approval approve|reject|send-back|...`, the web user acting.
  ApprovalRouter& r = *ctx.app.options().approval;
  const std::string id = ctx.param("id");
  const std::string action = ctx.request.form_value("action");
  const std::string comment = ctx.request.form_value("comment");
  const std::string behalf = ctx.request.form_value("on_behalf_of");
  const std::string& user = ctx.user.name;
  Status s;
  if ((action == "reject" || action == "send_back") && comment.empty()) {
    s = Status::invalid(std::string(ctx.t("コメントを入力してください（", "a comment is required to ")) +
                        (action == "reject" ? ctx.t("否決", "reject") : ctx.t("差戻し", "send back")) +
                        ctx.t("）", ""));
  } else if (action == "approve") {
    s = r.approve(id, user, comment, behalf);
  } else if (action == "reject") {
    s = r.reject(id, user, comment, behalf);
  } else if (action == "send_back") {
    s = r.send_back(id, user, 0, comment, behalf);
  } else if (action == "resubmit") {
    s = r.resubmit(id, user, comment);
  } else if (action == "withdraw") {
    s = r.withdraw(id, user, comment);
  } else if (action == "acknowledge") {
    auto n = r.acknowledge(id, user);
    s = n ? Status::ok() : n.status();
  } else {
    return bad_request(ctx, "action '" + action +
                                "' is not one of approve, reject, send_back, resubmit, withdraw, "
                                "acknowledge");
  }
  if (!s) {
    bool store_failure = s.code() == Code::kIo || s.code() == Code::kInternal;
    return inbox_page(ctx, s.message(), store_failure ? 500 : 409);
  }
  return HttpResponse::redirect("/inbox?done=" + url_encode(action) + "&doc=" + url_encode(id));
}

// ---- operations and audit ----

HttpResponse operations_page(RequestContext& ctx) {
  auto ops = ctx.app.options().store->list_operations();
  if (!ops) return store_error(ctx, ops.status());
  std::string body = "<table id=\"operations\"><thead><tr><th>ID</th><th>" +
                     E(ctx.t("業務", "Operation")) + "</th><th>" + ctx.t("所属", "Division") +
                     "</th><th>" + ctx.t("種別", "Kind") + "</th><th>" + ctx.t("稼働日", "Go-live") +
                     "</th><th>" + ctx.t("廃止日", "Retired") + "</th><th>" +
                     ctx.t("1件あたり手作業(分)", "Manual minutes per item") +
                     "</th></tr></thead><tbody>";
  for (const auto& o : *ops) {
    body += "<tr><td>" + esc(o.id) + "</td><td>" + esc(o.name) + "</td><td>" + esc(o.division) +
            "</td><td>" + operation_kind_name(o.kind) + (o.manual ? ctx.t(" (手動登録)", " (manual)") : "") +
            "</td><td>" + esc(o.go_live) + "</td><td>" + esc(o.retired.value_or("")) +
            "</td><td class=\"n\">" + num(o.minutes_per_item, 1) + "</td></tr>";
  }
  body += "</tbody></table>";
  return ctx.app.page(ctx, ctx.t("業務の登録簿", "Operation registry"), body);
}

HttpResponse audit_page(RequestContext& ctx) {
  auto report = verify_audit(*ctx.app.options().store);
  if (!report) return store_error(ctx, report.status());
  std::string body;
  if (report->ok()) {
    body += "<p class=\"done\" id=\"audit-status\">" +
            E(ctx.t("監査証跡は改ざんされていません", "The audit trail is intact")) + ": " +
            std::to_string(report->entries) + ctx.t(" 件", " entries") + "</p>";
  } else {
    body += "<p class=\"error\" id=\"audit-status\">" +
            E(ctx.t("監査証跡が壊れています", "The audit trail is BROKEN")) + ": " +
            std::to_string(report->problems.size()) + ctx.t(" 件の問題", " problem(s)") + "</p><ul>";
    for (const auto& p : report->problems) body += "<li>" + esc(p.message) + "</li>";
    body += "</ul>";
  }
  body += "<p>" + E(ctx.t("先頭ハッシュ", "Head hash")) + ": <code>" + esc(report->head_hash) +
          "</code></p>";
  std::deque<AuditEntry> last;
  (void)ctx.app.options().store->scan_audit([&](const AuditEntry& e) {
    last.push_back(e);
    if (last.size() > 50) last.pop_front();
    return true;
  });
  body += "<h2>" + E(ctx.t("最近の記録", "Latest entries")) + "</h2><table id=\"audit\"><tbody>";
  for (auto it = last.rbegin(); it != last.rend(); ++it) {
    body += "<tr><td class=\"n\">" + std::to_string(it->seq) + "</td><td>" +
            esc(format_local_time(it->at)) + "</td><td>" + esc(it->actor) + "</td><td>" +
            esc(it->action) + "</td><td>" + esc(it->subject) + "</td></tr>";
  }
  body += "</tbody></table>";
  return ctx.app.page(ctx, ctx.t("監査証跡", "Audit trail"), body);
}

// ---- JSON API ----

HttpResponse api_runs(RequestContext& ctx) {
  auto f = run_filter(ctx.request);
  if (!f) return bad_request(ctx, f.status().message());
  auto runs = ctx.app.options().store->list_runs(*f);
  if (!runs) return HttpResponse::json(500, "{\"error\":\"store error\"}");
  JsonWriter w;
  w.begin_array();
  for (const auto& r : *runs) {
    w.begin_object()
        .field("id", r.id)
        .field("workflow", r.workflow_id)
        .field("name", r.workflow_name)
        .key("operation");
    if (r.operation) w.value(*r.operation); else w.null();
    w.field("status", run_status_name(r.status))
        .field("dry_run", r.dry_run)
        .field("started_at", format_local_time_iso(r.started_at))
        .key("ended_at");
    if (r.ended_at) w.value(format_local_time_iso(*r.ended_at)); else w.null();
    w.field("items", r.items).field("trigger", r.trigger).field("error", r.error).end_object();
  }
  w.end_array();
  return HttpResponse::json(200, w.str());
}

HttpResponse api_kpi(RequestContext& ctx) {
  int fy = current_fiscal_year(ctx.app);
  if (!ctx.request.query_value("fy").empty()) {
    auto v = parse_int(ctx.request.query_value("fy"), 1990, 2100);
    if (!v) return bad_request(ctx, "fy must be a fiscal year like 2026");
    fy = *v;
  }
  auto options = ctx.app.options().kpi_options(fy);
  if (!options) return HttpResponse::json(500, "{\"error\":\"configuration error\"}");
  auto k = compute_kpi(*ctx.app.options().store, fy, *options);
  if (!k) return HttpResponse::json(500, "{\"error\":\"store error\"}");
  return HttpResponse::json(200, kpi_to_json(*k));
}

HttpResponse api_inbox(RequestContext& ctx) {
  auto items = ctx.app.options().approval->inbox(ctx.user.name, 1000);
  if (!items) return HttpResponse::json(500, "{\"error\":\"store error\"}");
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
  return HttpResponse::json(200, w.str());
}

}  // namespace

void add_standard_pages(WebApp& app) {
  app.add_route({"GET", "/dashboard", kKpiViewers, dashboard});
  app.add_nav({"/dashboard", "ダッシュボード", "Dashboard", kKpiViewers});
  app.add_route({"GET", "/runs", kRunViewers, runs_page});
  app.add_route({"GET", "/runs/{id}", kRunViewers, run_page});
  app.add_nav({"/runs", "実行履歴", "Runs", kRunViewers});
  if (app.options().approval != nullptr) {
    app.add_route({"GET", "/inbox", kApprovers, inbox_get});
    app.add_route({"POST", "/inbox/{id}", kApprovers, inbox_decide});
    app.add_route({"GET", "/api/inbox", kApprovers, api_inbox});
    app.add_nav({"/inbox", "決裁", "Inbox", kApprovers});
  }
  app.add_route({"GET", "/operations", kRunViewers, operations_page});
  app.add_nav({"/operations", "業務", "Operations", kRunViewers});
  app.add_route({"GET", "/audit", kAdmins, audit_page});
  app.add_nav({"/audit", "監査証跡", "Audit trail", kAdmins});
  app.add_route({"GET", "/api/runs", kRunViewers, api_runs});
  app.add_route({"GET", "/api/kpi", kKpiViewers, api_kpi});
}

}  // namespace jimu::web
