// HTTP requests and responses as the web pages see them: plain values, with no Poco type in
// sight (web_server.cpp converts), so pages and their tests need no socket. Also the decoding of
// URLs, forms and cookies, and HTML escaping. Thread-safe as values; the functions are pure.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace jimu::web {

struct HttpRequest {
  std::string method;                          // "GET", "POST"
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // decoded; a repeated name keeps the last value
  std::map<std::string, std::string> form;     // an application/x-www-form-urlencoded body
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string remote_address;                  // "127.0.0.1"
  bool secure = false;                         // arrived over TLS

  // The value or "" when absent.
  std::string query_value(const std::string& name) const;
  std::string form_value(const std::string& name) const;
  std::string header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Location, Set-Cookie, ...

  static HttpResponse html(int status, std::string body);
  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body);
  static HttpResponse redirect(const std::string& location);  // 303 See Other
};

// "%E7%94%B0+x" -> "田 x" (plus as space when form is true). Malformed escapes stay as they are.
std::string url_decode(const std::string& s, bool form = true);
std::string url_encode(const std::string& s);
// "a=1&b=%E7%94%B0" -> {a: 1, b: 田}
std::map<std::string, std::string> parse_urlencoded(const std::string& s);
// "a=1; b=2" -> {a: 1, b: 2}
std::map<std::string, std::string> parse_cookies(const std::string& header);

// Text as HTML: & < > " ' escaped, so markup in a workflow name or a log line shows as text
// (the same escaping as the report's, svg::escape_html).
std::string escape_html(const std::string& text);

}  // namespace jimu::web
