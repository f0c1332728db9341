// The segment-lifecycle scenarios pass for every seed of the sweep, and each deliberately broken
// data path makes a scenario (not only a unit test) fail with the invariant that names it.
#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

using Bug = roles::ClusterConfig::InjectedBug;

RunReport Run(const std::string& name, uint64_t seed, Bug bug = Bug::kNone) {
  const Scenario* scenario = FindScenario(name);
  EXPECT_NE(scenario, nullptr) << name;
  RunOptions options;
  options.seed = seed;
  options.injected_bug = bug;
  return RunScenario(*scenario, options);
}

void ExpectPassesForSeeds(const std::string& name, uint64_t seeds) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const RunReport r = Run(name, seed);
    ASSERT_TRUE(r.pass) << name << " seed " << seed << " invariant=" << r.invariant << ": "
                        << r.detail << "\nreproduce: " << ReproCommand(name, seed);
    int flushes = 0;
    for (const reports::Operation& op : r.history.ops()) {
      if (op.type == reports::OpType::kFlush && op.outcome == reports::Outcome::kOk) ++flushes;
    }
    EXPECT_GE(flushes, 2) << name << " seed " << seed << ": the mid-way and final flushes";
    if (name == "index-build") {
      int bad_index_refused = 0;
      for (const reports::Operation& op : r.history.ops()) {
        bad_index_refused +=
            op.label.rfind("bad index: ", 0) == 0 && op.outcome == reports::Outcome::kFail;
      }
      EXPECT_EQ(bad_index_refused, 3) << "seed " << seed;
    }
  }
}

TEST(SegmentLifecycleScenarios, FlushPassesSeeds1To200) { ExpectPassesForSeeds("flush", 200); }

TEST(SegmentLifecycleScenarios, DataNodeCrashReplayPassesSeeds1To200) {
  ExpectPassesForSeeds("datanode-crash-replay", 200);
}

TEST(SegmentLifecycleScenarios, IndexBuildPassesSeeds1To200) {
  ExpectPassesForSeeds("index-build", 200);
}

// How many of seeds 1..20 fail with `invariant` under `bug`.
int Caught(const std::string& name, Bug bug, const std::string& invariant) {
  int caught = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const RunReport r = Run(name, seed, bug);
    if (!r.pass && r.invariant == invariant) ++caught;
  }
  return caught;
}

// A checkpoint past unsynced rows: the restarted data node replays from after them.
TEST(SegmentLifecycleScenarios, CheckpointPastTheBufferLosesRowsAcrossACrash) {
  EXPECT_EQ(Caught("datanode-crash-replay", Bug::kCheckpointSkipsBuffer, "flush-durability"), 20);
}

// A replay that re-buffers deletes an L0 segment already holds writes them twice.
TEST(SegmentLifecycleScenarios, ReplayReapplyingDeletesStoresThemTwice) {
  EXPECT_GE(Caught("datanode-crash-replay", Bug::kReplayReappliesDeletes, "flush-double-apply"),
            15);
}

// Sealed -> Flushed without the Flushing claim shows in the MetaStore's history.
TEST(SegmentLifecycleScenarios, SkippingTheFlushingClaimBreaksTheStateMachine) {
  EXPECT_EQ(Caught("flush", Bug::kSealedToFlushed, "segment-state-machine"), 20);
}

// Registering a retried build's older result leaves a segment indexed by a stale version's file.
TEST(SegmentLifecycleScenarios, RegisteringAStaleBuildResultIsCaught) {
  EXPECT_GE(Caught("index-build", Bug::kStaleIndexResult, "index-stale-result"), 8);
}

}  // namespace
}  // namespace simvus::scenarios
