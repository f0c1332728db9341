// SimCompute: CPU work in the simulator. The work runs inline (single-threaded, deterministic);
// the node is then charged sim_cost of CPU time: its CPU is busy until max(now, busy_until) +
// sim_cost, and the caller resumes at that instant. Concurrent work on one node therefore queues.
#pragma once

#include <algorithm>

#include "components/env/compute.h"
#include "sim/sim_clock.h"
#include "sim/world.h"

namespace simvus::sim {

class SimCompute : public Compute {
 public:
  SimCompute(SimWorld& world, NodeId node, Clock& clock)
      : world_(world), node_(node), clock_(clock) {}
  Task<void> RunCounted(std::function<Duration()> work) override {
    const Duration sim_cost = work();
    Instant& busy = world_.BusyUntil(node_);
    const Instant now = world_.scheduler().now();
    busy = std::max(busy, now) + sim_cost;
    co_await clock_.Sleep(busy - now);
  }

 private:
  SimWorld& world_;
  NodeId node_;
  Clock& clock_;
};

}  // namespace simvus::sim
