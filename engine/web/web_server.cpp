#include "engine/web/web_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <cstdlib>
#include <istream>
#include <mutex>

namespace jimu::web {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(WebApp& app, bool tls, size_t max_body) : app_(app), tls_(tls), max_body_(max_body) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    HttpRequest req;
    req.method = in.getMethod();
    std::string uri = in.getURI();
    size_t q = uri.find('?');
    req.path = url_decode(uri.substr(0, q), false);
    if (q != std::string::npos) req.query = parse_urlencoded(uri.substr(q + 1));
    for (const auto& [name, value] : in) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      req.headers[lower] = value;
    }
    req.cookies = parse_cookies(req.header("cookie"));
    req.remote_address = in.clientAddress().host().toString();
    req.secure = tls_;
    HttpResponse res;
    bool too_large = false;
    if (req.method == "POST") {
      std::string body;
      char buf[8192];
      std::istream& s = in.stream();
      while (s.read(buf, sizeof buf) || s.gcount() > 0) {
        body.append(buf, static_cast<size_t>(s.gcount()));
        if (body.size() > max_body_) {
          too_large = true;
          break;
        }
      }
      if (req.header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0) {
        req.form = parse_urlencoded(body);
      }
    }
    if (too_large) {
      res = HttpResponse::text(413, "request body too large");
    } else {
      res = app_.handle(req);
    }
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
    out.setContentType(res.content_type);
    for (const auto& [name, value] : res.headers) out.add(name, value);
    out.setContentLength(static_cast<std::streamsize>(res.body.size()));
    if (req.method == "HEAD") {
      out.send();
    } else {
      out.send().write(res.body.data(), static_cast<std::streamsize>(res.body.size()));
    }
  }

 private:
  WebApp& app_;
  bool tls_;
  size_t max_body_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(WebApp& app, bool tls, size_t max_body) : app_(app), tls_(tls), max_body_(max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(app_, tls_, max_body_);
  }

 private:
  WebApp& app_;
  bool tls_;
  size_t max_body_;
};

void initialize_ssl_once() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

struct WebServer::Impl {
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

Status parse_listen(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::invalid("listen address '" + text + "' is not HOST:PORT like 127.0.0.1:8470");
  }
  std::string p = text.substr(colon + 1);
  char* end = nullptr;
  long n = std::strtol(p.c_str(), &end, 10);
  if (p.empty() || *end != '\0' || n < 0 || n > 65535) {
    return Status::invalid("listen address '" + text + "': port must be a number from 0 to 65535");
  }
  *host = text.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  *port = static_cast<int>(n);
  return Status::ok();
}

WebServer::WebServer(WebServerOptions options, WebApp& app)
    : options_(std::move(options)), app_(app), impl_(std::make_unique<Impl>()) {}

WebServer::~WebServer() { stop(); }

Status WebServer::start() {
  if (impl_->server) return Status::conflict("the web server is running already");
  std::string host;
  int port = 0;
  if (Status s = parse_listen(options_.listen, &host, &port); !s) return s;
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    return Status::invalid("TLS needs both a certificate (tls_cert) and a key (tls_key)");
  }
  try {
    Poco::Net::SocketAddress address(host, static_cast<Poco::UInt16>(port));
    Poco::Net::ServerSocket socket;
    if (tls()) {
      initialize_ssl_once();
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, options_.tls_key, options_.tls_cert, "",
          Poco::Net::Context::VERIFY_NONE);
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 |
                                Poco::Net::Context::PROTO_TLSV1_1);
      socket = Poco::Net::SecureServerSocket(address, 64, context);
    } else {
      socket = Poco::Net::ServerSocket(address, 64);
    }
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options_.threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(app_, tls(), options_.max_body_bytes), socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    impl_->server.reset();
    return Status::io("web server on " + options_.listen + ": " + e.displayText());
  } catch (const std::exception& e) {
    impl_->server.reset();
    return Status::io("web server on " + options_.listen + ": " + e.what());
  }
  return Status::ok();
}

void WebServer::stop() {
  if (!impl_->server) return;
  impl_->server->stopAll(true);
  impl_->server.reset();
}

int WebServer::port() const { return impl_->port; }

}  // namespace jimu::web
