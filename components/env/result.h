// Result<T>: a value or a non-OK Status (absl::StatusOr in spirit).
//
// REQUIRES: a Result built from a Status carries a non-OK status; value() only when ok().
#pragma once

#include <optional>
#include <utility>

#include "components/env/check.h"
#include "components/env/status.h"

namespace simvus {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    SIMVUS_CHECK(!status_.ok(), "Result built from an OK status without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    SIMVUS_CHECK(ok(), "Result::value() on error: " + status_.ToString());
    return *value_;
  }
  const T& value() const& {
    SIMVUS_CHECK(ok(), "Result::value() on error: " + status_.ToString());
    return *value_;
  }
  T&& value() && {
    SIMVUS_CHECK(ok(), "Result::value() on error: " + status_.ToString());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace simvus

// Propagate a non-OK Status from an expression returning Status, in a coroutine.
#define SIMVUS_CO_RETURN_IF_ERROR(expr)                   \
  do {                                                    \
    ::simvus::Status simvus_status__ = (expr);            \
    if (!simvus_status__.ok()) co_return simvus_status__; \
  } while (0)

#define SIMVUS_RETURN_IF_ERROR(expr)                   \
  do {                                                 \
    ::simvus::Status simvus_status__ = (expr);         \
    if (!simvus_status__.ok()) return simvus_status__; \
  } while (0)
