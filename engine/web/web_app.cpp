#include "engine/web/web_app.h"

#include <algorithm>
#include <optional>

#include "engine/core/json_writer.h"

namespace jimu::web {
namespace {

constexpr const char* kSessionCookie = "jimu_session";
constexpr const char* kLoginCsrfCookie = "jimu_login_csrf";
constexpr const char* kLangCookie = "jimu_lang";

void add_security_headers(HttpResponse& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                         "script-src 'self'; form-action 'self'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-store");
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool match(const std::string& pattern, const std::string& path,
           std::map<std::string, std::string>* params) {
  auto p = split_path(pattern), s = split_path(path);
  if (p.size() != s.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') {
      if (s[i].empty()) return false;
      found[p[i].substr(1, p[i].size() - 2)] = s[i];
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

bool allowed(const User& user, const std::vector<std::string>& roles) {
  if (roles.empty()) return true;
  return std::any_of(roles.begin(), roles.end(), [&](const auto& r) { return user.has_role(r); });
}

HttpResponse api_error(int status, const std::string& message) {
  JsonWriter w;
  w.begin_object().field("error", message).end_object();
  return HttpResponse::json(status, w.str());
}

bool is_api(const std::string& path) { return path.rfind("/api/", 0) == 0; }

}  // namespace

std::string RequestContext::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

WebApp::WebApp(WebAppOptions options)
    : options_(std::move(options)), limiter_(options_.login_limits) {
  auto dummy = hash_password("jimu-dummy-password",
                             std::max(options_.dummy_hash_iterations, kMinPasswordIterations));
  dummy_hash_ = dummy ? *dummy : "";
  add_route({"POST", "/logout", {}, [this](RequestContext& c) { return logout(c); }});
  add_route({"POST", "/lang", {}, [this](RequestContext& c) { return set_language(c); }});
  add_route({"GET", "/", {}, [this](RequestContext& c) { return home(c); }});
  add_standard_pages(*this);
  for (const auto& extend : options_.extensions) extend(*this);
}

WebApp::~WebApp() = default;

void WebApp::add_route(Route route) { routes_.push_back(std::move(route)); }
void WebApp::add_nav(NavLink link) { nav_.push_back(std::move(link)); }

Status WebApp::audit(const std::string& actor, const std::string& action,
                     const std::string& subject, const std::string& detail_json) {
  return options_.store->append_audit(options_.clock->now_ms(), actor, action, subject,
                                      detail_json);
}

std::string WebApp::session_cookie(const std::string& value, bool expire) const {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict";
  if (options_.secure_cookies) c += "; Secure";
  if (expire) c += "; Max-Age=0";
  return c;
}

std::string WebApp::request_lang(const HttpRequest& request) const {
  auto it = request.cookies.find(kLangCookie);
  return it != request.cookies.end() && it->second == "en" ? "en" : "ja";
}

HttpResponse WebApp::handle(const HttpRequest& request) {
  HttpResponse r;
  try {
    r = dispatch(request);
  } catch (const std::exception& e) {
    r = HttpResponse::text(500, "internal error");
  }
  add_security_headers(r);
  return r;
}

HttpResponse WebApp::dispatch(const HttpRequest& req) {
  if (req.path == "/static/jimu.css" && req.method == "GET") {
    HttpResponse r = HttpResponse::text(200, stylesheet());
    r.content_type = "text/css; charset=utf-8";
    return r;
  }
  if (req.path == "/favicon.ico") return HttpResponse::text(204, "");
  if (req.path == "/login") {
    if (req.method == "GET") return login_page(req, "", 200);
    if (req.method == "POST") return login(req);
    return HttpResponse::text(405, "method not allowed");
  }
  const bool api = is_api(req.path);

  // Who is asking: a session cookie, or (for the API) a bearer token.
  std::optional<User> user;
  std::string csrf;
  const int64_t now = options_.clock->now_ms();
  auto cookie = req.cookies.find(kSessionCookie);
  if (cookie != req.cookies.end() && !cookie->second.empty()) {
    auto session = options_.store->find_session(sha256_hex(cookie->second), now);
    if (!session) return HttpResponse::text(500, "store error");
    if (*session) {
      auto u = options_.store->find_user((*session)->user);
      if (!u) return HttpResponse::text(500, "store error");
      if (*u && !(*u)->disabled) {
        user = **u;
        csrf = (*session)->csrf;
      }
    }
  }
  if (!user && api) {
    std::string auth = req.header("authorization");
    if (auth.rfind("Bearer ", 0) == 0 && auth.size() > 7) {
      auto owner = options_.store->api_token_user(sha256_hex(auth.substr(7)));
      if (!owner) return api_error(500, "store error");
      if (*owner) {
        auto u = options_.store->find_user(**owner);
        if (!u) return api_error(500, "store error");
        if (*u && !(*u)->disabled) user = **u;
      }
    }
  }
  if (!user) {
    if (api) {
      HttpResponse r = api_error(401, "login required: a session or an API token");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"jimu\"");
      return r;
    }
    return HttpResponse::redirect("/login");
  }

  const Route* route = nullptr;
  bool path_known = false;
  std::map<std::string, std::string> params;
  for (const Route& candidate : routes_) {
    std::map<std::string, std::string> p;
    if (!match(candidate.pattern, req.path, &p)) continue;
    path_known = true;
    if (candidate.method == req.method) {
      route = &candidate;
      params = std::move(p);
      break;
    }
  }
  RequestContext ctx{req, *user, user->lang == "en" ? "en" : "ja", csrf, std::move(params), *this};
  if (route == nullptr) {
    if (api) return api_error(path_known ? 405 : 404, path_known ? "method not allowed" : "no such route");
    return page(ctx, ctx.t("見つかりません", "Not found"),
                std::string("<p>") + ctx.t("このページはありません。", "There is no such page.") +
                    "</p>",
                path_known ? 405 : 404);
  }
  if (!allowed(*user, route->roles)) {
    if (api) return api_error(403, "your roles do not allow this");
    return page(ctx, ctx.t("権限がありません", "Forbidden"),
                std::string("<p>") +
                    ctx.t("このページを使う権限がありません。",
                          "Your roles do not allow this page.") +
                    "</p>",
                403);
  }
  if (req.method != "GET") {
    // Token clients send no cookies, so a forged cross-site request cannot carry a token: only
    // session requests need the form token.
    if (csrf.empty() ? !api : !constant_time_equal(req.form_value("csrf"), csrf)) {
      if (api) return api_error(403, "missing or wrong CSRF token");
      return page(ctx, ctx.t("不正な要求", "Forbidden"),
                  std::string("<p>") +
                      ctx.t("フォームの確認用トークンがありません。ページを開き直してください。",
                            "The form's token is missing or wrong. Reload the page.") +
                      "</p>",
                  403);
    }
  }
  return route->handler(ctx);
}

HttpResponse WebApp::login_page(const HttpRequest& req, const std::string& error, int status) {
  std::string lang = req.query_value("lang");
  if (lang != "ja" && lang != "en") lang = request_lang(req);
  auto t = [&](const char* ja, const char* en) { return lang == "en" ? en : ja; };
  // Keep the token of an earlier visit: a second load (another tab, the browser's favicon
  // request redirected here) must not invalidate the form already shown.
  std::optional<std::string> token;
  auto existing = req.cookies.find(kLoginCsrfCookie);
  if (existing != req.cookies.end() && existing->second.size() == 64 &&
      existing->second.find_first_not_of("0123456789abcdef") == std::string::npos) {
    token = existing->second;
  } else if (auto fresh = random_hex(32)) {
    token = *fresh;
  } else {
    return HttpResponse::text(500, "cannot make a token");
  }
  std::string body =
      "<!DOCTYPE html>\n<html lang=\"" + lang +
      "\"><head><meta charset=\"utf-8\"><title>jimu</title>"
      "<link rel=\"stylesheet\" href=\"/static/jimu.css\"><link rel=\"icon\" href=\"data:,\"></head><body class=\"login\">"
      "<main><h1>jimu " + std::string(t("ログイン", "Login")) + "</h1>";
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + escape_html(error) + "</p>";
  body += "<form method=\"post\" action=\"/login\">"
          "<input type=\"hidden\" name=\"csrf\" value=\"" + *token + "\">"
          "<label>" + std::string(t("ユーザー名", "User name")) +
          " <input name=\"user\" autocomplete=\"username\" required autofocus></label>"
          "<label>" + std::string(t("パスワード", "Password")) +
          " <input name=\"password\" type=\"password\" autocomplete=\"current-password\" "
          "required></label>"
          "<button type=\"submit\">" + std::string(t("ログイン", "Log in")) + "</button></form>"
          "<p class=\"lang\"><a href=\"/login?lang=" + (lang == "en" ? "ja\">日本語" : "en\">English") +
          "</a></p></main></body></html>\n";
  HttpResponse r = HttpResponse::html(status, body);
  std::string cookie = std::string(kLoginCsrfCookie) + "=" + *token +
                       "; Path=/login; HttpOnly; SameSite=Strict";
  if (options_.secure_cookies) cookie += "; Secure";
  r.headers.emplace_back("Set-Cookie", cookie);
  if (req.query.count("lang") && (lang == "ja" || lang == "en")) {
    r.headers.emplace_back("Set-Cookie", std::string(kLangCookie) + "=" + lang +
                                             "; Path=/; SameSite=Strict" +
                                             (options_.secure_cookies ? "; Secure" : ""));
  }
  return r;
}

HttpResponse WebApp::login(const HttpRequest& req) {
  auto cookie = req.cookies.find(kLoginCsrfCookie);
  if (cookie == req.cookies.end() || cookie->second.empty() ||
      !constant_time_equal(req.form_value("csrf"), cookie->second)) {
    return HttpResponse::text(403, "missing or wrong CSRF token: reload the login page");
  }
  const bool en = request_lang(req) == "en";
  const std::string name = req.form_value("user").substr(0, 64);
  const std::string password = req.form_value("password");
  const int64_t now = options_.clock->now_ms();
  JsonWriter detail;
  detail.begin_object().field("address", req.remote_address).end_object();
  int64_t retry_after = 0;
  if (!limiter_.allowed(name, req.remote_address, now, &retry_after)) {
    (void)audit(name.empty() ? "-" : name, "web.login_limited", "user:" + name, detail.str());
    HttpResponse r = login_page(
        req,
        en ? "Too many failed logins. Try again in " + std::to_string(retry_after) + " seconds."
           : "ログインの失敗が多すぎます。" + std::to_string(retry_after) +
                 " 秒後にもう一度お試しください。",
        429);
    r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
  }
  auto user = options_.store->find_user(name);
  if (!user) return HttpResponse::text(500, "store error");
  bool ok;
  if (*user) {
    ok = verify_password(password, (*user)->password_hash) && !(*user)->disabled;
  } else {
    (void)verify_password(password, dummy_hash_);  // the same time as for a real user
    ok = false;
  }
  if (!ok) {
    limiter_.record_failure(name, req.remote_address, now);
    (void)audit(name.empty() ? "-" : name, "web.login_failed", "user:" + name, detail.str());
    return login_page(req,
                      en ? "The user name or the password is wrong."
                         : "ユーザー名またはパスワードが違います。",
                      401);
  }
  limiter_.record_success(name);
  auto id = random_hex(32);
  auto csrf = random_hex(32);
  if (!id || !csrf) return HttpResponse::text(500, "cannot make a session");
  WebSession s;
  s.id_hash = sha256_hex(*id);
  s.user = name;
  s.csrf = *csrf;
  s.created_at = now;
  s.expires_at = now + options_.session_ms;
  // No login without its audit entry: the session is only handed out once both are stored.
  if (!options_.store->create_session(s) ||
      !audit(name, "web.login", "user:" + name, detail.str())) {
    (void)options_.store->delete_session(s.id_hash, now);
    return HttpResponse::text(500, "store error");
  }
  HttpResponse r = HttpResponse::redirect("/");
  r.headers.emplace_back("Set-Cookie", session_cookie(*id, false));
  r.headers.emplace_back("Set-Cookie", std::string(kLoginCsrfCookie) +
                                           "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

HttpResponse WebApp::logout(RequestContext& ctx) {
  auto cookie = ctx.request.cookies.find(kSessionCookie);
  if (cookie != ctx.request.cookies.end()) {
    (void)options_.store->delete_session(sha256_hex(cookie->second), options_.clock->now_ms());
  }
  JsonWriter detail;
  detail.begin_object().field("address", ctx.request.remote_address).end_object();
  (void)audit(ctx.user.name, "web.logout", "user:" + ctx.user.name, detail.str());
  HttpResponse r = HttpResponse::redirect("/login");
  r.headers.emplace_back("Set-Cookie", session_cookie("", true));
  return r;
}

HttpResponse WebApp::set_language(RequestContext& ctx) {
  std::string lang = ctx.request.form_value("lang");
  if (lang != "ja" && lang != "en") return HttpResponse::text(400, "lang is ja or en");
  UserUpdate up;
  up.lang = lang;
  Status s = options_.store->update_user(ctx.user.name, up, ctx.user.name,
                                         options_.clock->now_ms());
  if (!s) return HttpResponse::text(500, "store error");
  std::string back = ctx.request.form_value("back");
  // Only a path of this site: never "//host" or a scheme (no open redirect).
  if (back.empty() || back[0] != '/' || (back.size() > 1 && (back[1] == '/' || back[1] == '\\'))) {
    back = "/";
  }
  HttpResponse r = HttpResponse::redirect(back);
  r.headers.emplace_back("Set-Cookie", std::string(kLangCookie) + "=" + lang +
                                           "; Path=/; SameSite=Strict" +
                                           (options_.secure_cookies ? "; Secure" : ""));
  return r;
}

HttpResponse WebApp::home(RequestContext& ctx) {
  // Each user lands where their work is.
  if (allowed(ctx.user, {"clerk", "author", "manager", "admin"})) return HttpResponse::redirect("/dashboard");
  return HttpResponse::redirect("/inbox");
}

std::string WebApp::csrf_field(const RequestContext& ctx) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape_html(ctx.csrf) + "\">";
}

HttpResponse WebApp::page(const RequestContext& ctx, const std::string& title,
                          const std::string& body, int status) const {
  std::string nav;
  for (const NavLink& l : nav_) {
    if (!allowed(ctx.user, l.roles)) continue;
    bool here = ctx.request.path == l.path ||
                (l.path != "/" && ctx.request.path.rfind(l.path + "/", 0) == 0);
    nav += "<a href=\"" + escape_html(l.path) + "\"" + (here ? " aria-current=\"page\"" : "") +
           ">" + escape_html(ctx.lang == "en" ? l.label_en : l.label_ja) + "</a>";
  }
  std::string back = ctx.request.path;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"" + ctx.lang + "\"><head><meta charset=\"utf-8\">"
      "<title>" + escape_html(title) + " - jimu</title>"
      "<link rel=\"stylesheet\" href=\"/static/jimu.css\"><link rel=\"icon\" href=\"data:,\"></head><body>"
      "<header><span class=\"brand\">jimu</span><nav>" + nav + "</nav>"
      "<span class=\"who\">" + escape_html(ctx.user.display_name.empty() ? ctx.user.name
                                                                          : ctx.user.display_name) +
      "</span>"
      "<form method=\"post\" action=\"/lang\" class=\"inline\">" + csrf_field(ctx) +
      "<input type=\"hidden\" name=\"back\" value=\"" + escape_html(back) + "\">"
      "<input type=\"hidden\" name=\"lang\" value=\"" + (ctx.lang == "en" ? "ja" : "en") + "\">"
      "<button type=\"submit\" class=\"link\">" + (ctx.lang == "en" ? "日本語" : "English") +
      "</button></form>"
      "<form method=\"post\" action=\"/logout\" class=\"inline\">" + csrf_field(ctx) +
      "<button type=\"submit\" class=\"link\">" + ctx.t("ログアウト", "Log out") +
      "</button></form></header><main><h1>" + escape_html(title) + "</h1>" + body +
      "</main></body></html>\n";
  return HttpResponse::html(status, html);
}

}  // namespace jimu::web
