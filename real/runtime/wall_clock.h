// WallClock: a node's clock in real mode. Now() is the host's system clock (Unix epoch, as TSO
// physical parts expect); Sleep waits on the timer thread and resumes on the node's strand.
#pragma once

#include <chrono>

#include "components/env/clock.h"
#include "components/env/completion.h"
#include "real/runtime/timer_service.h"

namespace simvus::real {

inline Instant WallNow() {
  return Instant{std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count()};
}

class WallClock : public Clock {
 public:
  WallClock(TimerService& timers, ExecutorRef executor)
      : timers_(timers), executor_(std::move(executor)) {}
  Instant Now() const override { return WallNow(); }
  Task<void> Sleep(Duration d) override {
    Signal woke(executor_);
    ExecutorRef executor = executor_;
    // The timer thread only posts; Set runs on the strand, serialized with the await.
    timers_.After(d, [executor, woke] { executor->Post([woke] { woke.Set(Unit{}); }); });
    co_await woke;
  }

 private:
  TimerService& timers_;
  ExecutorRef executor_;
};

}  // namespace simvus::real
