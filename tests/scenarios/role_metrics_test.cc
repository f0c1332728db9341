// Every role records its metrics: a simulated run's registry, sampled on sim time, holds the
// series components/roles/role_metrics.h names, with values that agree with the history.
#include "components/roles/role_metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

namespace m = roles::metrics;

using Labels = std::map<std::string, std::string>;

std::string Label(const reports::MetricSeries& series, const std::string& name) {
  for (const auto& [label, value] : series.labels) {
    if (label == name) return value;
  }
  return "";
}

bool Matches(const reports::MetricSeries& series, std::string_view name, const Labels& want) {
  if (series.name != name) return false;
  for (const auto& [label, value] : want) {
    if (Label(series, label) != value) return false;
  }
  return true;
}

class RoleMetricsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Scenario* scenario = FindScenario("load-handoff");
    ASSERT_NE(scenario, nullptr);
    RunOptions options;
    options.seed = 3;
    options.sample_metrics = true;
    report_ = new RunReport(RunScenario(*scenario, options));
    ASSERT_TRUE(report_->pass) << report_->invariant << ": " << report_->detail;
  }
  static void TearDownTestSuite() {
    delete report_;
    report_ = nullptr;
  }

  // The series named `name` with these labels (and any others).
  static std::vector<const reports::MetricSeries*> Find(std::string_view name,
                                                        const Labels& want = {}) {
    std::vector<const reports::MetricSeries*> found;
    for (const reports::MetricSeries& series : report_->metrics) {
      if (Matches(series, name, want)) found.push_back(&series);
    }
    return found;
  }
  static double Last(const reports::MetricSeries& series) {
    return series.points.empty() ? 0 : series.points.back().second;
  }
  static double Max(const reports::MetricSeries& series) {
    double max = 0;
    for (const auto& [at, value] : series.points) max = std::max(max, value);
    return max;
  }
  // The sum over matching series of their last values (a counter summed over nodes).
  static double SumLast(std::string_view name, const Labels& want = {}) {
    double sum = 0;
    for (const reports::MetricSeries* series : Find(name, want)) sum += Last(*series);
    return sum;
  }
  // Rows of the history's mutations of `type`: acknowledged, and indeterminate.
  static std::pair<double, double> Rows(reports::OpType type) {
    double ok = 0, info = 0;
    for (const reports::Operation& op : report_->history.ops()) {
      if (op.type != type) continue;
      if (op.outcome == reports::Outcome::kOk) ok += static_cast<double>(op.pks.size());
      if (op.outcome == reports::Outcome::kInfo) info += static_cast<double>(op.pks.size());
    }
    return {ok, info};
  }
  static std::pair<double, double> Ops(reports::OpType type) {
    double ok = 0, info = 0;
    for (const reports::Operation& op : report_->history.ops()) {
      if (op.type != type) continue;
      if (op.outcome == reports::Outcome::kOk) ++ok;
      if (op.outcome == reports::Outcome::kInfo) ++info;
    }
    return {ok, info};
  }

  static RunReport* report_;
};

RunReport* RoleMetricsTest::report_ = nullptr;

TEST_F(RoleMetricsTest, ProxyCountsEveryAcknowledgedRowAndRead) {
  const auto [inserted, maybe_inserted] = Rows(reports::OpType::kInsert);
  ASSERT_GT(inserted, 0);
  const double counted = SumLast(m::kProxyInsertVectorsCount);
  EXPECT_GE(counted, inserted);  // an indeterminate write may have been acknowledged by the proxy
  EXPECT_LE(counted, inserted + maybe_inserted);
  const auto [deleted, maybe_deleted] = Rows(reports::OpType::kDelete);
  EXPECT_GE(SumLast(m::kProxyDeleteVectorsCount), deleted);
  EXPECT_LE(SumLast(m::kProxyDeleteVectorsCount), deleted + maybe_deleted);
  const auto [searches, maybe_searches] = Ops(reports::OpType::kSearch);
  EXPECT_GE(SumLast(m::kProxySearchVectorsCount), searches);
  EXPECT_LE(SumLast(m::kProxySearchVectorsCount), searches + maybe_searches);

  // Latency histograms: one observation per successful request, sim-time latencies > 0.
  const std::string mutation_count = std::string(m::kProxyMutationLatency) + "_count";
  const std::string mutation_sum = std::string(m::kProxyMutationLatency) + "_sum";
  EXPECT_GT(SumLast(mutation_count, {{m::kMsgType, "insert"}}), 0);
  EXPECT_GT(SumLast(mutation_sum, {{m::kMsgType, "insert"}}), 0);
  if (searches > 0) {
    EXPECT_GE(SumLast(std::string(m::kProxySqLatency) + "_count", {{m::kQueryType, "search"}}),
              searches);
  }
  EXPECT_GE(SumLast(m::kProxyReqCount, {{m::kFunction, "insert"}, {m::kStatus, m::kSuccess}}),
            Ops(reports::OpType::kInsert).first);

  // The proxy's time tick per pchannel moves with the TSO.
  const auto ticks = Find(m::kProxyTimeTickMs);
  ASSERT_FALSE(ticks.empty());
  for (const reports::MetricSeries* tick : ticks) {
    EXPECT_FALSE(Label(*tick, m::kChannel).empty());
    EXPECT_GT(Last(*tick), tick->points.front().second) << Label(*tick, m::kChannel);
  }
}

TEST_F(RoleMetricsTest, RootCoordPublishesTsoAndItsSavedWindow) {
  const auto physical = Find(m::kRootCoordTsoPhysicalMs, {{"node", "rootcoord"}});
  const auto window = Find(m::kRootCoordTsoSavedWindowMs, {{"node", "rootcoord"}});
  ASSERT_EQ(physical.size(), 1u);
  ASSERT_EQ(window.size(), 1u);
  EXPECT_GT(Last(*physical[0]), physical[0]->points.front().second);
  // The saved window stays above every physical part issued (tso_allocator.h).
  EXPECT_GT(Last(*window[0]), Last(*physical[0]));
}

TEST_F(RoleMetricsTest, QueryNodesPublishTsafeLagTargetsSegmentsAndSearchLatency) {
  const auto tsafe = Find(m::kQueryNodeTsafeMs);
  ASSERT_FALSE(tsafe.empty());
  for (const reports::MetricSeries* series : tsafe) {
    EXPECT_FALSE(Label(*series, m::kChannel).empty());
    EXPECT_GT(Last(*series), series->points.front().second)
        << Label(*series, "node") << " " << Label(*series, m::kChannel) << ": tSafe never moved";
  }
  EXPECT_FALSE(Find(m::kQueryNodeConsumeTtLagMs).empty());
  double target = 0;
  for (const reports::MetricSeries* series : Find(m::kQueryNodeTargetVersion)) {
    target = std::max(target, Last(*series));
  }
  EXPECT_GT(target, 0) << "no delegator became serviceable";
  double sealed = 0, growing = 0;
  for (const reports::MetricSeries* s :
       Find(m::kQueryNodeSegmentNum, {{m::kSegmentState, "Sealed"}}))
    sealed = std::max(sealed, Max(*s));
  for (const reports::MetricSeries* s :
       Find(m::kQueryNodeSegmentNum, {{m::kSegmentState, "Growing"}}))
    growing = std::max(growing, Max(*s));
  EXPECT_GT(sealed, 0) << "load-handoff loads sealed segments";
  EXPECT_GT(growing, 0);
  EXPECT_GT(SumLast(std::string(m::kQueryNodeSqReqLatency) + "_count", {{m::kScope, "OnLeader"}}),
            0);
  EXPECT_GT(SumLast(std::string(m::kQueryNodeLoadSegmentLatency) + "_count"), 0);
}

TEST_F(RoleMetricsTest, DataNodePublishesBuffersCheckpointsAndFlushLatency) {
  double rows = 0, bytes = 0, checkpoint = 0;
  for (const reports::MetricSeries* s : Find(m::kDataNodeBufferRows))
    rows = std::max(rows, Max(*s));
  for (const reports::MetricSeries* s : Find(m::kDataNodeFgBufferSize))
    bytes = std::max(bytes, Max(*s));
  for (const reports::MetricSeries* s : Find(m::kDataNodeCheckpointMs))
    checkpoint = std::max(checkpoint, Last(*s));
  EXPECT_GT(rows, 0);
  EXPECT_GT(bytes, 0);
  EXPECT_GT(checkpoint, 0);
  EXPECT_GT(SumLast(m::kDataNodeFlushBufferOpCount, {{m::kStatus, m::kSuccess}}), 0);
  EXPECT_GT(SumLast(std::string(m::kDataNodeSyncLatencyMs) + "_count"), 0);
  EXPECT_GT(SumLast(std::string(m::kDataNodeSaveLatency) + "_count", {{m::kMsgType, "insert"}}), 0);
  EXPECT_GT(SumLast(m::kDataNodeFlushedDataRows), 0);
}

TEST_F(RoleMetricsTest, DataCoordCountsSegmentsByStateAndKeepsOneStatePerSegment) {
  EXPECT_GT(SumLast(m::kDataCoordSegmentNum, {{m::kSegmentState, "Flushed"}}), 0);
  // The state-set: each segment is in exactly one state at the end.
  std::map<std::string, double> states_of;
  for (const reports::MetricSeries* s : Find(m::kDataCoordSegmentState)) {
    states_of[Label(*s, m::kSegmentId)] += Last(*s);
  }
  ASSERT_FALSE(states_of.empty());
  for (const auto& [segment, ones] : states_of) EXPECT_EQ(ones, 1) << "segment " << segment;
  EXPECT_FALSE(Find(m::kDataCoordChannelCheckpointUnixSeconds).empty());
}

// Sampling reads the registry only: a run is the same with and without it.
TEST(RoleMetrics, SamplingDoesNotChangeTheRun) {
  const Scenario* timeline = FindScenario("timeline");
  ASSERT_NE(timeline, nullptr);
  RunOptions plain;
  plain.seed = 1;
  RunOptions sampled = plain;
  sampled.sample_metrics = true;
  EXPECT_EQ(RunScenario(*timeline, plain).trace_hash, RunScenario(*timeline, sampled).trace_hash);
}

}  // namespace
}  // namespace simvus::scenarios
