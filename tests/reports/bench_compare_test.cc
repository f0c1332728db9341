#include "reports/bench_compare.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

namespace simvus::reports {
namespace {

std::vector<double> Range(int from, int to) {
  std::vector<double> v(static_cast<size_t>(to - from));
  std::iota(v.begin(), v.end(), from);
  return v;
}

// Exact: 5 vs 5 fully separated. U1 = 0; only 1 of C(10,5) = 252 orderings is as extreme in each
// direction, so p = 2/252.
TEST(MannWhitneyU, ExactPValueOfSeparatedSmallSamples) {
  UTest t = MannWhitneyU({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_TRUE(t.exact);
  EXPECT_DOUBLE_EQ(t.u, 0);
  EXPECT_NEAR(t.p_value, 2.0 / 252, 1e-12);
  // 3 vs 3: 2/20; and the statistic is of the first sample.
  UTest u = MannWhitneyU({4, 5, 6}, {1, 2, 3});
  EXPECT_DOUBLE_EQ(u.u, 9);
  EXPECT_NEAR(u.p_value, 0.1, 1e-12);
}

// Exact with overlap, counted by hand: x = {1, 3}, y = {2, 4}: U1 = 1 (3 > 2). The 6 orderings
// have U1 = 0,1,2,2,3,4, so P(U >= max(1, 3) = 3) = 2/6 and p = 2/3.
TEST(MannWhitneyU, ExactPValueWithOverlap) {
  UTest t = MannWhitneyU({1, 3}, {2, 4});
  EXPECT_DOUBLE_EQ(t.u, 1);
  EXPECT_NEAR(t.p_value, 2.0 / 3, 1e-12);
}

// Asymptotic, against scipy.stats.mannwhitneyu(..., alternative="two-sided") values as quoted by
// Chromium's catapult tests (dashboard/pinpoint/models/compare/mann_whitney_u_test.py):
// range(10) vs range(20, 30) -> 0.00018267179110955002; range(5) vs range(10) (ties) ->
// 0.13986357686781267.
TEST(MannWhitneyU, AsymptoticPValuesMatchScipy) {
  UTest a = MannWhitneyU(Range(0, 10), Range(20, 30));
  EXPECT_FALSE(a.exact);
  EXPECT_DOUBLE_EQ(a.u, 0);
  EXPECT_NEAR(a.p_value, 0.00018267179110955002, 1e-12);
  UTest b = MannWhitneyU(Range(0, 5), Range(0, 10));
  EXPECT_FALSE(b.exact);  // ties
  EXPECT_DOUBLE_EQ(b.u, 12.5);
  EXPECT_NEAR(b.p_value, 0.13986357686781267, 1e-12);
}

TEST(MannWhitneyU, IdenticalSamplesGivePOne) {
  UTest t = MannWhitneyU({5, 5, 5, 5, 5, 5, 5, 5, 5}, {5, 5, 5, 5, 5, 5, 5, 5, 5});
  EXPECT_DOUBLE_EQ(t.p_value, 1);
}

std::string File(const std::string& entries) {
  return R"({"context": {"date": "x"}, "benchmarks": [)" + entries + "]}";
}

std::string Entry(const std::string& name, double real_ns, double cpu_ns, int rep,
                  const std::string& counters = "") {
  return R"({"name": ")" + name + R"(", "run_name": ")" + name +
         R"(", "run_type": "iteration", "repetitions": 9, "repetition_index": )" +
         std::to_string(rep) + R"(, "iterations": 100, "real_time": )" + std::to_string(real_ns) +
         R"(, "cpu_time": )" + std::to_string(cpu_ns) + R"(, "time_unit": "ns")" + counters + "}";
}

// Nine repetitions around `center`, spread +-2%, plus an aggregate entry that must be ignored.
std::string NineReps(const std::string& name, double center, const std::string& counters = "") {
  const double spread[9] = {-0.02, -0.015, -0.01, -0.005, 0, 0.005, 0.01, 0.015, 0.02};
  std::string out;
  for (int i = 0; i < 9; ++i) {
    const double v = center * (1 + spread[i]);
    out += (i ? "," : "") + Entry(name, v, v, i, counters);
  }
  out += R"(, {"name": ")" + name + R"(_mean", "run_name": ")" + name +
         R"(", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 1e9,
         "cpu_time": 1e9, "time_unit": "ns"})";
  return out;
}

BenchFile Parse(const std::string& text) {
  Result<BenchFile> f = ParseBenchJson(text, "test.json");
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : BenchFile{};
}

TEST(BenchCompare, IdenticalFilesHaveNoRegression) {
  BenchFile a = Parse(File(NineReps("BM_X", 1000, R"(, "det_qps": 499.5, "note": 3)")));
  Comparison c = CompareBenchmarks(a, a, CompareOptions{});
  EXPECT_FALSE(c.regression) << FormatComparison(c);
  EXPECT_EQ(c.common_benchmarks, 1);
  ASSERT_EQ(c.rows.size(), 3u);  // det_qps, real_time, cpu_time ("note" is not judged)
  EXPECT_EQ(c.rows[0].figure, "det_qps");
  EXPECT_EQ(c.rows[0].verdict, Verdict::kSame);
  EXPECT_EQ(c.rows[1].verdict, Verdict::kSame);
  EXPECT_DOUBLE_EQ(c.rows[1].baseline, 1000);  // the aggregate (1e9) was ignored
}

TEST(BenchCompare, ClearWallClockShiftIsARegression) {
  BenchFile base = Parse(File(NineReps("BM_X", 1000)));
  BenchFile slow = Parse(File(NineReps("BM_X", 1200)));
  Comparison c = CompareBenchmarks(base, slow, CompareOptions{});
  EXPECT_TRUE(c.regression);
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kSlower);
  EXPECT_LT(*c.rows[0].p_value, 0.05);
  // The other way round it is faster, not a regression.
  Comparison back = CompareBenchmarks(slow, base, CompareOptions{});
  EXPECT_FALSE(back.regression);
  EXPECT_EQ(back.rows[0].verdict, Verdict::kFaster);
}

TEST(BenchCompare, SignificantButSmallShiftIsNotARegression) {
  // 3% slower, fully separated (p ~ 0.0004) but under the 5% minimum change.
  BenchFile base = Parse(File(NineReps("BM_X", 1000)));
  BenchFile slow = Parse(File(NineReps("BM_X", 1030)));
  Comparison c = CompareBenchmarks(base, slow, CompareOptions{});
  EXPECT_FALSE(c.regression) << FormatComparison(c);
}

TEST(BenchCompare, TooFewRepetitionsIsAWarningNotAVerdict) {
  BenchFile base = Parse(File(Entry("BM_X", 1000, 1000, 0)));
  BenchFile slow = Parse(File(Entry("BM_X", 5000, 5000, 0)));
  Comparison c = CompareBenchmarks(base, slow, CompareOptions{});
  EXPECT_FALSE(c.regression);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kNotEnoughRepetitions);
  EXPECT_FALSE(c.warnings.empty());
}

TEST(BenchCompare, AnyDeterministicChangeBeyondToleranceIsARegression) {
  BenchFile base = Parse(File(Entry("BM_X", 1, 1, 0, R"(, "det_p50_ms": 7.74)")));
  BenchFile cur = Parse(File(Entry("BM_X", 1, 1, 0, R"(, "det_p50_ms": 7.7401)")));
  Comparison exact = CompareBenchmarks(base, cur, CompareOptions{});
  EXPECT_TRUE(exact.regression);
  EXPECT_EQ(exact.rows[0].verdict, Verdict::kChanged);
  EXPECT_NE(FormatComparison(exact).find("REGRESSION in 1 figure(s): BM_X det_p50_ms"),
            std::string::npos)
      << FormatComparison(exact);
  CompareOptions loose;
  loose.tolerance = 0.001;
  EXPECT_FALSE(CompareBenchmarks(base, cur, loose).regression);
}

TEST(BenchCompare, MissingDeterministicFigureIsARegression) {
  BenchFile base = Parse(File(Entry("BM_X", 1, 1, 0, R"(, "det_bytes": 10)")));
  BenchFile cur = Parse(File(Entry("BM_X", 1, 1, 0)));
  Comparison c = CompareBenchmarks(base, cur, CompareOptions{});
  EXPECT_TRUE(c.regression);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kMissing);
}

TEST(BenchCompare, FigureThatVariesAcrossRepetitionsIsNotDeterministic) {
  BenchFile base = Parse(File(Entry("BM_X", 1, 1, 0, R"(, "det_n": 1)") + "," +
                              Entry("BM_X", 1, 1, 1, R"(, "det_n": 2)")));
  Comparison c = CompareBenchmarks(base, base, CompareOptions{});
  EXPECT_TRUE(c.regression);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kNotDeterministic);
}

TEST(BenchCompare, BadInputNamesWhatWasExpected) {
  Result<BenchFile> not_json = ParseBenchJson("{oops", "a.json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.status().message().find("a.json: not JSON"), std::string::npos);
  Result<BenchFile> no_array = ParseBenchJson(R"({"context": {}})", "b.json");
  ASSERT_FALSE(no_array.ok());
  EXPECT_NE(no_array.status().message().find("\"benchmarks\""), std::string::npos);
  Result<BenchFile> empty = ParseBenchJson(R"({"benchmarks": []})", "c.json");
  EXPECT_FALSE(empty.ok());
  Result<BenchFile> unit = ParseBenchJson(
      R"({"benchmarks": [{"name": "x", "real_time": 1, "time_unit": "hours"}]})", "d.json");
  ASSERT_FALSE(unit.ok());
  EXPECT_NE(unit.status().message().find("time_unit 'hours'"), std::string::npos);
}

TEST(BenchCompare, TimeUnitsAreNormalizedToNanoseconds) {
  BenchFile f = Parse(
      R"({"benchmarks": [{"name": "x", "run_type": "iteration", "real_time": 2, "cpu_time": 3,
          "time_unit": "ms"}]})");
  EXPECT_DOUBLE_EQ(f.benchmarks["x"].figures["real_time"][0], 2e6);
  EXPECT_DOUBLE_EQ(f.benchmarks["x"].figures["cpu_time"][0], 3e6);
}

TEST(BenchCompare, DisjointFilesHaveNoCommonBenchmark) {
  BenchFile a = Parse(File(Entry("BM_A", 1, 1, 0)));
  BenchFile b = Parse(File(Entry("BM_B", 1, 1, 0)));
  Comparison c = CompareBenchmarks(a, b, CompareOptions{});
  EXPECT_EQ(c.common_benchmarks, 0);
  EXPECT_EQ(c.warnings.size(), 2u);
}

}  // namespace
}  // namespace simvus::reports
