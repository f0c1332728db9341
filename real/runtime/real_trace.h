// RealTrace: the Trace of a real-mode process. Events come from many strands at once; each is
// stamped with wall time since the run began and forwarded to sinks under one lock, so sink
// output lines never interleave. There is no trace hash: a real run is not deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "components/env/time.h"
#include "components/env/trace.h"

namespace simvus::real {

class RealTrace : public Trace {
 public:
  using Sink = std::function<void(uint64_t index, Duration since_start, const TraceEvent&)>;

  explicit RealTrace(Instant start) : start_(start) {}
  void Record(TraceEvent event) override;
  void AddSink(Sink sink);
  uint64_t count() const;

 private:
  Instant start_;
  mutable std::mutex mutex_;
  uint64_t count_ = 0;
  std::vector<Sink> sinks_;
};

}  // namespace simvus::real
