#include "components/env/task_scope.h"

#include <exception>
#include <utility>
#include <vector>

namespace simvus {

namespace {

// The root coroutine: awaits the spawned task, then removes itself from its scope and lets its
// frame be freed (final_suspend does not suspend).
struct RootCoroutine {
  struct promise_type {
    std::map<uint64_t, std::coroutine_handle<>>* roots = nullptr;
    uint64_t id = 0;
    RootCoroutine get_return_object() {
      return RootCoroutine{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept {
      if (roots != nullptr) roots->erase(id);
      return {};
    }
    void return_void() {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

RootCoroutine RunRoot(Task<void> task) { co_await std::move(task); }

}  // namespace

TaskScope::~TaskScope() {
  // Destroy in spawn order. destroy() does not run final_suspend, so the map is not touched
  // from inside; take it first so that destructors that spawn (they should not) cannot interfere.
  auto roots = std::move(roots_);
  roots_.clear();
  for (auto& [id, handle] : roots) handle.destroy();
}

void TaskScope::Spawn(Task<void> task) {
  RootCoroutine root = RunRoot(std::move(task));
  const uint64_t id = next_id_++;
  root.handle.promise().roots = &roots_;
  root.handle.promise().id = id;
  roots_.emplace(id, root.handle);
  root.handle.resume();
}

}  // namespace simvus
