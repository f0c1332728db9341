#include "real/runtime/timer_service.h"

#include <pthread.h>

namespace simvus::real {

TimerService::TimerService() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "timers");
    Loop();
  });
}

TimerService::~TimerService() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void TimerService::After(Duration d, std::function<void()> callback) {
  const SteadyTime at = std::chrono::steady_clock::now() + std::chrono::nanoseconds(d.ns);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    timers_.emplace(at, std::move(callback));
  }
  wake_.notify_one();
}

void TimerService::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const SteadyTime next = timers_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    std::function<void()> callback = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    lock.unlock();
    callback();
    lock.lock();
  }
}

}  // namespace simvus::real
