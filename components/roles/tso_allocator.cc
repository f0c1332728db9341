#include "components/roles/tso_allocator.h"

#include <string>

#include "components/roles/role_metrics.h"

namespace simvus::roles {
namespace {

// The window is stored as 8 big-endian bytes of milliseconds.
Bytes EncodeWindow(int64_t ms) {
  Bytes out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(ms & 0xff);
    ms >>= 8;
  }
  return out;
}

int64_t DecodeWindow(const Bytes& bytes) {
  int64_t ms = 0;
  for (char c : bytes) ms = (ms << 8) | static_cast<uint8_t>(c);
  return ms;
}

}  // namespace

Task<Status> TsoAllocator::SaveWindow(int64_t window_ms) {
  Result<PutResult> put = co_await env_.meta_store->Put(kTsoKey, EncodeWindow(window_ms));
  if (!put.ok()) co_return put.status();
  co_await CrashPoint(env_, "rootcoord/tso:after-save-window");
  saved_window_ms_ = window_ms;
  env_.metrics->Set(metrics::kRootCoordTsoSavedWindowMs, static_cast<double>(window_ms));
  co_return Status::Ok();
}

Task<Status> TsoAllocator::Init() {
  const RangeRequest read{.key = kTsoKey};
  Result<RangeResult> saved = co_await env_.meta_store->Range(read);
  if (!saved.ok()) co_return saved.status();
  const int64_t last_ms = saved->kvs.empty() ? 0 : DecodeWindow(saved->kvs[0].value);
  int64_t next_ms = env_.clock->Now().unix_ms();
  // Injected bug "tso-ignores-window": trust the clock after a restart, even if it went back.
  const bool trust_clock = config_.injected_bug == ClusterConfig::InjectedBug::kTsoIgnoresWindow;
  if (!trust_clock && next_ms - last_ms < 1) next_ms = last_ms + 1;
  SIMVUS_CO_RETURN_IF_ERROR(co_await SaveWindow(next_ms + config_.tso_save_window.millis()));
  physical_ms_ = next_ms;
  logical_ = 0;
  initialized_ = true;
  env_.metrics->Set(metrics::kRootCoordTsoPhysicalMs, static_cast<double>(physical_ms_));
  env_.Step("tso.init", "TSO starts at physical " + std::to_string(next_ms) +
                            " ms, above the saved window " + std::to_string(last_ms) +
                            " ms; new window saved to the meta store");
  co_return Status::Ok();
}

Task<Status> TsoAllocator::UpdateTimestamp() {
  if (!initialized_) co_return Unavailable("TSO not initialized");
  const int64_t now_ms = env_.clock->Now().unix_ms();
  int64_t next_ms;
  if (now_ms - physical_ms_ > 1) {
    next_ms = now_ms;
  } else if (logical_ > kMaxLogical / 2) {
    next_ms = physical_ms_ + 1;
  } else {
    co_return Status::Ok();
  }
  if (saved_window_ms_ - next_ms <= 1) {
    // Persist the new upper bound before any timestamp at next_ms can be issued.
    SIMVUS_CO_RETURN_IF_ERROR(co_await SaveWindow(next_ms + config_.tso_save_window.millis()));
  }
  physical_ms_ = next_ms;
  logical_ = 0;
  env_.metrics->Set(metrics::kRootCoordTsoPhysicalMs, static_cast<double>(physical_ms_));
  co_return Status::Ok();
}

Task<Result<Timestamp>> TsoAllocator::Allocate(uint32_t count) {
  if (count == 0) co_return InvalidArgument("AllocTimestamp: count must be > 0");
  for (int attempt = 0; attempt < 10; ++attempt) {
    if (!initialized_) co_return Unavailable("TSO not initialized yet");
    if (logical_ + count < kMaxLogical) {
      logical_ += count;
      const Timestamp last = Timestamp::Compose(physical_ms_, logical_);
      co_return Timestamp{last.value - count + 1};
    }
    // Logical space of this millisecond is used up: wait for the next update.
    co_await env_.clock->Sleep(config_.tso_update_step);
  }
  co_return Unavailable("can not get timestamp: logical counter exhausted");
}

}  // namespace simvus::roles
