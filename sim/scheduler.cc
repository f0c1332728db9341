#include "sim/scheduler.h"

#include <utility>

namespace simvus::sim {

void Scheduler::At(Instant when, std::function<void()> work) {
  if (when < now_) when = now_;
  queue_.push(Event{when, next_sequence_++, std::move(work)});
}

bool Scheduler::RunOne() {
  if (queue_.empty()) return false;
  // priority_queue::top is const; the work is moved out through a const_cast-free copy of the
  // handle: pop first, then run, so that the work may schedule more events.
  Event event = std::move(const_cast<Event&>(queue_.top()));
  queue_.pop();
  now_ = event.when;
  ++events_run_;
  event.work();
  return true;
}

void Scheduler::RunUntil(Instant deadline) {
  while (!queue_.empty() && queue_.top().when <= deadline) RunOne();
  if (now_ < deadline) now_ = deadline;
}

bool Scheduler::RunUntilDone(const std::function<bool()>& done, Instant deadline) {
  while (!done() && !queue_.empty() && queue_.top().when <= deadline) RunOne();
  return done();
}

}  // namespace simvus::sim
