// WebServer: serves a WebApp over HTTP, or HTTPS when a certificate and key are given, with
// Poco's HTTPServer (the only file of jimu that includes Poco::Net). Binds 127.0.0.1:8470 unless
// told otherwise (DESIGN.md section 1: closed networks). start() returns once the socket listens;
// stop() waits for requests in flight. Thread-safe: start/stop from one thread; requests are
// served on Poco's pool, each calling WebApp::handle.
#pragma once

#include <memory>
#include <string>

#include "engine/core/status.h"
#include "engine/web/web_app.h"

namespace jimu::web {

struct WebServerOptions {
  std::string listen = "127.0.0.1:8470";  // HOST:PORT; port 0 picks a free one (tests)
  std::string tls_cert;                   // PEM certificate (chain); with tls_key: HTTPS
  std::string tls_key;                    // PEM private key
  int threads = 8;                        // requests served at once
  size_t max_body_bytes = 1 << 20;        // larger request bodies are refused (413)
};

class WebServer {
 public:
  // app is borrowed and must outlive the server.
  WebServer(WebServerOptions options, WebApp& app);
  ~WebServer();  // stops

  Status start();
  void stop();
  int port() const;  // the bound port (after start)
  bool tls() const { return !options_.tls_cert.empty(); }

 private:
  struct Impl;
  WebServerOptions options_;
  WebApp& app_;
  std::unique_ptr<Impl> impl_;
};

// "127.0.0.1:8470" -> host and port; invalid naming the text otherwise.
Status parse_listen(const std::string& text, std::string* host, int* port);

}  // namespace jimu::web
