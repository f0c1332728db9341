#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

// The seed's timeline must hold under random network latency for every seed.
TEST(TimelineScenario, PassesForTwoHundredSeedsWithRandomLatency) {
  const Scenario* timeline = FindScenario("timeline");
  ASSERT_NE(timeline, nullptr);
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport r = RunScenario(*timeline, options);
    ASSERT_TRUE(r.pass) << "seed " << seed << " invariant=" << r.invariant << ": " << r.detail
                        << "\nreproduce: " << ReproCommand("timeline", seed);
    EXPECT_EQ(r.checked_reads, 2) << "seed " << seed;
  }
}

}  // namespace
}  // namespace simvus::scenarios
