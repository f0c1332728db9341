// The read path's scenarios (semantics §3, §7, §9; seed 1.1.4 / 1.1.8): several clients on two
// proxies read and write concurrently over 3 query nodes while segments are handed off, a query
// node dies, a node joins, and reads run at every consistency level.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario LoadHandoffScenario();
Scenario QueryNodeFailoverScenario();
Scenario BalanceScenario();
Scenario ConsistencyLevelsScenario();

}  // namespace simvus::scenarios
