// Status and Result<T>: the error currency at every module boundary.
//
// A Status is OK or carries a code, a message and whether retrying the same
// call may succeed (a broker that is down, a full queue) or not (bad input).
// Adapters translate rocksdb::Status, librdkafka and Beast errors into it in
// the one file that calls them. Thread-compatible (a value type).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace hub {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // bad input: the caller must change the request
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,  // authenticated, but not allowed
  kUnauthenticated,
  kResourceExhausted, // a configured limit was hit
  kUnavailable,       // a dependency is down; retryable
  kIoError,
  kCorruption,
  kInternal,
  kNotImplemented,
  kDeadlineExceeded,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg), true}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status NotImplemented(std::string msg) { return {StatusCode::kNotImplemented, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) { return {StatusCode::kDeadlineExceeded, std::move(msg), true}; }

  Status(StatusCode code, std::string msg, bool retryable = false)
      : code_(code), message_(std::move(msg)), retryable_(retryable) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool retryable() const { return retryable_; }
  // "InvalidArgument: message" (or "OK").
  std::string ToString() const;
  // Same code and retryability, message prefixed with `context: `.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  bool retryable_ = false;
};

// Result<T>: a value or a non-OK Status (GCC 12 has no std::expected).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}            // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hub

#define HUB_CONCAT_INNER(a, b) a##b
#define HUB_CONCAT(a, b) HUB_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define HUB_RETURN_IF_ERROR(expr)                \
  do {                                           \
    ::hub::Status hub_status_ = (expr);          \
    if (!hub_status_.ok()) return hub_status_;   \
  } while (0)

// `HUB_ASSIGN_OR_RETURN(auto x, MakeX());` unwraps a Result or returns its Status.
#define HUB_ASSIGN_OR_RETURN(lhs, rexpr) \
  HUB_ASSIGN_OR_RETURN_IMPL(HUB_CONCAT(hub_result_, __LINE__), lhs, rexpr)
#define HUB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
