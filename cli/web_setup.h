// Wiring the web pages from an App: the options of [web] in jimu.conf and the WebApp over the
// app's store, clock, approval router and KPI options. `jimu web` uses it; `jimu serve` starts the
// same server next to the scheduler, passing its extensions (the schedules page).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"
#include "engine/web/web_app.h"
#include "engine/web/web_server.h"

namespace jimu::cli {

// [web] listen, tls_cert, tls_key (listen_override, e.g. from --listen, wins). Relative
// certificate paths are relative to the home folder. parse errors name the line.
Result<web::WebServerOptions> web_server_options(const App& app,
                                                 const std::optional<std::string>& listen_override);

// The pages over app (borrowed; it must outlive the result). secure: the server runs TLS.
Result<std::unique_ptr<web::WebApp>> make_web_app(
    App& app, bool secure, std::vector<std::function<void(web::WebApp&)>> extensions = {});

}  // namespace jimu::cli
