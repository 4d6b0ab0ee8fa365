// Status and Result<T>: the error vocabulary of every jimu library.
//
// A Status is either ok or carries a stable code and a message that names its subject
// ("in/debit.csv:1042: unterminated quoted field"). Codes are the ones a Lua workflow sees as the
// third return value of a failed call, so their names (code_name) are API and never change.
// Public jimu APIs return Status or Result<T>; they do not throw. Values are cheap to copy.
// Thread-safe as values: no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace jimu {

enum class Code {
  kOk,
  kNotFound,  // a file, run, operation or sheet that does not exist
  kParse,     // malformed input: CSV, XML, a date, a workflow file
  kEncoding,  // bytes invalid for the declared encoding, or a character it cannot hold
  kIo,        // the operating system refused a read or write
  kTimeout,   // a deadline passed
  kRefused,   // a server refused the connection
  kAuth,      // authentication failed
  kRejected,  // a server or a rule rejected the request (recipient, approval out of turn)
  kDenied,    // the sandbox forbids it (a path outside the allowed folders)
  kInvalid,   // a value that is well-formed but not acceptable (usage, validation)
  kConflict,  // the state changed under us or the thing exists already
  kLimit,     // a configured limit (memory, time, size) was exceeded
  kInternal,  // a bug or an unexpected library failure
};

// The stable lower-case name of a code: "not_found", "parse", ...
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status ok() { return Status(); }
  static Status error(Code code, std::string message) { return Status(code, std::move(message)); }
  static Status not_found(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status parse(std::string m) { return Status(Code::kParse, std::move(m)); }
  static Status encoding(std::string m) { return Status(Code::kEncoding, std::move(m)); }
  static Status io(std::string m) { return Status(Code::kIo, std::move(m)); }
  static Status timeout(std::string m) { return Status(Code::kTimeout, std::move(m)); }
  static Status refused(std::string m) { return Status(Code::kRefused, std::move(m)); }
  static Status auth(std::string m) { return Status(Code::kAuth, std::move(m)); }
  static Status rejected(std::string m) { return Status(Code::kRejected, std::move(m)); }
  static Status denied(std::string m) { return Status(Code::kDenied, std::move(m)); }
  static Status invalid(std::string m) { return Status(Code::kInvalid, std::move(m)); }
  static Status conflict(std::string m) { return Status(Code::kConflict, std::move(m)); }
  static Status limit(std::string m) { return Status(Code::kLimit, std::move(m)); }
  static Status internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "parse: in/a.csv:3:7: unterminated quoted field"; "ok" when ok.
  std::string to_string() const;
  // The same status with "prefix: " put before its message.
  Status with_prefix(const std::string& prefix) const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  // On a temporary Result the value is moved out, not referenced: `for (auto& x : *f())` and
  // `auto& v = f().value()` would otherwise refer into a destroyed object.
  T value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T operator*() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace jimu
