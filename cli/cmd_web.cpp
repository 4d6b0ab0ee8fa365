// jimu web [--listen ADDR:PORT]: serves the web pages in the foreground until SIGTERM or SIGINT.
// (jimu serve will start the same server next to the scheduler.)
#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <iostream>

#include "cli/web_setup.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const CmdSpec kWebSpec = {
    "web", "[--listen ADDR:PORT]",
    "Serves jimu's web pages in the foreground until SIGTERM or SIGINT (Ctrl-C): the dashboard\n"
    "(KPI against targets), runs and their logs, the approval inbox, the operation registry, the\n"
    "audit trail's verification, and the JSON API under /api/ (runs, kpi, inbox; with\n"
    "'Authorization: Bearer TOKEN' from 'jimu user token'). Users log in with the accounts of\n"
    "'jimu user add'. HTTPS when [web] tls_cert and tls_key are set in jimu.conf.",
    {{"listen", "ADDR:PORT", "the address to listen on (default [web] listen, 127.0.0.1:8470)"}},
    "Example:\n  jimu user add kacho.tanaka --role approver,manager\n  jimu web --listen 127.0.0.1:8470",
    0, 0};

}  // namespace

Result<web::WebServerOptions> web_server_options(const App& app,
                                                 const std::optional<std::string>& listen_override) {
  const Config& c = app.config;
  auto where = [&](const std::string& key) {
    return c.path + ":" + std::to_string(c.lines.count(key) ? c.lines.at(key) : 0) + ": ";
  };
  web::WebServerOptions o;
  o.listen = listen_override.value_or(c.get("web.listen", "127.0.0.1:8470"));
  std::string host;
  int port = 0;
  if (Status s = web::parse_listen(o.listen, &host, &port); !s) {
    return Status::invalid((listen_override ? std::string("--listen: ") : where("web.listen")) +
                           s.message());
  }
  auto resolve = [&](const std::string& p) {
    return p.empty() || fs::path(p).is_absolute() ? p : (fs::path(app.home) / p).string();
  };
  o.tls_cert = resolve(c.get("web.tls_cert"));
  o.tls_key = resolve(c.get("web.tls_key"));
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return Status::parse(where(o.tls_cert.empty() ? "web.tls_key" : "web.tls_cert") +
                         "HTTPS needs both tls_cert and tls_key");
  }
  for (const std::string* f : {&o.tls_cert, &o.tls_key}) {
    if (!f->empty() && !fs::is_regular_file(*f)) return Status::not_found(*f + ": no such file");
  }
  return o;
}

Result<std::unique_ptr<web::WebApp>> make_web_app(
    App& app, bool secure, std::vector<std::function<void(web::WebApp&)>> extensions) {
  web::WebAppOptions o;
  o.store = app.store.get();
  o.clock = app.clock;
  o.approval = app.approval.get();
  const App* a = &app;
  o.kpi_options = [a](int fy) { return a->kpi_options(fy); };
  o.secure_cookies = secure;
  std::string hours = app.config.get("web.session_hours", "8");
  char* end = nullptr;
  long h = std::strtol(hours.c_str(), &end, 10);
  if (hours.empty() || *end != '\0' || h < 1 || h > 24 * 30) {
    return Status::parse(app.config.path + ":" +
                         std::to_string(app.config.lines.count("web.session_hours")
                                            ? app.config.lines.at("web.session_hours")
                                            : 0) +
                         ": session_hours must be a number of hours from 1 to 720, not '" + hours +
                         "'");
  }
  o.session_ms = static_cast<int64_t>(h) * 3600 * 1000;
  o.extensions = std::move(extensions);
  return std::make_unique<web::WebApp>(std::move(o));
}

int cmd_web(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kWebSpec, argv, &code);
  if (!args) return code;
  // Block the stop signals before any thread starts, so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto options = web_server_options(**app, args->get("listen"));
  if (!options) return fail(options.status().message(), kExitUsage);
  auto web_app = make_web_app(**app, !options->tls_cert.empty());
  if (!web_app) return fail(web_app.status().message(), kExitUsage);
  web::WebServer server(*options, **web_app);
  if (Status s = server.start(); !s) return fail(s);
  std::string host;
  int port = 0;
  (void)web::parse_listen(options->listen, &host, &port);
  std::cout << "jimu web: serving " << (server.tls() ? "https" : "http") << "://" << host << ":"
            << server.port() << "/ (stop with Ctrl-C or SIGTERM)" << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();
  std::cout << "jimu web: stopped" << std::endl;
  return kExitOk;
}

}  // namespace jimu::cli
