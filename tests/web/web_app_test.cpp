// The web pages over a real HTTP server on a loopback port (tests/web/web_fixture.h): every route
// refuses without a login, with the wrong role and without the CSRF token; markup is escaped;
// logins are rate-limited; decisions from the inbox go through the approval router.
#include <catch2/catch.hpp>

#include "engine/store/audit_chain.h"
#include "tests/web/web_fixture.h"

using namespace jimu;
using namespace jimu::testing;

namespace {

const std::vector<std::string> kPages = {"/",         "/dashboard", "/runs", "/runs/1",
                                         "/inbox",    "/operations", "/audit"};
const std::vector<std::string> kApi = {"/api/runs", "/api/kpi", "/api/inbox"};
const std::vector<std::string> kPosts = {"/inbox/D-1", "/logout", "/lang"};

bool has_audit(Store& store, const std::string& actor, const std::string& action) {
  bool found = false;
  (void)store.scan_audit([&](const AuditEntry& e) {
    if (e.actor == actor && e.action == action) found = true;
    return true;
  });
  return found;
}

int64_t add_run(Store& store, const std::string& name, const std::string& log_line,
                RunStatus status, int64_t at, const std::optional<std::string>& operation = {},
                int64_t items = 3) {
  RunStart s;
  s.workflow_id = "wf";
  s.workflow_name = name;
  s.workflow_path = "/w/wf.lua";
  s.operation = operation;
  s.actor = "test";
  s.owner = "test";
  s.started_at = at;
  int64_t id = *store.begin_run(s);
  REQUIRE(store.finish_run(id, status, items, at + 1000, "", "", {{at, LogLevel::kInfo, log_line}}));
  return id;
}

}  // namespace

TEST_CASE("web: every page without a session redirects to the login page", "[web]") {
  WebFixture f;
  Browser b = f.anonymous();
  for (const auto& path : kPages) {
    INFO(path);
    Reply r = b.get(path);
    CHECK(r.status == 303);
    CHECK(r.header("Location") == "/login");
  }
  for (const auto& path : kPosts) {
    INFO(path);
    Reply r = b.post(path, {{"csrf", "x"}, {"action", "approve"}});
    CHECK(r.status == 303);
    CHECK(r.header("Location") == "/login");
  }
  // A forged or stale session cookie is no session.
  b.cookies["jimu_session"] = std::string(64, 'a');
  CHECK(b.get("/dashboard").status == 303);
}

TEST_CASE("web: every API route without a session or a valid token answers 401", "[web]") {
  WebFixture f;
  Browser b = f.anonymous();
  for (const auto& path : kApi) {
    INFO(path);
    Reply r = b.get(path);
    CHECK(r.status == 401);
    CHECK(r.body == "{\"error\":\"login required: a session or an API token\"}");
    CHECK(b.get(path, {{"Authorization", "Bearer jimu_0000"}}).status == 401);
  }
}

TEST_CASE("web: the API answers a bearer token, within the token owner's roles", "[web]") {
  WebFixture f;
  f.add_user("kacho", "approver");
  f.add_user("somu", "clerk");
  std::string token = "jimu_" + *web::random_hex(32);
  REQUIRE(f.store->add_api_token("kacho", web::sha256_hex(token), "test", f.clock.now_ms()));
  f.submit({step_of({"kacho"})});
  Browser b = f.anonymous();
  Reply inbox = b.get("/api/inbox", {{"Authorization", "Bearer " + token}});
  CHECK(inbox.status == 200);
  CHECK(inbox.header("Content-Type") == "application/json; charset=utf-8");
  CHECK(inbox.body.find("\"id\":\"D-1\"") != std::string::npos);
  CHECK(b.get("/api/runs", {{"Authorization", "Bearer " + token}}).status == 403);
  // A disabled user's tokens are revoked.
  UserUpdate off;
  off.disabled = true;
  REQUIRE(f.store->update_user("kacho", off, "test", f.clock.now_ms()));
  CHECK(b.get("/api/inbox", {{"Authorization", "Bearer " + token}}).status == 401);
}

TEST_CASE("web: a user whose roles do not allow a route is refused with 403", "[web]") {
  WebFixture f;
  f.add_user("kacho", "approver");
  f.add_user("somu", "clerk");
  add_run(*f.store, "wf", "line", RunStatus::kSucceeded, f.clock.now_ms());
  f.submit({step_of({"kacho"})});
  Browser approver = f.browser_of("kacho");
  for (const std::string path :
       {"/dashboard", "/runs", "/runs/1", "/operations", "/audit", "/api/runs", "/api/kpi"}) {
    INFO(path);
    CHECK(approver.get(path).status == 403);
  }
  Browser clerk = f.browser_of("somu");
  std::string token = clerk.session_token();
  REQUIRE(!token.empty());
  for (const std::string path : {"/inbox", "/audit", "/api/inbox"}) {
    INFO(path);
    CHECK(clerk.get(path).status == 403);
  }
  CHECK(clerk.post("/inbox/D-1", {{"csrf", token}, {"action", "approve"}}).status == 403);
  CHECK(f.doc("D-1").state == "in_progress");
  // And what they may use answers.
  CHECK(approver.get("/inbox").status == 200);
  CHECK(clerk.get("/runs/1").status == 200);
  CHECK(clerk.get("/dashboard").status == 200);
}

TEST_CASE("web: a POST without the CSRF token or with a wrong one is refused and changes nothing",
          "[web]") {
  WebFixture f;
  f.add_user("kacho", "approver,admin");
  f.submit({step_of({"kacho"})});
  Browser b = f.browser_of("kacho");
  std::string good = b.session_token();
  REQUIRE(good.size() == 64);
  for (const auto& path : kPosts) {
    INFO(path);
    CHECK(b.post(path, {{"action", "approve"}, {"lang", "en"}}).status == 403);
    CHECK(b.post(path, {{"action", "approve"}, {"lang", "en"}, {"csrf", std::string(64, '0')}})
              .status == 403);
  }
  CHECK(f.doc("D-1").state == "in_progress");
  CHECK((*f.store->find_user("kacho"))->lang == "ja");
  CHECK(b.get("/inbox").status == 200);  // still logged in: the logout was refused too
  // The login form's own token: a POST without the cookie-bound token is refused.
  f.add_user("somu", "clerk");
  Browser other = f.anonymous();
  CHECK(other.post("/login", {{"user", "somu"}, {"password", "pass-word-1"}}).status == 403);
  other.get("/login");
  CHECK(other.post("/login", {{"user", "somu"}, {"password", "pass-word-1"}, {"csrf", "bad"}})
            .status == 403);
  // Another session's token does not work either.
  Browser second = f.browser_of("kacho");
  CHECK(second.post("/inbox/D-1", {{"csrf", good}, {"action", "approve"}}).status == 403);
}

TEST_CASE("web: markup in a workflow name, a log line and a document title shows as text",
          "[web]") {
  WebFixture f;
  f.add_user("kacho", "approver,clerk");
  add_run(*f.store, "<script>alert('wf')</script>", "<img src=x onerror=alert(1)> ㈱髙島屋 ～",
          RunStatus::kFailed, f.clock.now_ms());
  Submission sub;
  sub.document = {"", "<b onmouseover=\"x\">見積</b>", "物品購入", 1000, "総務課&<i>", "yamada"};
  sub.route = Route{{step_of({"kacho"})}};
  REQUIRE(f.router->submit(sub));
  Browser b = f.browser_of("kacho");
  std::string runs = b.get("/runs").body;
  CHECK(runs.find("<script>alert") == std::string::npos);
  CHECK(runs.find("&lt;script&gt;alert(&#39;wf&#39;)&lt;/script&gt;") != std::string::npos);
  std::string run = b.get("/runs/1").body;
  CHECK(run.find("<img src=x") == std::string::npos);
  CHECK(run.find("&lt;img src=x onerror=alert(1)&gt; ㈱髙島屋 ～") != std::string::npos);
  std::string inbox = b.get("/inbox").body;
  CHECK(inbox.find("<b onmouseover") == std::string::npos);
  CHECK(inbox.find("&lt;b onmouseover=&quot;x&quot;&gt;見積&lt;/b&gt;") != std::string::npos);
  CHECK(inbox.find("総務課&amp;&lt;i&gt;") != std::string::npos);
  // Operation names on the registry and the dashboard.
  Operation op;
  op.id = "GYO-1";
  op.name = "<script>op()</script>";
  op.division = "<u>税務課</u>";
  op.go_live = "2026-04-01";
  REQUIRE(f.store->add_operation(op, "test"));
  f.add_user("bucho", "manager");
  Browser manager = f.browser_of("bucho");
  for (const std::string path : {"/operations", "/dashboard"}) {
    INFO(path);
    std::string html = manager.get(path).body;
    CHECK(html.find("<script>op()") == std::string::npos);
    CHECK(html.find("&lt;script&gt;op()&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("<u>税務課") == std::string::npos);
  }
  // A query parameter shown back (the inbox's confirmation) is escaped too.
  std::string done = b.get("/inbox?done=approve&doc=%3Cscript%3E").body;
  CHECK(done.find("<script>") == std::string::npos);
  CHECK(done.find("&lt;script&gt;") != std::string::npos);
  // The API's JSON escapes for JSON.
  CHECK(b.get("/api/runs").body.find("\"name\":\"<script>alert('wf')</script>\"") !=
        std::string::npos);
}

TEST_CASE("web: every response carries the security headers; the session cookie is HttpOnly and "
          "SameSite=Strict", "[web]") {
  WebFixture f;
  f.add_user("somu", "clerk");
  Browser b = f.anonymous();
  for (const std::string path : {"/login", "/dashboard", "/api/runs", "/static/jimu.css", "/nope"}) {
    INFO(path);
    Reply r = b.get(path);
    CHECK(r.header("Content-Security-Policy") ==
          "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'");
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Referrer-Policy") == "no-referrer");
  }
  CHECK(b.get("/static/jimu.css").header("Content-Type") == "text/css; charset=utf-8");
  b.get("/login");
  Reply login = b.post("/login", {{"user", "somu"}, {"password", "pass-word-1"},
                                  {"csrf", b.cookies["jimu_login_csrf"]}});
  REQUIRE(login.status == 303);
  std::string session;
  for (const auto& c : login.all("Set-Cookie")) {
    if (c.rfind("jimu_session=", 0) == 0) session = c;
  }
  CHECK(session.find("; HttpOnly") != std::string::npos);
  CHECK(session.find("; SameSite=Strict") != std::string::npos);
  CHECK(session.find("Secure") == std::string::npos);  // plain HTTP here; TLS sets it
  // The store keeps the id only hashed.
  std::string id = b.cookies["jimu_session"];
  CHECK(id.size() == 64);
  CHECK(*f.store->find_session(web::sha256_hex(id), f.clock.now_ms()));
  CHECK(!*f.store->find_session(id, f.clock.now_ms()));
  // No page contains a script or an inline style.
  std::string dash = b.get("/dashboard").body;
  CHECK(dash.find("<script") == std::string::npos);
  CHECK(dash.find("style=") == std::string::npos);
}

TEST_CASE("web: logins are audited, logout ends the session, and a session expires", "[web]") {
  WebFixture f;
  f.add_user("somu", "clerk");
  Browser bad = f.anonymous();
  Reply wrong = bad.login("somu", "not-the-password");
  CHECK(wrong.status == 401);
  CHECK(wrong.body.find("ユーザー名またはパスワードが違います。") != std::string::npos);
  CHECK(has_audit(*f.store, "somu", "web.login_failed"));
  CHECK(bad.login("nobody", "whatever-1").status == 401);
  CHECK(has_audit(*f.store, "nobody", "web.login_failed"));

  Browser b = f.browser_of("somu");
  CHECK(has_audit(*f.store, "somu", "web.login"));
  CHECK(b.get("/runs").status == 200);
  std::string old_cookie = b.cookies["jimu_session"];
  Reply out = b.post("/logout", {{"csrf", b.session_token()}});
  CHECK(out.status == 303);
  CHECK(out.header("Location") == "/login");
  CHECK(has_audit(*f.store, "somu", "web.logout"));
  b.cookies["jimu_session"] = old_cookie;  // replaying the old cookie does not help
  CHECK(b.get("/runs").status == 303);

  Browser c = f.browser_of("somu");
  f.clock.advance_ms(8 * 3600 * 1000 - 1000);
  CHECK(c.get("/runs").status == 200);
  f.clock.advance_ms(2000);
  CHECK(c.get("/runs").status == 303);

  // A disabled user cannot log in, and their open sessions end.
  Browser d = f.browser_of("somu");
  UserUpdate off;
  off.disabled = true;
  REQUIRE(f.store->update_user("somu", off, "test", f.clock.now_ms()));
  CHECK(d.get("/runs").status == 303);
  CHECK(f.anonymous().login("somu", "pass-word-1").status == 401);
  CHECK(verify_audit(*f.store)->ok());
}

TEST_CASE("web: failed logins are limited per user name and per address", "[web]") {
  WebFixture f;
  f.add_user("somu", "clerk");
  f.add_user("kacho", "approver");
  Browser b = f.anonymous();
  for (int i = 0; i < 5; ++i) CHECK(b.login("somu", "wrong-password").status == 401);
  // Over the limit, even the right password is refused until the window passes.
  Reply limited = b.login("somu", "pass-word-1");
  CHECK(limited.status == 429);
  CHECK(limited.header("Retry-After") == "900");
  CHECK(has_audit(*f.store, "somu", "web.login_limited"));
  CHECK(b.login("kacho", "pass-word-1").status == 303);  // another user from here still may
  f.clock.advance_ms(15 * 60 * 1000 + 1);
  CHECK(b.login("somu", "pass-word-1").status == 303);

  // Per address: 20 failures over any names close the address for everyone.
  for (int i = 0; i < 20; ++i) {
    CHECK(b.login("guess" + std::to_string(i), "wrong-password").status == 401);
  }
  CHECK(b.login("kacho", "pass-word-1").status == 429);
}

TEST_CASE("web: an approver approves from the inbox and the document leaves it", "[web]") {
  WebFixture f;
  f.add_user("kacho", "approver");
  f.add_user("bucho", "approver");
  f.submit({step_of({"kacho"}), step_of({"bucho"})});
  Browser b = f.browser_of("kacho");
  Reply inbox = b.get("/inbox");
  REQUIRE(inbox.status == 200);
  CHECK(inbox.body.find("data-document=\"D-1\"") != std::string::npos);
  CHECK(inbox.body.find("備品購入 ㈱髙島屋 ～ 〜") != std::string::npos);
  Reply done = b.post("/inbox/D-1", {{"csrf", Browser::token_in(inbox.body)},
                                     {"action", "approve"}, {"comment", "確認しました"}});
  CHECK(done.status == 303);
  CHECK(done.header("Location") == "/inbox?done=approve&doc=D-1");
  CHECK(b.get("/inbox").body.find("data-document=\"D-1\"") == std::string::npos);
  auto history = *f.store->approval_history("D-1");
  CHECK(history.back().actor == "kacho");
  CHECK(history.back().action == "approve");
  CHECK(history.back().comment == "確認しました");
  // Acting again is refused by the router, and shown as such.
  Reply again = b.post("/inbox/D-1", {{"csrf", b.session_token()}, {"action", "approve"}});
  CHECK(again.status == 409);
  CHECK(again.body.find("role=\"alert\"") != std::string::npos);

  // Send back needs a comment; with one, the document goes to its drafter.
  Browser bucho = f.browser_of("bucho");
  std::string t = bucho.session_token();
  CHECK(bucho.post("/inbox/D-1", {{"csrf", t}, {"action", "send_back"}}).status == 409);
  CHECK(bucho.post("/inbox/D-1", {{"csrf", t}, {"action", "send_back"}, {"comment", "金額を確認"}})
            .status == 303);
  CHECK(f.doc("D-1").state == "sent_back");
  CHECK(bucho.post("/inbox/D-1", {{"csrf", t}, {"action", "explode"}}).status == 400);
}

TEST_CASE("web: a proxy's decision from the inbox is marked and recorded on behalf", "[web]") {
  WebFixture f;
  f.add_user("kakaricho", "approver");
  f.submit({step_of({"kacho"})});
  REQUIRE(f.router->delegate("kacho", "kakaricho", "2026-11-24", "2026-11-30"));
  Browser b = f.browser_of("kakaricho");
  Reply inbox = b.get("/inbox");
  CHECK(inbox.body.find("<span class=\"proxy\">代理: kacho</span>") != std::string::npos);
  CHECK(inbox.body.find("name=\"on_behalf_of\" value=\"kacho\"") != std::string::npos);
  CHECK(b.post("/inbox/D-1", {{"csrf", Browser::token_in(inbox.body)}, {"action", "approve"},
                              {"on_behalf_of", "kacho"}})
            .status == 303);
  auto history = *f.store->approval_history("D-1");
  CHECK(history.back().actor == "kakaricho");
  CHECK(history.back().on_behalf_of == "kacho");
  CHECK(history.back().capacity == "proxy");
  CHECK(f.doc("D-1").state == "approved");
}

TEST_CASE("web: the dashboard shows the KPI against its target and changes after a run", "[web]") {
  WebFixture f;
  f.add_user("bucho", "manager");
  Operation op;
  op.id = "GYO-012";
  op.name = "口座振替結果点検";
  op.division = "税務課";
  op.go_live = "2026-04-01";
  REQUIRE(f.store->add_operation(op, "test"));
  f.kpi.targets["operations"] = KpiTarget{3.0, 11.0};
  Browser b = f.browser_of("bucho");
  Reply before = b.get("/dashboard");
  REQUIRE(before.status == 200);
  CHECK(before.body.find("<div class=\"figure\" id=\"kpi-operations\"><div class=\"label\">業務数"
                         "</div><div class=\"value\">0</div><div class=\"against\">目標 11 · 基準 3"
                         "</div></div>") != std::string::npos);
  CHECK(before.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jimu-chart\"") !=
        std::string::npos);
  add_run(*f.store, "点検", "ok", RunStatus::kSucceeded, f.clock.now_ms(), "GYO-012", 40);
  Reply after = b.get("/dashboard");
  CHECK(after.body.find("id=\"kpi-operations\"><div class=\"label\">業務数</div><div "
                        "class=\"value\">1</div>") != std::string::npos);
  CHECK(b.get("/dashboard?fy=abc").status == 400);
  Reply api = b.get("/api/kpi?fy=2026");
  CHECK(api.status == 200);
  CHECK(api.body.find("\"counted\":1") != std::string::npos);
}

TEST_CASE("web: runs can be filtered, a missing run is 404, unknown paths 404", "[web]") {
  WebFixture f;
  f.add_user("somu", "clerk");
  add_run(*f.store, "夜間点検", "ok", RunStatus::kSucceeded, f.clock.now_ms());
  add_run(*f.store, "夜間点検", "boom", RunStatus::kFailed, f.clock.now_ms() + 1);
  Browser b = f.browser_of("somu");
  std::string failed = b.get("/runs?status=failed").body;
  CHECK(failed.find("href=\"/runs/2\"") != std::string::npos);
  CHECK(failed.find("href=\"/runs/1\"") == std::string::npos);
  Reply bad = b.get("/runs?status=exploded");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("status &#39;exploded&#39; is not one of running, succeeded, failed, "
                      "interrupted") != std::string::npos);
  CHECK(b.get("/runs/99").status == 404);
  CHECK(b.get("/runs/x").status == 400);
  CHECK(b.get("/nope").status == 404);
  CHECK(b.get("/api/nope").status == 404);
  CHECK(b.get("/operations").status == 200);
  CHECK(b.get("/api/runs?status=failed").body.find("\"id\":2") != std::string::npos);
}

TEST_CASE("web: the audit page shows the trail's verification to admins", "[web]") {
  WebFixture f;
  f.add_user("csirt", "admin");
  Browser b = f.browser_of("csirt");
  Reply r = b.get("/audit");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("<p class=\"done\" id=\"audit-status\">監査証跡は改ざんされていません: ") !=
        std::string::npos);
  CHECK(r.body.find("web.login") != std::string::npos);
}

TEST_CASE("web: the language switch shows English labels and is kept with the user", "[web]") {
  WebFixture f;
  f.add_user("somu", "clerk");
  Browser b = f.browser_of("somu");
  CHECK(b.get("/runs").body.find("<h1>実行履歴</h1>") != std::string::npos);
  Reply r = b.post("/lang", {{"csrf", b.session_token()}, {"lang", "en"}, {"back", "/runs"}});
  CHECK(r.status == 303);
  CHECK(r.header("Location") == "/runs");
  CHECK(b.get("/runs").body.find("<h1>Runs</h1>") != std::string::npos);
  CHECK((*f.store->find_user("somu"))->lang == "en");
  CHECK(has_audit(*f.store, "somu", "user.update"));
  // Never an open redirect.
  CHECK(b.post("/lang", {{"csrf", b.session_token()}, {"lang", "ja"}, {"back", "//evil.example"}})
            .header("Location") == "/");
  // Before login, the choice lives in a cookie.
  Browser anon = f.anonymous();
  CHECK(anon.get("/login?lang=en").body.find("User name") != std::string::npos);
  CHECK(anon.get("/login").body.find("User name") != std::string::npos);
}

TEST_CASE("web: an extension adds a page with its menu entry, behind the same checks", "[web]") {
  WebFixture f({[](web::WebApp& app) {
    app.add_route({"GET", "/schedules", {"admin"}, [](web::RequestContext& ctx) {
                     return ctx.app.page(ctx, ctx.t("スケジュール", "Schedules"), "<p>x</p>");
                   }});
    app.add_nav({"/schedules", "スケジュール", "Schedules", {"admin"}});
  }});
  f.add_user("csirt", "admin");
  f.add_user("somu", "clerk");
  CHECK(f.anonymous().get("/schedules").status == 303);
  CHECK(f.browser_of("somu").get("/schedules").status == 403);
  Browser admin = f.browser_of("csirt");
  Reply r = admin.get("/schedules");
  CHECK(r.status == 200);
  CHECK(r.body.find("<a href=\"/schedules\" aria-current=\"page\">スケジュール</a>") !=
        std::string::npos);
}
