#include "sim/trace_recorder.h"

#include <string_view>

#include "components/env/rng.h"

namespace simvus::sim {

void TraceRecorder::Record(TraceEvent event) {
  RecordedEvent recorded;
  recorded.index = count_++;
  recorded.at = scheduler_.elapsed();
  const int64_t at_ns = recorded.at.ns;
  hash_ = Fnv1a64(std::string_view(reinterpret_cast<const char*>(&at_ns), sizeof(at_ns)), hash_);
  const char level = event.level == TraceLevel::kStep ? 'S' : 'D';
  hash_ = Fnv1a64(std::string_view(&level, 1), hash_);
  for (const std::string* field : {&event.node, &event.kind, &event.from, &event.to, &event.text}) {
    hash_ = Fnv1a64(*field, hash_);
    hash_ = Fnv1a64(std::string_view("\x1f", 1), hash_);
  }
  recorded.hash_after = hash_;
  recorded.event = std::move(event);
  for (const Sink& sink : sinks_) sink(recorded);
  if (keep_) events_.push_back(std::move(recorded));
}

}  // namespace simvus::sim
