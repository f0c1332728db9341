#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

void ExpectPassesForSeeds(const std::string& name, uint64_t seeds) {
  const Scenario* scenario = FindScenario(name);
  ASSERT_NE(scenario, nullptr) << name;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport r = RunScenario(*scenario, options);
    ASSERT_TRUE(r.pass) << name << " seed " << seed << " invariant=" << r.invariant << ": "
                        << r.detail << "\nreproduce: " << ReproCommand(name, seed);
    EXPECT_GE(r.checked_reads, 2) << name << " seed " << seed;
  }
}

TEST(FailoverScenarios, RootCoordCrashAndRestartKeepsReadsExact) {
  ExpectPassesForSeeds("rootcoord-failover", 50);
}

TEST(FailoverScenarios, QueryNodePauseDelaysButDoesNotBreakReads) {
  ExpectPassesForSeeds("querynode-pause", 50);
}

}  // namespace
}  // namespace simvus::scenarios

namespace simvus::scenarios {
namespace {

TEST(StorageFaultScenario, SeededStorageFaultPlansNeverLoseAckedWrites) {
  ExpectPassesForSeeds("storage-faults", 50);
}

}  // namespace
}  // namespace simvus::scenarios
