// SimExecutor: a node incarnation's strand in the simulator. Post schedules the work as an event
// at the current sim time, tagged with the incarnation; SimWorld drops it if the node crashed or
// restarted since, and holds it while the node is paused.
#pragma once

#include "components/env/executor.h"
#include "sim/world.h"

namespace simvus::sim {

class SimExecutor : public Executor {
 public:
  SimExecutor(SimWorld& world, NodeId node, uint64_t incarnation)
      : world_(world), node_(node), incarnation_(incarnation) {}
  void Post(std::function<void()> work) override {
    world_.scheduler().After(Duration::Zero(), [world = &world_, node = node_, inc = incarnation_,
                                                work = std::move(work)]() mutable {
      world->RunOnNode(node, inc, std::move(work));
    });
  }

 private:
  SimWorld& world_;
  NodeId node_;
  uint64_t incarnation_;
};

}  // namespace simvus::sim
