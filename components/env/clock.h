// Clock: a node's own view of time.
//
// Now() is the node-local clock: in simulation sim time plus this node's skew (which faults can
// change), in real mode the wall clock. Sleep suspends the calling coroutine for at least d of
// *sim* (or real) time, independent of skew. Bounded consistency and TSO physical parts read Now().
#pragma once

#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
  virtual Task<void> Sleep(Duration d) = 0;
};

}  // namespace simvus
