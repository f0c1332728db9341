#include "reports/bench_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace simvus::reports {
namespace {

// Counts of the permutations of m x-values and n y-values with U = k, k in [0, m*n] (the exact
// null distribution of U), by f(m, n, k) = f(m - 1, n, k - n) + f(m, n - 1, k).
std::vector<double> ExactUCounts(int m, int n) {
  // table[i][j] = counts for i x-values and j y-values.
  std::vector<std::vector<std::vector<double>>> table(
      static_cast<size_t>(m + 1), std::vector<std::vector<double>>(static_cast<size_t>(n + 1)));
  for (int i = 0; i <= m; ++i) {
    for (int j = 0; j <= n; ++j) {
      std::vector<double>& cell = table[static_cast<size_t>(i)][static_cast<size_t>(j)];
      cell.assign(static_cast<size_t>(i * j + 1), 0.0);
      if (i == 0 || j == 0) {
        cell[0] = 1;
        continue;
      }
      // The largest value is an x (it beats all j y-values) or a y.
      const std::vector<double>& with_x = table[static_cast<size_t>(i - 1)][static_cast<size_t>(j)];
      const std::vector<double>& with_y = table[static_cast<size_t>(i)][static_cast<size_t>(j - 1)];
      for (size_t k = 0; k < with_x.size(); ++k) cell[k + static_cast<size_t>(j)] += with_x[k];
      for (size_t k = 0; k < with_y.size(); ++k) cell[k] += with_y[k];
    }
  }
  return table[static_cast<size_t>(m)][static_cast<size_t>(n)];
}

std::string FormatNumber(double v) {
  char buf[64];
  if (v != 0 && (std::fabs(v) >= 1e7 || std::fabs(v) < 1e-3)) {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.6f", v);
    // Trim trailing zeros for a readable table ("12.5", not "12.500000").
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  return buf;
}

double ToNanos(double value, const std::string& unit) {
  if (unit == "us") return value * 1e3;
  if (unit == "ms") return value * 1e6;
  if (unit == "s") return value * 1e9;
  return value;  // "ns"
}

bool IsNonCounterKey(const std::string& key) {
  static const std::set<std::string> kKeys = {"name",
                                              "run_name",
                                              "run_type",
                                              "repetitions",
                                              "repetition_index",
                                              "threads",
                                              "iterations",
                                              "real_time",
                                              "cpu_time",
                                              "time_unit",
                                              "family_index",
                                              "per_family_instance_index",
                                              "aggregate_name",
                                              "aggregate_unit",
                                              "label",
                                              "error_occurred",
                                              "error_message",
                                              "skipped",
                                              "big_o",
                                              "rms"};
  return kKeys.count(key) > 0;
}

double RelativeChange(double baseline, double current) {
  if (baseline == current) return 0;
  if (baseline == 0) return current > 0 ? INFINITY : -INFINITY;
  return (current - baseline) / std::fabs(baseline);
}

}  // namespace

UTest MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y) {
  SIMVUS_CHECK(!x.empty() && !y.empty(), "MannWhitneyU needs two non-empty samples");
  const double n1 = static_cast<double>(x.size());
  const double n2 = static_cast<double>(y.size());
  UTest result;
  for (double a : x) {
    for (double b : y) result.u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
  }
  const double big_u = std::max(result.u, n1 * n2 - result.u);  // two-sided
  // Tie groups over the pooled sample.
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  std::sort(pooled.begin(), pooled.end());
  double tie_term = 0;
  bool ties = false;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j] == pooled[i]) ++j;
    const double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    ties = ties || t > 1;
    i = j;
  }
  if (!ties && (x.size() <= 8 || y.size() <= 8)) {
    result.exact = true;
    const std::vector<double> counts =
        ExactUCounts(static_cast<int>(x.size()), static_cast<int>(y.size()));
    double total = 0, at_least = 0;
    for (size_t k = 0; k < counts.size(); ++k) {
      total += counts[k];
      if (static_cast<double>(k) >= big_u) at_least += counts[k];
    }
    result.p_value = std::min(1.0, 2 * at_least / total);
    return result;
  }
  const double n = n1 + n2;
  const double s = std::sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))));
  if (!(s > 0)) return result;  // every value the same: nothing to tell apart, p = 1
  const double z = (big_u - n1 * n2 / 2 - 0.5) / s;  // with the continuity correction
  result.p_value = std::clamp(std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);  // 2 * sf(z)
  return result;
}

double Median(std::vector<double> values) {
  SIMVUS_CHECK(!values.empty(), "median of nothing");
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

Result<BenchFile> ParseBenchJson(std::string_view text, const std::string& what) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return InvalidArgument(what +
                           ": not JSON; expected Google Benchmark output "
                           "(--benchmark_out_format=json)");
  }
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    return InvalidArgument(what + ": no \"benchmarks\" array; expected Google Benchmark JSON");
  }
  BenchFile file;
  for (const nlohmann::json& entry : doc["benchmarks"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
      return InvalidArgument(what + ": a benchmark entry without a string \"name\"");
    }
    const std::string run_type = entry.value("run_type", std::string("iteration"));
    if (run_type != "iteration") continue;
    if (entry.value("error_occurred", false)) continue;
    const std::string name = entry.value("run_name", entry["name"].get<std::string>());
    const std::string unit = entry.value("time_unit", std::string("ns"));
    if (unit != "ns" && unit != "us" && unit != "ms" && unit != "s") {
      return InvalidArgument(what + ": benchmark '" + name + "': time_unit '" + unit +
                             "', expected ns, us, ms or s");
    }
    BenchmarkSamples& samples = file.benchmarks[name];
    for (const char* key : {"real_time", "cpu_time"}) {
      if (!entry.contains(key)) continue;
      if (!entry[key].is_number()) {
        return InvalidArgument(what + ": benchmark '" + name + "': " + key + " is not a number");
      }
      samples.figures[key].push_back(ToNanos(entry[key].get<double>(), unit));
    }
    for (const auto& [key, value] : entry.items()) {
      if (IsNonCounterKey(key) || !value.is_number()) continue;
      samples.figures[key].push_back(value.get<double>());
    }
  }
  if (file.benchmarks.empty()) {
    return InvalidArgument(what +
                           ": no benchmark with run_type \"iteration\"; expected at least "
                           "one in \"benchmarks\"");
  }
  return file;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSame:
      return "same";
    case Verdict::kChanged:
      return "CHANGED";
    case Verdict::kMissing:
      return "MISSING";
    case Verdict::kNotDeterministic:
      return "NOT DETERMINISTIC";
    case Verdict::kSlower:
      return "SLOWER";
    case Verdict::kFaster:
      return "faster";
    case Verdict::kNotEnoughRepetitions:
      return "not enough repetitions";
  }
  return "?";
}

bool IsRegression(Verdict verdict) {
  return verdict == Verdict::kChanged || verdict == Verdict::kMissing ||
         verdict == Verdict::kNotDeterministic || verdict == Verdict::kSlower;
}

namespace {

bool IsDeterministic(const std::string& figure) {
  return figure.rfind(kDeterministicPrefix, 0) == 0;
}

bool Varies(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [&](double v) { return v != values[0]; });
}

void CompareDeterministic(const std::string& name, const BenchmarkSamples& base,
                          const BenchmarkSamples& cur, const CompareOptions& options,
                          Comparison& out) {
  for (const auto& [figure, base_values] : base.figures) {
    if (!IsDeterministic(figure)) continue;
    FigureComparison row{name, figure, true, base_values[0], 0, std::nullopt, Verdict::kSame};
    auto it = cur.figures.find(figure);
    if (it == cur.figures.end()) {
      row.verdict = Verdict::kMissing;
    } else {
      row.current = it->second[0];
      if (Varies(base_values) || Varies(it->second)) {
        row.verdict = Verdict::kNotDeterministic;
      } else if (std::fabs(RelativeChange(row.baseline, row.current)) > options.tolerance) {
        row.verdict = Verdict::kChanged;
      }
    }
    out.rows.push_back(row);
  }
  for (const auto& [figure, values] : cur.figures) {
    if (IsDeterministic(figure) && base.figures.count(figure) == 0) {
      out.warnings.push_back(name + ": " + figure + " is new (not in the baseline, not judged)");
    }
  }
}

void CompareWallClock(const std::string& name, const BenchmarkSamples& base,
                      const BenchmarkSamples& cur, const CompareOptions& options, Comparison& out) {
  for (const char* figure : {"real_time", "cpu_time"}) {
    auto b = base.figures.find(figure);
    auto c = cur.figures.find(figure);
    if (b == base.figures.end() || c == cur.figures.end()) continue;
    FigureComparison row{name,         figure,        false, Median(b->second), Median(c->second),
                         std::nullopt, Verdict::kSame};
    const size_t reps = std::min(b->second.size(), c->second.size());
    if (reps >= 2) row.p_value = MannWhitneyU(b->second, c->second).p_value;
    if (reps < static_cast<size_t>(options.min_repetitions)) {
      row.verdict = Verdict::kNotEnoughRepetitions;
      out.warnings.push_back(name + ": " + figure + ": " + std::to_string(b->second.size()) +
                             " and " + std::to_string(c->second.size()) + " repetitions, need " +
                             std::to_string(options.min_repetitions) +
                             " on each side for a verdict (--benchmark_repetitions)");
    } else if (*row.p_value < options.alpha) {
      const double change = RelativeChange(row.baseline, row.current);
      if (change > options.min_change) row.verdict = Verdict::kSlower;
      if (change < -options.min_change) row.verdict = Verdict::kFaster;
    }
    out.rows.push_back(row);
  }
}

}  // namespace

Comparison CompareBenchmarks(const BenchFile& baseline, const BenchFile& current,
                             const CompareOptions& options) {
  Comparison out;
  for (const auto& [name, base] : baseline.benchmarks) {
    auto it = current.benchmarks.find(name);
    if (it == current.benchmarks.end()) {
      out.warnings.push_back(name + ": in the baseline only (not run)");
      continue;
    }
    ++out.common_benchmarks;
    CompareDeterministic(name, base, it->second, options, out);
    CompareWallClock(name, base, it->second, options, out);
  }
  for (const auto& [name, cur] : current.benchmarks) {
    if (baseline.benchmarks.count(name) == 0) {
      out.warnings.push_back(name + ": new (not in the baseline)");
    }
  }
  out.regression = std::any_of(out.rows.begin(), out.rows.end(),
                               [](const FigureComparison& r) { return IsRegression(r.verdict); });
  return out;
}

std::string FormatComparison(const Comparison& comparison) {
  std::vector<std::vector<std::string>> cells = {
      {"benchmark", "figure", "baseline", "current", "change %", "p", "verdict"}};
  for (const FigureComparison& r : comparison.rows) {
    const double change = RelativeChange(r.baseline, r.current) * 100;
    char pct[32];
    std::snprintf(pct, sizeof pct, "%+.3f", change);
    char p[32] = "-";
    if (r.p_value) std::snprintf(p, sizeof p, "%.4f", *r.p_value);
    const bool missing = r.verdict == Verdict::kMissing;
    cells.push_back({r.benchmark, r.figure + (r.deterministic ? "" : " (median ns)"),
                     FormatNumber(r.baseline), missing ? "-" : FormatNumber(r.current),
                     missing ? "-" : pct, p, std::string(VerdictName(r.verdict))});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  }
  std::ostringstream out;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      out << line[i];
      if (i + 1 < line.size()) out << std::string(width[i] - line[i].size() + 2, ' ');
    }
    out << "\n";
  }
  for (const std::string& w : comparison.warnings) out << "warning: " << w << "\n";
  std::vector<std::string> bad;
  for (const FigureComparison& r : comparison.rows) {
    if (IsRegression(r.verdict)) {
      bad.push_back(r.benchmark + " " + r.figure + " (" + std::string(VerdictName(r.verdict)) +
                    ")");
    }
  }
  if (bad.empty()) {
    out << "no regression (" << comparison.common_benchmarks << " benchmark(s) compared)\n";
  } else {
    out << "REGRESSION in " << bad.size() << " figure(s):";
    for (const std::string& b : bad) out << " " << b << ";";
    out << "\n";
  }
  return out.str();
}

}  // namespace simvus::reports
