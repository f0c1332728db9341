// Compute: CPU work such as index builds and searches.
//
// In simulation the work runs inline and then the node is charged `sim_cost` of busy time: the
// calling coroutine resumes only after the node's CPU has been free for that long, so slow nodes,
// queueing and CPU contention show up in sim time deterministically and independently of the
// host. In real mode the work runs on a thread pool and sim_cost is ignored.
//
// RunCounted is for work whose cost is known only once it is done (a search charged by the
// distances it computed): the work returns its sim cost.
#pragma once

#include <functional>
#include <string_view>

#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

class Compute {
 public:
  virtual ~Compute() = default;
  virtual Task<void> RunCounted(std::function<Duration()> work) = 0;
  Task<void> Run(Duration sim_cost, std::function<void()> work) {
    return RunCounted([sim_cost, work = std::move(work)] {
      work();
      return sim_cost;
    });
  }
};

}  // namespace simvus
