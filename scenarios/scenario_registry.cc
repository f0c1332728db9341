#include "scenarios/all_fields_scenario.h"
#include "scenarios/backend_outages_scenario.h"
#include "scenarios/bad_input_scenario.h"
#include "scenarios/failover_scenario.h"
#include "scenarios/read_path_scenarios.h"
#include "scenarios/scenario.h"
#include "scenarios/segment_lifecycle_scenarios.h"
#include "scenarios/storage_faults_scenario.h"
#include "scenarios/timeline_scenario.h"

namespace simvus::scenarios {

const std::vector<Scenario>& AllScenarios() {
  static const std::vector<Scenario> all = {TimelineScenario(),
                                            BadInputScenario(),
                                            RootCoordFailoverScenario(),
                                            QueryNodePauseScenario(),
                                            StorageFaultsScenario(),
                                            AllFieldsScenario(),
                                            FlushScenario(),
                                            DataNodeCrashReplayScenario(),
                                            IndexBuildScenario(),
                                            DeleteCompactionScenario(),
                                            LoadHandoffScenario(),
                                            QueryNodeFailoverScenario(),
                                            BalanceScenario(),
                                            ConsistencyLevelsScenario(),
                                            BackendOutagesScenario()};
  return all;
}

const Scenario* FindScenario(const std::string& name) {
  for (const Scenario& s : AllScenarios()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace simvus::scenarios
