// Task<T>: a lazily started C++20 coroutine that produces a T.
//
// Role logic is written as coroutines so that the write path reads like the seed's pseudocode:
//   Timestamp ts = co_await root_coord.AllocTimestamp(1);
//   LogPosition pos = co_await log.Produce(channel, insert_bytes);
// A Task starts when awaited and resumes its awaiter by symmetric transfer when it finishes.
// Ownership: the Task object owns its frame; destroying an unfinished Task destroys the frame and,
// through its locals, every Task it is awaiting. That is how a crashed node loses all its work:
// its TaskScope destroys the root frames (see task_scope.h).
// Exceptions are not used; an escaping exception terminates.
//
// Compiler note (GCC 12, Debian 12's compiler): a lambda passed where a coroutine expects a
// std::function, with the conversion inside a co_await expression, is destroyed twice. Bind such
// a lambda to a named std::function first, then co_await. Braced initializer lists as arguments
// inside a co_await expression fail to compile ("array used as initializer"): build the vector
// first. A braced aggregate temporary
// (`Range({.key = k})`, `Produce({topic, 0}, ...)`) is destroyed twice: name it first.
// std::string temporaries and plain values are fine.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace simvus {

template <typename T>
class Task;

namespace internal {

struct TaskPromiseBase {
  std::coroutine_handle<> continuation;

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { std::terminate(); }
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  struct promise_type : internal::TaskPromiseBase {
    std::optional<T> value;
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    template <typename U>
    void return_value(U&& v) {
      value.emplace(std::forward<U>(v));
    }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : handle_(h) {}
  Task(Task&& o) noexcept : handle_(std::exchange(o.handle_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      Reset();
      handle_ = std::exchange(o.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Reset(); }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  T await_resume() { return std::move(*handle_.promise().value); }

 private:
  void Reset() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }
  Handle handle_;
};

template <>
class [[nodiscard]] Task<void> {
 public:
  struct promise_type : internal::TaskPromiseBase {
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    void return_void() {}
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : handle_(h) {}
  Task(Task&& o) noexcept : handle_(std::exchange(o.handle_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      Reset();
      handle_ = std::exchange(o.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Reset(); }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  void await_resume() {}

 private:
  void Reset() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }
  Handle handle_;
};

}  // namespace simvus
