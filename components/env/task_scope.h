// TaskScope: owns the detached (root) coroutines of one node incarnation.
//
// Spawn starts a Task<void> immediately (it runs until its first suspension) and keeps its frame
// until it finishes. Destroying the scope destroys every unfinished root frame, in spawn order, and
// with them every Task they await: this is "crash = lose all in-memory work". Awaitables that
// could still try to resume a destroyed frame must do so through the node's Executor, which drops
// work of a dead incarnation (executor.h).
#pragma once

#include <coroutine>
#include <cstdint>
#include <map>

#include "components/env/task.h"

namespace simvus {

class TaskScope {
 public:
  TaskScope() = default;
  TaskScope(const TaskScope&) = delete;
  TaskScope& operator=(const TaskScope&) = delete;
  ~TaskScope();

  void Spawn(Task<void> task);
  size_t live_tasks() const { return roots_.size(); }

 private:
  std::map<uint64_t, std::coroutine_handle<>> roots_;  // ordered: deterministic teardown
  uint64_t next_id_ = 0;
};

}  // namespace simvus
