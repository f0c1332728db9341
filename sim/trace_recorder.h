// TraceRecorder: the run's Trace. Stamps every event with sim time, folds it into the run's trace
// hash, forwards it to sinks (the live narrator, a trace file) and optionally keeps it in memory
// (for determinism checks and reports).
//
// The trace hash is FNV-1a over (time, level, node, kind, from, to, text) of every event in
// order: two runs with the same seed and binary must end with the same hash.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "components/env/trace.h"
#include "sim/scheduler.h"

namespace simvus::sim {

struct RecordedEvent {
  uint64_t index = 0;
  Duration at;  // sim time since the run's epoch
  TraceEvent event;
  uint64_t hash_after = 0;  // trace hash including this event
};

class TraceRecorder : public Trace {
 public:
  using Sink = std::function<void(const RecordedEvent&)>;

  explicit TraceRecorder(const Scheduler& scheduler) : scheduler_(scheduler) {}

  void Record(TraceEvent event) override;

  uint64_t hash() const { return hash_; }
  uint64_t count() const { return count_; }
  void AddSink(Sink sink) { sinks_.push_back(std::move(sink)); }
  void set_keep_events(bool keep) { keep_ = keep; }
  const std::vector<RecordedEvent>& events() const { return events_; }

 private:
  const Scheduler& scheduler_;
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  uint64_t count_ = 0;
  bool keep_ = false;
  std::vector<Sink> sinks_;
  std::vector<RecordedEvent> events_;
};

}  // namespace simvus::sim
