#include "engine/core/status.h"

namespace jimu {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kNotFound: return "not_found";
    case Code::kParse: return "parse";
    case Code::kEncoding: return "encoding";
    case Code::kIo: return "io";
    case Code::kTimeout: return "timeout";
    case Code::kRefused: return "refused";
    case Code::kAuth: return "auth";
    case Code::kRejected: return "rejected";
    case Code::kDenied: return "denied";
    case Code::kInvalid: return "invalid";
    case Code::kConflict: return "conflict";
    case Code::kLimit: return "limit";
    case Code::kInternal: return "internal";
  }
  return "internal";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  return std::string(code_name(code_)) + ": " + message_;
}

Status Status::with_prefix(const std::string& prefix) const {
  if (is_ok()) return *this;
  return Status(code_, prefix + ": " + message_);
}

}  // namespace jimu
