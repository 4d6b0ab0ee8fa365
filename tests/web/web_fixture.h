// WebFixture: jimu's web pages on a real HTTP server on a loopback port, over a real SQLite store
// in a TempDir, a FakeClock (Tuesday 2026-11-24 09:00 JST) and an approval router; and a small
// HTTP client (Poco's HTTPClientSession) that keeps cookies like a browser.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/approval/business_days.h"
#include "engine/web/credentials.h"
#include "engine/web/web_app.h"
#include "engine/web/web_server.h"
#include "tests/approval/approval_fixture.h"

namespace jimu::testing {

inline constexpr int kTestIterations = 1000;  // fast hashes for tests; production uses 600000

struct Reply {
  int status = 0;
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> out;
    auto [a, b] = headers.equal_range(name);
    for (auto it = a; it != b; ++it) out.push_back(it->second);
    return out;
  }
};

class Browser {
 public:
  explicit Browser(int port) : port_(port) {}

  Reply get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    return send("GET", path, "", headers);
  }
  Reply post(const std::string& path, const std::map<std::string, std::string>& form,
             const std::map<std::string, std::string>& headers = {}) {
    std::string body;
    for (const auto& [k, v] : form) {
      body += (body.empty() ? "" : "&") + web::url_encode(k) + "=" + web::url_encode(v);
    }
    return send("POST", path, body, headers);
  }

  // Logs in through the login form; returns the reply to the POST.
  Reply login(const std::string& user, const std::string& password) {
    Reply page = get("/login");
    return post("/login", {{"user", user}, {"password", password}, {"csrf", token_in(page.body)}});
  }
  // The CSRF token of the first form of a page.
  static std::string token_in(const std::string& html) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([0-9a-f]+)\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  // The CSRF token of this browser's session (from a page it may see).
  std::string session_token() { return token_in(get("/runs").body + get("/inbox").body); }

  std::map<std::string, std::string> cookies;

 private:
  Reply send(const std::string& method, const std::string& path, const std::string& body,
             const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port_));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    std::string cookie_header;
    for (const auto& [k, v] : cookies) cookie_header += (cookie_header.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie_header.empty()) req.set("Cookie", cookie_header);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (method == "POST") {
      req.setContentType("application/x-www-form-urlencoded");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = s.sendRequest(req);
    out << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = s.receiveResponse(res);
    Reply r;
    r.status = res.getStatus();
    for (const auto& [k, v] : res) r.headers.emplace(k, v);
    std::ostringstream text;
    text << in.rdbuf();
    r.body = text.str();
    for (const std::string& c : r.all("Set-Cookie")) {
      size_t eq = c.find('='), semi = c.find(';');
      std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
      if (c.find("Max-Age=0") != std::string::npos || value.empty()) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
    return r;
  }

  int port_;
};

class WebFixture : public ApprovalFixture {
 public:
  explicit WebFixture(std::vector<std::function<void(web::WebApp&)>> extensions = {}) {
    clock.set_ms(jst_9am(2026, 11, 24));
    web::WebAppOptions o;
    o.store = store.get();
    o.clock = &clock;
    o.approval = router.get();
    o.kpi_options = [this](int) -> Result<KpiOptions> { return kpi; };
    o.dummy_hash_iterations = kTestIterations;
    o.extensions = std::move(extensions);
    app = std::make_unique<web::WebApp>(std::move(o));
    web::WebServerOptions so;
    so.listen = "127.0.0.1:0";
    server = std::make_unique<web::WebServer>(so, *app);
    Status s = server->start();
    if (!s) throw std::runtime_error(s.message());
  }
  ~WebFixture() { server->stop(); }

  void add_user(const std::string& name, const std::string& roles,
                const std::string& password = "pass-word-1") {
    User u;
    u.name = name;
    u.display_name = name;
    u.roles = split_roles(roles);
    u.password_hash = *web::hash_password(password, kTestIterations);
    Status s = store->add_user(u, "test", clock.now_ms());
    if (!s) throw std::runtime_error(s.message());
  }
  // A browser logged in as name (password "pass-word-1").
  Browser browser_of(const std::string& name) {
    Browser b(server->port());
    Reply r = b.login(name, "pass-word-1");
    if (r.status != 303) throw std::runtime_error("login of " + name + " failed: " + r.body);
    return b;
  }
  Browser anonymous() { return Browser(server->port()); }

  KpiOptions kpi;
  std::unique_ptr<web::WebApp> app;
  std::unique_ptr<web::WebServer> server;
};

}  // namespace jimu::testing
