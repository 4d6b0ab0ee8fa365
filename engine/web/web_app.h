// WebApp: jimu's web pages and JSON API behind one entry point, handle(request) -> response,
// independent of the HTTP server that carries them (web_server.h). DESIGN.md section 9, issue 8.
//
// What handle() enforces for every route, before any page runs:
// - a login: pages without a valid session redirect to /login; /api/ answers 401 without a
//   session or an "Authorization: Bearer TOKEN" (jimu user token);
// - the route's roles (403 otherwise), checked here on the server, whatever the page shows;
// - a CSRF token on every POST: the session's token in the form field "csrf" (403 otherwise);
//   the login form carries a token bound to a cookie instead;
// - the security headers (CSP without inline scripts or styles, no framing, nosniff, no
//   referrer) on every response, and sessions in HttpOnly, SameSite=Strict cookies (Secure over
//   TLS) whose ids the store keeps only hashed, with an expiry;
// - rate-limited logins per user name and per address; an audit entry for every login, failed
//   login, logout and change (decisions are audited by the approval router with the web user as
//   the actor).
// Pages escape everything they show (escape_html). Labels are Japanese first, English by the
// user's choice (stored with the user, and in a cookie before login).
//
// Extension point: a feature adds its pages with add_route() and a menu entry with add_nav()
// before the server starts (WebAppOptions::extensions does it at construction); pages build their
// HTML with page(), csrf_field() and escape_html(). The scheduler's schedules page is added that
// way (list, enable, disable, run now).
//
// Thread-safe once built: handle() may run on many threads at once; add_route()/add_nav() only
// before the first request.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/approval/approval_router.h"
#include "engine/core/clock.h"
#include "engine/kpi/kpi.h"
#include "engine/store/store.h"
#include "engine/web/credentials.h"
#include "engine/web/http.h"
#include "engine/web/login_limiter.h"

namespace jimu::web {

class WebApp;

// What a page handler is given: the request, the logged-in user and their language.
struct RequestContext {
  const HttpRequest& request;
  const User& user;
  std::string lang;    // "ja" | "en"
  std::string csrf;    // the session's form token ("" when authenticated by an API token)
  std::map<std::string, std::string> params;  // path parameters: "/runs/{id}" -> params["id"]
  WebApp& app;

  // The label in the user's language.
  const char* t(const char* ja, const char* en) const { return lang == "en" ? en : ja; }
  std::string param(const std::string& name) const;
};

using PageHandler = std::function<HttpResponse(RequestContext&)>;

struct Route {
  std::string method;   // "GET" | "POST"
  std::string pattern;  // "/runs/{id}": a {name} segment matches one path segment
  std::vector<std::string> roles;  // any of these may use the route; empty: any logged-in user
  PageHandler handler;
};

// A menu entry; shown to users holding one of roles (empty: everyone).
struct NavLink {
  std::string path;
  std::string label_ja;
  std::string label_en;
  std::vector<std::string> roles;
};

struct WebAppOptions {
  Store* store = nullptr;               // borrowed; outlives the app
  Clock* clock = nullptr;               // borrowed; outlives the app
  ApprovalRouter* approval = nullptr;   // borrowed; null: no inbox pages
  // The KPI options (targets, kinds) of a fiscal year: the dashboard's targets. Required.
  std::function<Result<KpiOptions>(int fiscal_year)> kpi_options;
  bool secure_cookies = false;          // set Secure on cookies (the server runs TLS)
  int64_t session_ms = 8 * 3600 * 1000; // a session's lifetime from login (default 8 hours)
  LoginLimits login_limits;
  // Iterations of the hash checked for an unknown user name, so that its answer takes as long
  // as a real user's (default: the count new hashes get).
  int dummy_hash_iterations = kDefaultPasswordIterations;
  // Called with the app at construction, after jimu's own pages: features add theirs here.
  std::vector<std::function<void(WebApp&)>> extensions;
};

class WebApp {
 public:
  explicit WebApp(WebAppOptions options);
  ~WebApp();

  HttpResponse handle(const HttpRequest& request);

  void add_route(Route route);
  void add_nav(NavLink link);

  // A complete HTML page: the layout with the menu for ctx.user, the title and body (HTML the
  // caller has escaped), a status.
  HttpResponse page(const RequestContext& ctx, const std::string& title, const std::string& body,
                    int status = 200) const;
  // <input type="hidden" name="csrf" ...>: every form of a page includes it.
  static std::string csrf_field(const RequestContext& ctx);

  const WebAppOptions& options() const { return options_; }

 private:
  struct Auth;
  HttpResponse dispatch(const HttpRequest& request);
  HttpResponse login_page(const HttpRequest& request, const std::string& error, int status);
  HttpResponse login(const HttpRequest& request);
  HttpResponse logout(RequestContext& ctx);
  HttpResponse set_language(RequestContext& ctx);
  HttpResponse home(RequestContext& ctx);
  std::string session_cookie(const std::string& value, bool expire) const;
  std::string request_lang(const HttpRequest& request) const;
  // A refused login or a logout still answers when its entry cannot be written (the store's
  // failure shows elsewhere); a successful login does not.
  Status audit(const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail_json);

  WebAppOptions options_;
  LoginLimiter limiter_;
  std::vector<Route> routes_;
  std::vector<NavLink> nav_;
  std::string dummy_hash_;
};

// jimu's own pages (web_pages.cpp): dashboard, runs, inbox, operations, audit and the JSON API.
void add_standard_pages(WebApp& app);

// The stylesheet served at /static/jimu.css (static_assets.cpp).
const std::string& stylesheet();

}  // namespace jimu::web
