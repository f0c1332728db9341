// The read-path scenarios pass for every seed of the sweep, do what they claim (hand off, move a
// dead node's shards, balance onto a joining node, read at every level), and each deliberately
// broken read path makes its scenario (not only a unit test) fail with the invariant naming it.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "components/roles/cluster_config.h"
#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

using Bug = roles::ClusterConfig::InjectedBug;

// 200; 20 under the sanitizers (tests/scenarios/CMakeLists.txt).
constexpr uint64_t kSeeds = SIMVUS_READ_PATH_SEEDS;
// Seeds each injected bug runs: 20; 5 under the sanitizers.
constexpr int kBugSeeds = kSeeds >= 200 ? 20 : 5;

RunReport RunRead(const std::string& name, uint64_t seed, Bug bug = Bug::kNone,
                  std::map<std::string, int>* steps = nullptr) {
  const Scenario* scenario = FindScenario(name);
  EXPECT_NE(scenario, nullptr) << name;
  RunOptions options;
  options.seed = seed;
  options.injected_bug = bug;
  if (steps != nullptr) {
    options.on_event = [steps](const sim::RecordedEvent& e) { ++(*steps)[e.event.kind]; };
  }
  return RunScenario(*scenario, options);
}

int OkReads(const RunReport& r, reports::OpType type) {
  int n = 0;
  for (const reports::Operation& op : r.history.ops()) {
    n += op.type == type && op.outcome == reports::Outcome::kOk;
  }
  return n;
}

// Every seed passes; `need` names trace steps each run must show at least once.
void ExpectPassesForSeeds(const std::string& name, uint64_t seeds,
                          const std::vector<std::string>& need) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    std::map<std::string, int> steps;
    const RunReport r = RunRead(name, seed, Bug::kNone, &steps);
    ASSERT_TRUE(r.pass) << name << " seed " << seed << " invariant=" << r.invariant << ": "
                        << r.detail << "\nreproduce: " << ReproCommand(name, seed);
    // At least the final reads (a search, a count and a query) answered.
    EXPECT_GE(OkReads(r, reports::OpType::kSearch), 1) << name << " seed " << seed;
    EXPECT_GE(OkReads(r, reports::OpType::kQuery), 2) << name << " seed " << seed;
    for (const std::string& kind : need) {
      EXPECT_GT(steps[kind], 0) << name << " seed " << seed << ": no " << kind << " step";
    }
  }
}

TEST(ReadPathScenarios, LoadHandoffPassesTheSweep) {
  // Sealed segments attached, targets switched (the handoff), deletes forwarded to workers.
  ExpectPassesForSeeds("load-handoff", kSeeds, {"query.attach", "query.target", "query.forward"});
}

TEST(ReadPathScenarios, QueryNodeFailoverPassesTheSweep) {
  // The dead node leaves, its channel is watched elsewhere, reads retried meanwhile.
  ExpectPassesForSeeds("querynode-failover", kSeeds,
                       {"querycoord.node-down", "querycoord.channel", "query.attach"});
}

TEST(ReadPathScenarios, BalancePassesTheSweep) {
  ExpectPassesForSeeds("balance", kSeeds, {"querycoord.node-up", "querycoord.balance"});
}

TEST(ReadPathScenarios, ConsistencyLevelsPassTheSweep) {
  ExpectPassesForSeeds("consistency-levels", kSeeds, {"query.target"});
}

// Every level is exercised: each client's reads at all five levels answered.
TEST(ReadPathScenarios, ConsistencyLevelsReadAtEveryLevel) {
  const RunReport r = RunRead("consistency-levels", 1);
  ASSERT_TRUE(r.pass) << r.invariant << ": " << r.detail;
  std::map<reports::Consistency, int> answered;
  for (const reports::Operation& op : r.history.ops()) {
    if ((op.type == reports::OpType::kSearch || op.type == reports::OpType::kQuery) &&
        op.outcome == reports::Outcome::kOk) {
      ++answered[op.consistency];
    }
  }
  for (reports::Consistency level :
       {reports::Consistency::kStrong, reports::Consistency::kSession,
        reports::Consistency::kBounded, reports::Consistency::kEventually,
        reports::Consistency::kCustomized}) {
    EXPECT_GE(answered[level], 10) << static_cast<int>(level);
  }
}

// How many of seeds 1..kBugSeeds fail with `invariant` (or `or_invariant`) under `bug`.
int Caught(const std::string& name, Bug bug, const std::string& invariant,
           const std::string& or_invariant = "") {
  int caught = 0;
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(kBugSeeds); ++seed) {
    const RunReport r = RunRead(name, seed, bug);
    if (!r.pass && (r.invariant == invariant || r.invariant == or_invariant)) ++caught;
  }
  return caught;
}

// A delegator that never forwards deletes to its workers: a deleted row comes back from the
// sealed segment that holds it (semantics §13.19), in a search or query, or in a count(*) above
// the visible rows (which the checker names single-visible-copy: it sees a row too many).
TEST(ReadPathScenarios, SkippingDeleteForwardingReturnsDeletedRows) {
  EXPECT_EQ(Caught("load-handoff", Bug::kSkipDeleteForwarding, "deleted-row-returned",
                   "single-visible-copy"),
            kBugSeeds);
}

// Serving a handed-off segment's growing copy next to its sealed one counts rows twice (§13.15).
TEST(ReadPathScenarios, ServingGrowingAndSealedCountsRowsTwice) {
  EXPECT_EQ(Caught("load-handoff", Bug::kServeGrowingAndSealed, "single-visible-copy"), kBugSeeds);
}

// A proxy that ignores the Session guarantee: a client misses its own write (§13.5).
TEST(ReadPathScenarios, IgnoringTheSessionTsMissesOwnWrites) {
  EXPECT_EQ(Caught("consistency-levels", Bug::kIgnoreSessionTs, "session-read-your-writes"),
            kBugSeeds);
}

}  // namespace
}  // namespace simvus::scenarios
