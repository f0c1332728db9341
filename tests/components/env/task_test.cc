#include "components/env/task.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>

#include "components/env/completion.h"
#include "components/env/task_scope.h"

namespace simvus {
namespace {

// A manual executor: work queues up until the test drains it.
class QueueExecutor : public Executor {
 public:
  void Post(std::function<void()> work) override { queue_.push_back(std::move(work)); }
  void Drain() {
    while (!queue_.empty()) {
      auto w = std::move(queue_.front());
      queue_.pop_front();
      w();
    }
  }

 private:
  std::deque<std::function<void()>> queue_;
};

Task<int> Add(int a, int b) { co_return a + b; }

Task<int> Nested() {
  int x = co_await Add(1, 2);
  int y = co_await Add(x, 10);
  co_return y;
}

TEST(Task, AwaitsNestedTasksInOrder) {
  TaskScope scope;
  int result = 0;
  scope.Spawn([](int& out) -> Task<void> { out = co_await Nested(); }(result));
  EXPECT_EQ(result, 13);
  EXPECT_EQ(scope.live_tasks(), 0u);
}

TEST(Task, CompletionResumesWaiterThroughExecutor) {
  auto exec = std::make_shared<QueueExecutor>();
  Completion<int> done(exec);
  TaskScope scope;
  int got = -1;
  scope.Spawn([](Completion<int> c, int& out) -> Task<void> { out = co_await c; }(done, got));
  EXPECT_EQ(scope.live_tasks(), 1u);
  EXPECT_TRUE(done.Set(5));
  EXPECT_FALSE(done.Set(6));  // first Set wins
  EXPECT_EQ(got, -1);         // not resumed inline
  exec->Drain();
  EXPECT_EQ(got, 5);
  EXPECT_EQ(scope.live_tasks(), 0u);
}

struct DestructionProbe {
  bool* destroyed;
  ~DestructionProbe() { *destroyed = true; }
};

TEST(TaskScope, DestroyingScopeDestroysSuspendedFramesAndTheirChildren) {
  auto exec = std::make_shared<QueueExecutor>();
  Completion<int> never(exec);
  bool child_destroyed = false, root_destroyed = false;
  {
    TaskScope scope;
    auto child = [](Completion<int> c, bool* flag) -> Task<int> {
      DestructionProbe probe{flag};
      co_return co_await c;
    };
    scope.Spawn(
        [](auto child_fn, Completion<int> c, bool* child_flag, bool* root_flag) -> Task<void> {
          DestructionProbe probe{root_flag};
          co_await child_fn(c, child_flag);
        }(child, never, &child_destroyed, &root_destroyed));
    EXPECT_FALSE(root_destroyed);
  }
  EXPECT_TRUE(child_destroyed);
  EXPECT_TRUE(root_destroyed);
}

}  // namespace
}  // namespace simvus
