#include "real/runtime/real_trace.h"

#include "real/runtime/wall_clock.h"

namespace simvus::real {

void RealTrace::Record(TraceEvent event) {
  const Duration since = WallNow() - start_;
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t index = count_++;
  for (const Sink& sink : sinks_) sink(index, since, event);
}

void RealTrace::AddSink(Sink sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  sinks_.push_back(std::move(sink));
}

uint64_t RealTrace::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return count_;
}

}  // namespace simvus::real
