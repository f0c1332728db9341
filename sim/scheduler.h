// Scheduler: the single-threaded event loop of a simulated run.
//
// Invariants:
//   - Events run in (time, sequence) order: earlier time first; at equal time, in the order they
//     were scheduled (FIFO). Nothing else (addresses, hash order, host time) affects the order.
//   - now() never decreases; an event scheduled in the past runs at now().
//   - Exactly one event runs at a time; an event may schedule more.
// Determinism contract: given the same sequence of At() calls from the same starting state, the
// same events run in the same order at the same times.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "components/env/time.h"

namespace simvus::sim {

class Scheduler {
 public:
  explicit Scheduler(Instant epoch) : now_(epoch), epoch_(epoch) {}

  Instant now() const { return now_; }
  Instant epoch() const { return epoch_; }
  Duration elapsed() const { return now_ - epoch_; }
  uint64_t events_run() const { return events_run_; }
  size_t pending() const { return queue_.size(); }

  void At(Instant when, std::function<void()> work);
  void After(Duration delay, std::function<void()> work) { At(now_ + delay, std::move(work)); }

  // Runs the next event; false if there is none.
  bool RunOne();
  // Runs events while there are some and the next one is at or before `deadline`; then advances
  // now() to `deadline` if the queue still has later events or is empty.
  void RunUntil(Instant deadline);
  // Runs events until `done()` is true (checked after each event), the queue is empty, or sim time
  // would pass `deadline`. Returns done().
  bool RunUntilDone(const std::function<bool()>& done, Instant deadline);

 private:
  struct Event {
    Instant when;
    uint64_t sequence;
    std::function<void()> work;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      if (a.when != b.when) return a.when > b.when;
      return a.sequence > b.sequence;
    }
  };

  Instant now_;
  Instant epoch_;
  uint64_t next_sequence_ = 0;
  uint64_t events_run_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
};

}  // namespace simvus::sim
