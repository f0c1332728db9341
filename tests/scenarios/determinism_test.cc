#include <gtest/gtest.h>

#include <set>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

TEST(Determinism, SameSeedGivesSameTraceHash) {
  const Scenario* timeline = FindScenario("timeline");
  ASSERT_NE(timeline, nullptr);
  for (uint64_t seed : {1, 42, 777}) {
    RunOptions options;
    options.seed = seed;
    RunReport a = RunScenario(*timeline, options);
    RunReport b = RunScenario(*timeline, options);
    EXPECT_EQ(a.trace_hash, b.trace_hash) << "seed " << seed;
    EXPECT_EQ(a.events, b.events) << "seed " << seed;
    EXPECT_EQ(a.sim_time, b.sim_time) << "seed " << seed;
  }
}

TEST(Determinism, DifferentSeedsGiveDifferentSchedules) {
  const Scenario* timeline = FindScenario("timeline");
  std::set<uint64_t> hashes;
  std::set<int64_t> end_times;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport r = RunScenario(*timeline, options);
    hashes.insert(r.trace_hash);
    end_times.insert(r.sim_time.ns);
  }
  EXPECT_EQ(hashes.size(), 10u);
  EXPECT_GT(end_times.size(), 5u);
}

}  // namespace
}  // namespace simvus::scenarios
