// Time types. All times are int64 nanoseconds, never doubles.
//
//   Duration  - a span of time.
//   Instant   - a point on a clock: nanoseconds since the Unix epoch. In simulation the epoch of a
//               run is configurable so that TSO physical parts look like real dates.
//   Timestamp - a hybrid TSO timestamp, (physical_ms << 18) | logical, as Milvus allocates them
//               (reference/milvus-semantics.md §1). Ordered; 0 means "unset".
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace simvus {

struct Duration {
  int64_t ns = 0;

  static constexpr Duration Nanos(int64_t n) { return {n}; }
  static constexpr Duration Micros(int64_t us) { return {us * 1000}; }
  static constexpr Duration Millis(int64_t ms) { return {ms * 1000 * 1000}; }
  static constexpr Duration Seconds(int64_t s) { return {s * 1000 * 1000 * 1000}; }
  static constexpr Duration Zero() { return {0}; }

  constexpr int64_t millis() const { return ns / (1000 * 1000); }
  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return {ns + o.ns}; }
  constexpr Duration operator-(Duration o) const { return {ns - o.ns}; }
  constexpr Duration operator*(int64_t k) const { return {ns * k}; }
  constexpr Duration& operator+=(Duration o) {
    ns += o.ns;
    return *this;
  }
};

struct Instant {
  int64_t unix_ns = 0;

  constexpr int64_t unix_ms() const { return unix_ns / (1000 * 1000); }
  constexpr auto operator<=>(const Instant&) const = default;
  constexpr Instant operator+(Duration d) const { return {unix_ns + d.ns}; }
  constexpr Instant operator-(Duration d) const { return {unix_ns - d.ns}; }
  constexpr Duration operator-(Instant o) const { return {unix_ns - o.unix_ns}; }
};

struct Timestamp {
  static constexpr int kLogicalBits = 18;
  static constexpr uint64_t kLogicalMask = (uint64_t{1} << kLogicalBits) - 1;

  uint64_t value = 0;

  static constexpr Timestamp Compose(int64_t physical_ms, uint64_t logical) {
    return {(static_cast<uint64_t>(physical_ms) << kLogicalBits) | (logical & kLogicalMask)};
  }
  static constexpr Timestamp Max() { return {~uint64_t{0}}; }

  constexpr int64_t physical_ms() const { return static_cast<int64_t>(value >> kLogicalBits); }
  constexpr uint64_t logical() const { return value & kLogicalMask; }
  constexpr bool is_set() const { return value != 0; }
  // Milvus's AddPhysicalDurationOnTs: moves the physical part only (used for Bounded reads).
  constexpr Timestamp AddPhysical(Duration d) const {
    return Compose(physical_ms() + d.millis(), logical());
  }
  constexpr auto operator<=>(const Timestamp&) const = default;
};

// "1712345678901.3" style: physical ms, a dot, the logical counter. Short and sortable in traces.
std::string ToString(Timestamp ts);
// "12.345678s" style sim-time rendering of a duration.
std::string ToString(Duration d);

}  // namespace simvus
