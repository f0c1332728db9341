// Executor: where a node's work runs.
//
// Invariant: everything posted to one node's executor runs one at a time, in post order, and
// never concurrently with the node's other work (a strand). In simulation Post enqueues an event
// at the current sim time for the node's current incarnation; if the node has crashed since, the
// work is dropped, so nothing of a dead incarnation ever runs again. In real mode it is a strand
// of a thread pool; completions from library threads are posted back through it.
#pragma once

#include <functional>
#include <memory>

namespace simvus {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual void Post(std::function<void()> work) = 0;
};

using ExecutorRef = std::shared_ptr<Executor>;

}  // namespace simvus
