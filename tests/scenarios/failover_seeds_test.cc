#include <gtest/gtest.h>

#include "scenarios/failover_scenario.h"
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

// The pause must really hold the read: the Strong read invoked as the query node froze is
// answered only after it resumes, kQueryNodePauseDuration later.
TEST(FailoverScenarios, QueryNodePauseHoldsTheReadUntilResume) {
  const Scenario* scenario = FindScenario("querynode-pause");
  ASSERT_NE(scenario, nullptr);
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport r = RunScenario(*scenario, options);
    const reports::Operation* first = nullptr;
    const reports::Operation* answered = nullptr;
    for (const reports::Operation& op : r.history.ops()) {
      if (op.label != "Q1 during the pause") continue;
      if (first == nullptr) first = &op;
      if (op.outcome == reports::Outcome::kOk) answered = &op;
    }
    ASSERT_NE(answered, nullptr) << "seed " << seed;
    EXPECT_GE(answered->complete_at, first->invoke_at + kQueryNodePauseDuration)
        << "seed " << seed << ": the read was answered during the pause";
  }
}

// The scenario's own check fails a history whose read finished inside the pause.
TEST(FailoverScenarios, PauseCheckFailsAReadAnsweredDuringThePause) {
  reports::History history;
  reports::Operation read;
  read.type = reports::OpType::kSearch;
  read.label = "Q1 during the pause";
  read.invoke_at = Duration::Seconds(3);
  read.complete_at = Duration::Seconds(3) + Duration::Millis(40);
  history.at(history.Invoke(read)).outcome = reports::Outcome::kOk;
  reports::CheckResult result = CheckReadWaitedForPause(history);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.invariant, "read-waited-for-pause");

  history.at(0).complete_at = Duration::Seconds(5) + Duration::Millis(1);
  EXPECT_TRUE(CheckReadWaitedForPause(history).ok);
}

}  // namespace
}  // namespace simvus::scenarios

namespace simvus::scenarios {
namespace {

TEST(StorageFaultScenario, SeededStorageFaultPlansNeverLoseAckedWrites) {
  ExpectPassesForSeeds("storage-faults", 50);
}

// The simulator's side of the real-mode outage scenario: a broker, etcd and S3 down in turn.
TEST(BackendOutagesScenario, EachBackendDownInTurnLosesNoAckedWrite) {
  ExpectPassesForSeeds("backend-outages", 20);
}

// Regression for the query node that aborted on the first insert into a schema with a scalar
// field; also checks every metric's scores through proxy reduce and the checker.
TEST(AllFieldsScenario, RowsWithEveryFieldTypeAndEveryMetricStayExact) {
  ExpectPassesForSeeds("all-fields", 60);
}

}  // namespace
}  // namespace simvus::scenarios
