// The schedules page that jimu serve adds to the web pages: who may see and change schedules,
// CSRF on every change, escaping, and that a change reaches the store and wakes the scheduler.
#include <catch2/catch.hpp>

#include <atomic>

#include "engine/calendar/business_calendar.h"
#include "engine/web/schedule_pages.h"
#include "tests/web/web_fixture.h"

using namespace jimu;
using jimu::testing::Browser;
using jimu::testing::Reply;
using jimu::testing::WebFixture;

namespace {

struct ScheduleWeb {
  BusinessCalendar office;
  ScheduleCalendars calendars{office};
  std::atomic<int> wakes{0};
  WebFixture f{{[this](web::WebApp& app) {
    web::SchedulePagesOptions o;
    o.calendars = &calendars;
    o.wake = [this] { ++wakes; };
    web::add_schedule_pages(app, o);
  }}};

  ScheduleWeb() {
    ScheduleRecord s;
    s.id = "debit";
    s.workflow_id = "debit-check";
    s.workflow_path = "/srv/debit.lua";
    s.cron = "0 2 * * 1-5";
    s.on_holiday = "next";
    REQUIRE(f.store->schedule_put(s, false, "tanaka", f.clock.now_ms()));
    ScheduleRecord file;
    file.id = "arrivals";
    file.workflow_id = "arrivals";
    file.workflow_path = "/srv/arrivals.lua";
    file.kind = "file";
    file.folder = "/srv/in";
    file.pattern = "<script>alert(1)</script>*.csv";
    REQUIRE(f.store->schedule_put(file, false, "tanaka", f.clock.now_ms()));
    f.add_user("kakari", "clerk");
    f.add_user("bucho", "manager");
    f.add_user("kacho", "approver");
  }
};

}  // namespace

TEST_CASE("schedules page: it needs a login, and changing needs a clerk's role and the CSRF token",
          "[web][schedules]") {
  ScheduleWeb w;
  Browser anon = w.f.anonymous();
  CHECK(anon.get("/schedules").status == 303);
  CHECK(anon.get("/api/schedules").status == 401);
  CHECK(anon.post("/schedules/debit/disable", {}).status == 303);

  Browser approver = w.f.browser_of("kacho");
  CHECK(approver.get("/schedules").status == 403);

  Browser manager = w.f.browser_of("bucho");
  Reply view = manager.get("/schedules");
  CHECK(view.status == 200);
  CHECK(view.body.find("action=\"/schedules/debit/disable\"") == std::string::npos);  // view only
  std::string token = Browser::token_in(manager.get("/runs").body);
  CHECK(manager.post("/schedules/debit/disable", {{"csrf", token}}).status == 403);

  Browser clerk = w.f.browser_of("kakari");
  Reply page = clerk.get("/schedules");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("0 2 * * 1-5") != std::string::npos);
  CHECK(page.body.find("<script>alert(1)</script>") == std::string::npos);  // shown as text
  CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;*.csv") != std::string::npos);
  CHECK(clerk.post("/schedules/debit/disable", {}).status == 403);  // no token
  CHECK(clerk.post("/schedules/debit/disable", {{"csrf", "0123abcd"}}).status == 403);
  CHECK(w.f.store->find_schedule("debit").value()->enabled);
  CHECK(w.wakes == 0);
}

TEST_CASE("schedules page: disable, enable and run now change the store, are audited and wake the "
          "scheduler", "[web][schedules]") {
  ScheduleWeb w;
  Browser clerk = w.f.browser_of("kakari");
  std::string token = Browser::token_in(clerk.get("/schedules").body);
  Reply off = clerk.post("/schedules/debit/disable", {{"csrf", token}});
  CHECK(off.status == 303);
  CHECK_FALSE(w.f.store->find_schedule("debit").value()->enabled);
  CHECK(clerk.post("/schedules/debit/disable", {{"csrf", token}}).status == 409);  // already
  CHECK(clerk.post("/schedules/nope/enable", {{"csrf", token}}).status == 404);
  CHECK(clerk.post("/schedules/debit/enable", {{"csrf", token}}).status == 303);
  Reply now = clerk.post("/schedules/debit/run-now", {{"csrf", token}});
  CHECK(now.status == 303);
  JobFilter jf;
  jf.schedule_id = "debit";
  auto jobs = w.f.store->jobs(jf);
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 1);
  CHECK((*jobs)[0].actor == "kakari");
  CHECK((*jobs)[0].trigger == "manual");
  CHECK(w.wakes == 3);
  std::vector<std::string> actions;
  REQUIRE(w.f.store->scan_audit([&](const AuditEntry& e) {
    if (e.actor == "kakari" && e.subject == "schedule:debit") actions.push_back(e.action);
    return true;
  }));
  CHECK(actions == std::vector<std::string>{"schedule.disable", "schedule.enable", "schedule.run_now"});
  Reply api = clerk.get("/api/schedules");
  CHECK(api.status == 200);
  CHECK(api.body.find("\"name\":\"debit\"") != std::string::npos);
}
