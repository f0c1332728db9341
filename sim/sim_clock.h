// SimClock: a node's clock in the simulator: sim time plus the node's skew. Sleep waits in sim time
// (skew does not change how long a sleep lasts, only what Now() reads).
#pragma once

#include "components/env/clock.h"
#include "sim/world.h"

namespace simvus::sim {

class SimClock : public Clock {
 public:
  SimClock(SimWorld& world, NodeId node, ExecutorRef executor)
      : world_(world), node_(node), executor_(std::move(executor)) {}
  Instant Now() const override { return world_.scheduler().now() + world_.ClockSkew(node_); }
  Task<void> Sleep(Duration d) override {
    Signal woke(executor_);
    world_.scheduler().After(d, [woke] { woke.Set(Unit{}); });
    co_await woke;
  }

 private:
  SimWorld& world_;
  NodeId node_;
  ExecutorRef executor_;
};

}  // namespace simvus::sim
