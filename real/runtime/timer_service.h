// TimerService: one thread that runs callbacks at wall-clock deadlines (Sleep, RPC deadlines,
// poll timeouts). Callbacks must be short: they Post to a strand and return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "components/env/time.h"

namespace simvus::real {

class TimerService {
 public:
  TimerService();
  ~TimerService();  // drops timers that have not fired
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  void After(Duration d, std::function<void()> callback);

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  void Loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<SteadyTime, std::function<void()>> timers_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace simvus::real
