#include "engine/script/workflow_def.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace jimu {

std::string param_to_string(const ParamValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  double d = std::get<double>(v);
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

std::string Diagnostic::to_string() const {
  if (line > 0) return file + ":" + std::to_string(line) + ": " + message;
  return file + ": " + message;
}

std::optional<ParamValue> convert_param(const ParamValue& declared, const std::string& text,
                                        std::string* error) {
  if (std::holds_alternative<std::string>(declared)) return ParamValue(text);
  if (std::holds_alternative<bool>(declared)) {
    if (text == "true" || text == "yes" || text == "1") return ParamValue(true);
    if (text == "false" || text == "no" || text == "0") return ParamValue(false);
    *error = "expected true or false, got '" + text + "'";
    return std::nullopt;
  }
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(d)) {
    *error = "expected a number, got '" + text + "'";
    return std::nullopt;
  }
  return ParamValue(d);
}

std::optional<double> parse_duration_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(n) || n <= 0) return std::nullopt;
  std::string unit(end);
  if (unit.empty() || unit == "s") return n;
  if (unit == "m") return n * 60;
  if (unit == "h") return n * 3600;
  return std::nullopt;
}

}  // namespace jimu
