// Completion<T>: a one-shot value that one coroutine awaits and anyone may set once.
//
// It bridges callbacks (a network delivery, a timer, a library thread in real mode) to
// coroutines. The first Set wins; later Sets are ignored and return false, which makes races
// ("response or deadline, whichever comes first") simple. The awaiting coroutine is resumed
// through its node's Executor, never inline, so a completion for a crashed node is dropped.
//
// REQUIRES: at most one coroutine awaits a given Completion.
#pragma once

#include <coroutine>
#include <memory>
#include <optional>
#include <utility>

#include "components/env/executor.h"

namespace simvus {

template <typename T>
class Completion {
 public:
  explicit Completion(ExecutorRef executor) : state_(std::make_shared<State>()) {
    state_->executor = std::move(executor);
  }

  // Returns true if this call set the value (the first one did).
  bool Set(T value) const {
    if (state_->value.has_value()) return false;
    state_->value.emplace(std::move(value));
    if (state_->waiter) {
      auto state = state_;
      state_->executor->Post([state] {
        auto waiter = std::exchange(state->waiter, {});
        if (waiter) waiter.resume();
      });
    }
    return true;
  }
  bool is_set() const { return state_->value.has_value(); }

  bool await_ready() const noexcept { return state_->value.has_value(); }
  void await_suspend(std::coroutine_handle<> h) const noexcept { state_->waiter = h; }
  T await_resume() const { return std::move(*state_->value); }

 private:
  struct State {
    std::optional<T> value;
    std::coroutine_handle<> waiter;
    ExecutorRef executor;
  };
  std::shared_ptr<State> state_;
};

// A Completion with no value: a signal.
struct Unit {};
using Signal = Completion<Unit>;

}  // namespace simvus
