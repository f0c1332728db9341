// StrandCompute: CPU work in real mode. The work runs on the node's strand, which is itself a
// thread of the strand pool: nodes compute in parallel with each other, while a node's own work
// stays serialized, so role code that hands Compute a lambda over its in-memory segments (a
// growing segment that the node's consumer also appends to) needs no locks. sim_cost is ignored:
// the cost is the real one.
#pragma once

#include "components/env/compute.h"

namespace simvus::real {

class StrandCompute : public Compute {
 public:
  Task<void> RunCounted(std::function<Duration()> work) override {
    work();  // the sim cost it returns is not used
    co_return;
  }
};

}  // namespace simvus::real
