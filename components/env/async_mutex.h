// AsyncMutex: mutual exclusion between coroutines of one node (a strand), held across co_await.
//
// Lock() completes immediately when the mutex is free; otherwise the caller queues and is resumed
// (through the node's executor) in FIFO order when the holder calls Unlock(). Used where Milvus
// holds a lock across an RPC, e.g. the proxy's "allocate a timestamp and register the pending
// task" step, which the time-tick reporter must not interleave with.
#pragma once

#include <deque>

#include "components/env/completion.h"
#include "components/env/task.h"

namespace simvus {

class AsyncMutex {
 public:
  explicit AsyncMutex(ExecutorRef executor) : executor_(std::move(executor)) {}

  Task<void> Lock() {
    if (!locked_) {
      locked_ = true;
      co_return;
    }
    Signal turn(executor_);
    waiters_.push_back(turn);
    co_await turn;  // ownership is handed over by Unlock
  }

  void Unlock() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    Signal next = waiters_.front();
    waiters_.pop_front();
    next.Set(Unit{});
  }

 private:
  ExecutorRef executor_;
  bool locked_ = false;
  std::deque<Signal> waiters_;
};

}  // namespace simvus
