// Failover scenarios: the timeline's operations with a node failure in the middle.
//   rootcoord-failover  the root coordinator (TSO, time ticks) crashes after two inserts, restarts
//                       1 s later; TSO must continue above everything issued before, ticks must
//                       resume, and Strong reads must again see every acknowledged write.
//   querynode-pause     the query node freezes for 2 s after insert B; a Strong read issued then
//                       waits and completes after it resumes, still exact.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario RootCoordFailoverScenario();
Scenario QueryNodePauseScenario();

}  // namespace simvus::scenarios
