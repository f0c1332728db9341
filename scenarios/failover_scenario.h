// Failover scenarios: the timeline's operations with a node failure in the middle.
//   rootcoord-failover  the root coordinator (TSO, time ticks) crashes after two inserts, restarts
//                       1 s later; TSO must continue above everything issued before, ticks must
//                       resume, and Strong reads must again see every acknowledged write.
//   querynode-pause     the query node freezes for 2 s after insert B; a Strong read issued then
//                       waits and completes after it resumes, still exact. Its check,
//                       read-waited-for-pause, fails a run whose read was answered before the
//                       query node resumed (a pause that held nothing).
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

inline constexpr Duration kQueryNodePauseDuration = Duration::Seconds(2);

Scenario RootCoordFailoverScenario();
Scenario QueryNodePauseScenario();
// querynode-pause's own check: the read issued as the pause began completed only after it ended.
reports::CheckResult CheckReadWaitedForPause(const reports::History& history);

}  // namespace simvus::scenarios
