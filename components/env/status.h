// Status: the outcome of an operation that can fail, as a small value.
//
// Codes follow absl's names and their retry meaning:
//   kUnavailable, kDeadlineExceeded  - transient; the caller may retry (a deadline leaves the
//                                      outcome of a write indeterminate).
//   kNotFound, kInvalidArgument,
//   kFailedPrecondition, kOutOfRange,
//   kAlreadyExists                   - permanent for this request.
//   kResourceExhausted               - throttled; retry later.
//   kDataLoss                        - stored data is corrupt or gone; never serve it.
//   kInternal                        - a bug or broken invariant.
//   kPermissionDenied                - credentials refused (S3 403); permanent until fixed.
// No exception crosses a library boundary: adapters catch at their edge and return a Status.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace simvus {

enum class StatusCode {
  kOk = 0,
  kCancelled,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kOutOfRange,
  kResourceExhausted,
  kUnavailable,
  kDataLoss,
  kInternal,
  kPermissionDenied,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK" or "<CODE>: <message>", e.g. "INVALID_ARGUMENT: field 'vec': dim 3, expected 4".
  std::string ToString() const;

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DeadlineExceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }

// True for codes a caller may retry: the request may succeed if sent again.
bool IsRetryable(StatusCode code);

}  // namespace simvus
