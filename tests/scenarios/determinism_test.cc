#include <gtest/gtest.h>

#include <set>

#include "reports/narrator.h"
#include "scenarios/determinism_check.h"
#include "scenarios/runner.h"
#include "scenarios/workload_helpers.h"

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

// A scenario that is deterministic up to its insert and then leaks state across runs on purpose:
// every second run of it inserts two rows instead of one, as a workload reading a global would.
Scenario LeakyScenario(int* runs) {
  Scenario s;
  s.name = "leaky";
  s.description = "inserts a row count that depends on how often it ran before";
  s.setup = RandomLatency;
  s.workload = [runs](Client& client, ScenarioContext&) -> Task<Status> {
    const int run = ++*runs;
    proto::CollectionSchema schema = PkVectorSchema("leaky", 4, 1);
    Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("leaky"));
    const int rows = run % 2 == 1 ? 1 : 2;
    std::vector<int64_t> pks;
    std::vector<std::vector<float>> vectors;
    for (int i = 0; i < rows; ++i) {
      pks.push_back(i + 1);
      vectors.push_back({1.0f, 0.0f, 0.0f, static_cast<float>(i)});
    }
    Result<proto::MutationResult> r = co_await client.Insert("insert", "leaky", pks, vectors);
    co_return r.status();
  };
  return s;
}

bool SameEvent(const sim::RecordedEvent& a, const sim::RecordedEvent& b) {
  return a.at == b.at && a.event.level == b.event.level && a.event.node == b.event.node &&
         a.event.kind == b.event.kind && a.event.from == b.event.from && a.event.to == b.event.to &&
         a.event.text == b.event.text;
}

TEST(Determinism, LeakyScenarioDivergenceNamesTheFirstDifferingEvent) {
  int runs = 0;
  const Scenario leaky = LeakyScenario(&runs);
  std::optional<Divergence> d = CheckDeterminism(leaky, 5, 9);
  ASSERT_TRUE(d.has_value()) << "two runs that insert different rows must diverge";
  EXPECT_EQ(d->seed, 5u) << "the first seed already diverges";
  ASSERT_TRUE(d->run1.has_value());
  ASSERT_TRUE(d->run2.has_value());

  // Rerun both sides independently and compare the events field by field, not by hash.
  runs = 0;
  RunOptions options;
  options.seed = 5;
  options.keep_events = true;
  const RunReport a = RunScenario(leaky, options);
  const RunReport b = RunScenario(leaky, options);
  size_t first_diff = 0;
  while (first_diff < a.trace.size() && first_diff < b.trace.size() &&
         SameEvent(a.trace[first_diff], b.trace[first_diff])) {
    ++first_diff;
  }
  EXPECT_GT(first_diff, 0u) << "the runs agree until the insert";
  EXPECT_EQ(d->event_index, first_diff);
  EXPECT_TRUE(SameEvent(*d->run1, a.trace[first_diff]));
  EXPECT_TRUE(SameEvent(*d->run2, b.trace[first_diff]));

  const std::string report = DescribeDivergence("leaky", *d);
  EXPECT_NE(report.find("seed 5: runs DIVERGE at event " + std::to_string(first_diff)),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("run 1: " + reports::NarrateLine(d->run1->at, d->run1->event)),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("run 2: " + reports::NarrateLine(d->run2->at, d->run2->event)),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("reproduce: simvus run leaky --seed 5"), std::string::npos) << report;
}

TEST(Determinism, FirstDivergentEventOfPrefixAndEqualTraces) {
  auto trace = [](std::vector<uint64_t> hashes) {
    std::vector<sim::RecordedEvent> events;
    for (uint64_t h : hashes) events.push_back(sim::RecordedEvent{.hash_after = h});
    return events;
  };
  EXPECT_EQ(FirstDivergentEvent(trace({1, 2, 3}), trace({1, 2, 3})), std::nullopt);
  EXPECT_EQ(FirstDivergentEvent(trace({1, 2, 3}), trace({1, 2, 4})), 2u);
  EXPECT_EQ(FirstDivergentEvent(trace({1, 2}), trace({1, 2, 3})), 2u);
  EXPECT_EQ(FirstDivergentEvent(trace({}), trace({7})), 0u);
}

TEST(Determinism, DeterministicScenarioReportsNoDivergence) {
  EXPECT_EQ(CheckDeterminism(*FindScenario("timeline"), 1, 3), std::nullopt);
}

}  // namespace
}  // namespace simvus::scenarios
