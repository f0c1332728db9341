#include "scenarios/swarm.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "scenarios/scenario_file.h"

namespace simvus::scenarios {
namespace {

using Bug = roles::ClusterConfig::InjectedBug;

std::string Text(const scenario::ScenarioFile& file) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(file, &text);
  return text;
}

TEST(Swarm, DrawsTheSameValidFileForASeed) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const std::string text = Text(DrawScenarioFile(seed));
    EXPECT_EQ(text, Text(DrawScenarioFile(seed))) << "seed " << seed;
    Result<scenario::ScenarioFile> parsed = ParseScenarioFile(text, "drawn");
    ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.status().ToString();
  }
  EXPECT_NE(Text(DrawScenarioFile(1)), Text(DrawScenarioFile(2)));
}

// 300 seeds; 30 under the sanitizers, where cli.swarm_passes_without_a_bug runs 100 more.
TEST(Swarm, DrawnSeedsPassWithoutABug) {
  for (uint64_t seed = 1; seed <= SIMVUS_SWARM_SEEDS; ++seed) {
    RunReport r = RunScenarioFile(DrawScenarioFile(seed), "swarm", seed, Bug::kNone);
    ASSERT_TRUE(r.pass) << "seed " << seed << " " << r.invariant << ": " << r.detail
                        << "\nreproduce: simvus shrink --seed " << seed << " --out min.textproto";
  }
}

// Each injected bug is found within 200 seeds and shrinks to a file that fails with it, the same
// invariant, and passes without it.
TEST(Swarm, FindsAndShrinksEachInjectedBug) {
  for (const auto& [bug, invariant] : {std::pair{Bug::kStaleRead, "read-snapshot"},
                                       std::pair{Bug::kIgnoreDeletes, "deleted-row-returned"},
                                       std::pair{Bug::kReduceKeepsDuplicates, "duplicate-pk"},
                                       std::pair{Bug::kDeleteHidesSameTs, "acked-write-lost"}}) {
    uint64_t failing = 0;
    for (uint64_t seed = 1; seed <= 200 && failing == 0; ++seed) {
      if (!RunScenarioFile(DrawScenarioFile(seed), "swarm", seed, bug).pass) failing = seed;
    }
    ASSERT_NE(failing, 0u) << InjectedBugName(bug) << " not found in 200 seeds";
    const ShrinkResult shrunk = Shrink(DrawScenarioFile(failing), failing, bug);
    ASSERT_TRUE(shrunk.failed);
    EXPECT_EQ(shrunk.invariant, invariant) << InjectedBugName(bug);
    EXPECT_LE(shrunk.steps_after, 4) << InjectedBugName(bug);
    EXPECT_LT(shrunk.steps_after, shrunk.steps_before);
    // The shrunk file, as text, replays the failure with the bug and passes without it.
    Result<scenario::ScenarioFile> replay =
        ParseScenarioFile(ShrunkFileText(shrunk, failing, bug, "min.textproto"), "min.textproto");
    ASSERT_TRUE(replay.ok()) << replay.status().ToString();
    RunReport with_bug = RunScenarioFile(*replay, "min", failing, bug);
    EXPECT_FALSE(with_bug.pass);
    EXPECT_EQ(with_bug.invariant, invariant);
    EXPECT_TRUE(RunScenarioFile(*replay, "min", failing, Bug::kNone).pass);
  }
}

TEST(Swarm, ShrinkOfAPassingSeedSaysSo) {
  EXPECT_FALSE(Shrink(DrawScenarioFile(5), 5, Bug::kNone).failed);
}

}  // namespace
}  // namespace simvus::scenarios
