#include "engine/web/schedule_pages.h"

#include <algorithm>

#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"
#include "engine/scheduler/dispatcher.h"

namespace jimu::web {
namespace {

const std::vector<std::string> kViewers = {"clerk", "author", "manager", "admin"};
const std::vector<std::string> kOperators = {"clerk", "author", "admin"};

std::string esc(const std::string& s) { return escape_html(s); }

const char* state_label(const RequestContext& ctx, JobState s) {
  switch (s) {
    case JobState::kQueued: return ctx.t("待機", "queued");
    case JobState::kRunning: return ctx.t("実行中", "running");
    case JobState::kSucceeded: return ctx.t("成功", "succeeded");
    case JobState::kFailed: return ctx.t("失敗", "failed");
    case JobState::kInterrupted: return ctx.t("中断", "interrupted");
    case JobState::kSkipped: return ctx.t("休止（休日）", "skipped (day off)");
    case JobState::kMissed: return ctx.t("未実行（停止中）", "missed (down)");
    case JobState::kCancelled: return ctx.t("取消", "cancelled");
  }
  return "";
}

std::string when_text(const RequestContext& ctx, const ScheduleRecord& s) {
  if (s.kind == "file") return ctx.t("ファイル到着: ", "file arrives: ") + s.folder + "/" + s.pattern;
  if (s.kind == "mail") return ctx.t("メール受信", "mail arrives");
  std::string t = s.cron + " · " + s.calendar + " · " + ctx.t("休日: ", "day off: ") + s.on_holiday;
  if (!s.business_day.empty()) t += " · " + std::string(ctx.t("営業日: ", "business day: ")) + s.business_day;
  return t;
}

class Pages {
 public:
  explicit Pages(SchedulePagesOptions o) : o_(std::move(o)) {}

  HttpResponse list(RequestContext& ctx, const std::string& error = "", int status = 200) {
    Store& store = *ctx.app.options().store;
    auto all = store.schedules();
    if (!all) return fail(ctx, all.status(), 500);
    const int64_t now = ctx.app.options().clock->now_ms();
    const LocalMinute here = LocalMinute::from_epoch_ms(now, o_.utc_offset_minutes);
    bool can_change = false;
    for (const auto& role : kOperators) can_change = can_change || ctx.user.has_role(role);
    std::string body;
    if (!error.empty()) body += "<p class=\"error\">" + esc(error) + "</p>";
    const std::string done = ctx.request.query_value("done");
    if (!done.empty()) {
      body += "<p class=\"notice\">" + esc(ctx.request.query_value("schedule")) + ": " + esc(done) + "</p>";
    }
    body += "<table id=\"schedules\"><thead><tr><th>" + std::string(ctx.t("名前", "Name")) + "</th><th>" +
            ctx.t("ワークフロー", "Workflow") + "</th><th>" + ctx.t("起動条件", "When") + "</th><th>" +
            ctx.t("次回", "Next") + "</th><th>" + ctx.t("前回", "Last") + "</th><th>" +
            ctx.t("状態", "State") + "</th><th></th></tr></thead><tbody>";
    for (const ScheduleRecord& s : *all) {
      std::string next;
      if (s.enabled && s.kind == "cron" && o_.calendars) {
        auto spec = Dispatcher::spec_of(s);
        const BusinessDays* days = o_.calendars->find(s.calendar);
        if (spec && days) {
          if (auto f = next_fire(*spec, *days, here)) next = f->at.to_string();
        }
      }
      JobFilter jf;
      jf.schedule_id = s.id;
      jf.states = {JobState::kSucceeded, JobState::kFailed, JobState::kInterrupted, JobState::kRunning};
      jf.limit = 1;
      auto last = store.jobs(jf);
      std::string last_text;
      if (last && !last->empty()) {
        last_text = format_local_time((*last)[0].due_at) + " " + state_label(ctx, (*last)[0].state);
      }
      body += "<tr class=\"" + std::string(s.enabled ? "enabled" : "disabled") + "\"><td>" + esc(s.id) +
              "</td><td>" + esc(s.workflow_id) + "</td><td>" + esc(when_text(ctx, s)) + "</td><td>" +
              esc(next) + "</td><td>" + esc(last_text) + "</td><td>" +
              (s.enabled ? ctx.t("有効", "enabled") : ctx.t("停止中", "disabled")) + "</td><td>";
      if (can_change) {
        const std::string base = "/schedules/" + url_encode(s.id);
        body += "<form method=\"post\" action=\"" + esc(base + (s.enabled ? "/disable" : "/enable")) +
                "\">" + WebApp::csrf_field(ctx) + "<button type=\"submit\">" +
                (s.enabled ? ctx.t("停止", "Disable") : ctx.t("再開", "Enable")) + "</button></form>";
        body += "<form method=\"post\" action=\"" + esc(base + "/run-now") + "\">" +
                WebApp::csrf_field(ctx) + "<button type=\"submit\">" + ctx.t("今すぐ実行", "Run now") +
                "</button></form>";
      }
      body += "</td></tr>";
    }
    if (all->empty()) {
      body += "<tr><td colspan=\"7\">" +
              std::string(ctx.t("スケジュールはありません（jimu schedule add）。",
                                "No schedules (jimu schedule add).")) + "</td></tr>";
    }
    body += "</tbody></table>";
    body += last_night(ctx, now);
    return ctx.app.page(ctx, ctx.t("スケジュール", "Schedules"), body, status);
  }

  // The jobs due since noon yesterday, oldest first: the clerk's morning check.
  std::string last_night(RequestContext& ctx, int64_t now) {
    LocalMinute today = LocalMinute::from_epoch_ms(now, o_.utc_offset_minutes);
    JobFilter f;
    f.due_from = LocalMinute{today.date.plus_days(-1), 12, 0}.to_epoch_ms(o_.utc_offset_minutes);
    f.due_to = now + 1;
    f.limit = 1000;
    auto jobs = ctx.app.options().store->jobs(f);
    std::string body = "<h2>" + std::string(ctx.t("昨夜の実行", "Last night")) + "</h2>";
    if (!jobs) return body + "<p class=\"error\">" + esc(jobs.status().message()) + "</p>";
    std::reverse(jobs->begin(), jobs->end());
    body += "<table id=\"last-night\"><thead><tr><th>" + std::string(ctx.t("予定", "Due")) + "</th><th>" +
            ctx.t("名前", "Name") + "</th><th>" + ctx.t("結果", "Result") + "</th><th>" +
            ctx.t("実行", "Run") + "</th><th>" + ctx.t("理由", "Why") + "</th></tr></thead><tbody>";
    for (const JobRecord& j : *jobs) {
      body += "<tr class=\"" + std::string(job_state_name(j.state)) + "\"><td>" +
              esc(format_local_time(j.due_at)) + "</td><td>" + esc(j.schedule_id) + "</td><td>" +
              state_label(ctx, j.state) + "</td><td>" +
              (j.run_id ? "<a href=\"/runs/" + std::to_string(*j.run_id) + "\">" +
                              std::to_string(*j.run_id) + "</a>"
                        : std::string()) +
              "</td><td>" + esc(j.reason) + "</td></tr>";
    }
    if (jobs->empty()) {
      body += "<tr><td colspan=\"5\">" + std::string(ctx.t("予定はありませんでした。", "Nothing was due.")) +
              "</td></tr>";
    }
    return body + "</tbody></table>";
  }

  HttpResponse change(RequestContext& ctx, const std::string& what) {
    Store& store = *ctx.app.options().store;
    const std::string id = ctx.param("id");
    const int64_t now = ctx.app.options().clock->now_ms();
    Status s;
    std::string done;
    if (what == "run-now") {
      auto found = store.find_schedule(id);
      if (!found) return fail(ctx, found.status(), 500);
      if (!*found) return list(ctx, std::string(ctx.t("スケジュールがありません: ", "no schedule named ")) + id, 404);
      JobRecord j;
      j.schedule_id = id;
      j.workflow_id = (*found)->workflow_id;
      j.workflow_path = (*found)->workflow_path;
      j.fire_key = "now:" + std::to_string(now) + ":" + ctx.user.name;
      j.trigger = "manual";
      j.due_at = now;
      j.next_at = now;
      j.params_json = (*found)->params_json;
      j.actor = ctx.user.name;
      j.created_at = now;
      auto added = store.job_add(j);
      s = added ? Status::ok() : added.status();
      done = ctx.t("実行を予約しました", "queued to run now");
    } else {
      s = store.schedule_set_enabled(id, what == "enable", ctx.user.name, now);
      done = what == "enable" ? ctx.t("再開しました", "enabled") : ctx.t("停止しました", "disabled");
    }
    if (!s) {
      bool store_failure = s.code() == Code::kIo || s.code() == Code::kInternal;
      int status = store_failure ? 500 : s.code() == Code::kNotFound ? 404 : 409;
      return list(ctx, s.message(), status);
    }
    if (o_.wake) o_.wake();
    return HttpResponse::redirect("/schedules?done=" + url_encode(done) + "&schedule=" + url_encode(id));
  }

  HttpResponse api(RequestContext& ctx) {
    auto all = ctx.app.options().store->schedules();
    if (!all) return HttpResponse::json(500, "{\"error\":\"store\"}");
    JsonWriter w;
    w.begin_array();
    for (const ScheduleRecord& s : *all) {
      w.begin_object()
          .field("name", s.id)
          .field("workflow", s.workflow_id)
          .field("kind", s.kind)
          .field("cron", s.cron)
          .field("calendar", s.calendar)
          .field("on_holiday", s.on_holiday)
          .field("business_day", s.business_day)
          .field("enabled", s.enabled)
          .end_object();
    }
    w.end_array();
    return HttpResponse::json(200, w.str());
  }

 private:
  HttpResponse fail(RequestContext& ctx, const Status& s, int status) {
    return ctx.app.page(ctx, ctx.t("エラー", "Error"), "<p class=\"error\">" + esc(s.message()) + "</p>",
                        status);
  }

  SchedulePagesOptions o_;
};

}  // namespace

void add_schedule_pages(WebApp& app, SchedulePagesOptions options) {
  auto pages = std::make_shared<Pages>(std::move(options));
  app.add_route({"GET", "/schedules", kViewers, [pages](RequestContext& c) { return pages->list(c); }});
  for (const char* what : {"enable", "disable", "run-now"}) {
    std::string w = what;
    app.add_route({"POST", "/schedules/{id}/" + w, kOperators,
                   [pages, w](RequestContext& c) { return pages->change(c, w); }});
  }
  app.add_route({"GET", "/api/schedules", kViewers, [pages](RequestContext& c) { return pages->api(c); }});
  app.add_nav({"/schedules", "スケジュール", "Schedules", kViewers});
}

}  // namespace jimu::web
