// BenchCompare: judges a benchmark run against a baseline, both in Google Benchmark's JSON format
// (`--benchmark_out_format=json`), as `simvus bench compare` does.
//
// A benchmark is an entry's `run_name` (its `name` when there is none); only entries with
// `run_type` "iteration" count (aggregates such as _mean are recomputed, not trusted). Each
// benchmark carries two kinds of figures:
//
// - Deterministic figures: counters whose name starts with `det_` (kDeterministicPrefix). In the
//   simulator they are pure functions of (seed, code), so any change beyond `tolerance` (relative,
//   0 = exact) is a regression, in either direction: an intended change regenerates the baseline.
//   A figure that differs between repetitions of one file is not deterministic and fails too.
// - Wall-clock figures: `real_time` and `cpu_time` over the repetitions, in ns. They are judged as
//   Google Benchmark's tools/gbench/report.py does, with a two-sided Mann-Whitney U test: a
//   regression only when p < alpha AND the current median is slower than the baseline's by more
//   than `min_change` (relative). Fewer than `min_repetitions` repetitions on either side: a
//   "not enough repetitions" warning, never a verdict. Other counters are not judged.
//
// Everything here is a pure function of its inputs (no clock, no randomness).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "components/env/result.h"

namespace simvus::reports {

inline constexpr std::string_view kDeterministicPrefix = "det_";

// The U statistic of the first sample (scipy's convention: the number of pairs (x, y) with x > y,
// ties counting one half) and the two-sided p-value. As scipy.stats.mannwhitneyu's method="auto":
// exact (the permutation distribution of U) when both samples are small (<= 8) and nothing ties,
// otherwise the normal approximation with the tie correction and the continuity correction.
struct UTest {
  double u = 0;
  double p_value = 1;
  bool exact = false;
};
// REQUIRES: x and y non-empty.
UTest MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y);

double Median(std::vector<double> values);  // REQUIRES: non-empty

// One benchmark of a file: its figures, one value per repetition (in file order).
struct BenchmarkSamples {
  std::map<std::string, std::vector<double>> figures;  // real_time / cpu_time in ns; counters
};
struct BenchFile {
  std::map<std::string, BenchmarkSamples> benchmarks;  // by run_name
};

// Parses Google Benchmark JSON; `what` names the input in errors (a file path). kInvalidArgument
// for malformed JSON or a file without any "iteration" entry.
Result<BenchFile> ParseBenchJson(std::string_view text, const std::string& what);

struct CompareOptions {
  double tolerance = 0;      // relative, for deterministic figures
  double alpha = 0.05;       // p-value threshold of the U test
  double min_change = 0.05;  // relative slowdown of the median a regression must exceed
  int min_repetitions = 9;   // gbench's UTEST_OPTIMAL_REPETITIONS
};

enum class Verdict {
  kSame,              // deterministic: within tolerance; wall clock: no significant slowdown
  kChanged,           // deterministic figure changed beyond tolerance (regression)
  kMissing,           // a deterministic figure of the baseline absent from current (regression)
  kNotDeterministic,  // differs between repetitions of one file (regression)
  kSlower,  // wall clock: p < alpha and median slower by more than min_change (regression)
  kFaster,  // wall clock: p < alpha and median faster by more than min_change
  kNotEnoughRepetitions,  // wall clock: warning only
};
std::string_view VerdictName(Verdict verdict);
bool IsRegression(Verdict verdict);

struct FigureComparison {
  std::string benchmark;
  std::string figure;
  bool deterministic = false;
  double baseline = 0;  // the value (deterministic) or the median (wall clock)
  double current = 0;
  std::optional<double> p_value;  // wall clock, when both sides have >= 2 repetitions
  Verdict verdict = Verdict::kSame;
};

struct Comparison {
  std::vector<FigureComparison> rows;  // by benchmark, then deterministic figures, then wall clock
  std::vector<std::string> warnings;   // benchmarks on one side only, too few repetitions
  int common_benchmarks = 0;
  bool regression = false;
};

Comparison CompareBenchmarks(const BenchFile& baseline, const BenchFile& current,
                             const CompareOptions& options);

// A fixed-width table: benchmark, figure, baseline, current, change %, p, verdict; then the
// warnings and one summary line ("no regression" / "REGRESSION in N figure(s): ...").
std::string FormatComparison(const Comparison& comparison);

}  // namespace simvus::reports
