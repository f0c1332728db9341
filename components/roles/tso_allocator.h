// TsoAllocator: the root coordinator's hybrid timestamp oracle (semantics §1).
//
// Timestamps are (physical_ms << 18) | logical. Invariants:
//   - every issued timestamp is unique and strictly greater than every earlier one, also across a
//     restart: the MetaStore always holds an upper bound ("window") above every physical part
//     issued, saved *before* physical moves to within 1 ms of it; Init resumes at
//     max(now, saved + 1ms).
//   - physical follows the node's clock on UpdateTimestamp (every 50 ms); if the clock is behind,
//     physical advances by 1 ms only when logical is half used, so TSO runs ahead of a slow clock.
//   - logical overflow (2^18 per ms) makes Generate wait for the next update, up to 10 tries.
#pragma once

#include <cstdint>

#include "components/env/env.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class TsoAllocator {
 public:
  static constexpr uint64_t kMaxLogical = uint64_t{1} << Timestamp::kLogicalBits;

  TsoAllocator(Env& env, const ClusterConfig& config) : env_(env), config_(config) {}

  // Loads the saved window and starts issuing above it. kUnavailable if the MetaStore is.
  Task<Status> Init();
  // Moves physical forward if the clock or the logical counter says so (called every 50 ms).
  Task<Status> UpdateTimestamp();
  // Reserves `count` timestamps; returns the first. REQUIRES: count > 0.
  Task<Result<Timestamp>> Allocate(uint32_t count);

  bool initialized() const { return initialized_; }
  int64_t saved_window_ms() const { return saved_window_ms_; }

 private:
  Task<Status> SaveWindow(int64_t window_ms);

  Env& env_;
  const ClusterConfig& config_;
  bool initialized_ = false;
  int64_t physical_ms_ = 0;
  uint64_t logical_ = 0;
  int64_t saved_window_ms_ = 0;
};

}  // namespace simvus::roles
