#include "engine/web/http.h"

#include "engine/report/svg_chart.h"

namespace jimu::web {

std::string HttpRequest::query_value(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::string HttpRequest::form_value(const std::string& name) const {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string HttpRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpResponse::html(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::redirect(const std::string& location) {
  HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", location);
  return r;
}

std::string url_decode(const std::string& s, bool form) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && form) {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string url_encode(const std::string& s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_urlencoded(const std::string& s) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('&', start);
    if (end == std::string::npos) end = s.size();
    std::string pair = s.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) {
        out[url_decode(pair)] = "";
      } else {
        out[url_decode(pair.substr(0, eq))] = url_decode(pair.substr(eq + 1));
      }
    }
    start = end + 1;
  }
  return out;
}

std::map<std::string, std::string> parse_cookies(const std::string& header) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(start, end - start);
    size_t a = pair.find_first_not_of(' ');
    if (a != std::string::npos) {
      pair = pair.substr(a);
      size_t eq = pair.find('=');
      if (eq != std::string::npos) {
        std::string name = pair.substr(0, eq);
        // The first of two cookies with one name wins (the most specific path, RFC 6265).
        if (!out.count(name)) out[name] = pair.substr(eq + 1);
      }
    }
    start = end + 1;
  }
  return out;
}

std::string escape_html(const std::string& text) { return svg::escape_html(text); }

}  // namespace jimu::web
