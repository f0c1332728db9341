// `simvus bench search`: rows (uniform, clustered or Fashion-MNIST) flushed into about four
// HNSW-indexed segments on 2 query nodes, then Bounded top-10 searches from 2 clients at each ef
// of the sweep in turn (nq query vectors a request, --nq); per ef sim-time QPS, p50 / p99 latency
// and recall@10 against the exact truth, and at each recall target (0.95, 0.99) the figures of the
// smallest ef that reaches it, as ANN benchmarks report QPS at a recall; and the search phase's
// messages and bytes.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr int kSearchClients = 2;
constexpr double kRecallTargets[] = {0.95, 0.99};

using Figures = std::vector<std::pair<std::string, double>>;

double FigureOf(const Figures& figures, const std::string& name) {
  for (const auto& [n, v] : figures) {
    if (n == name) return v;
  }
  return 0;
}

}  // namespace

std::optional<BenchResult> RunSearch(const BenchSpec& spec) {
  const std::optional<SearchSet> set = MakeSearchSet(spec);
  if (!set) return std::nullopt;
  const std::vector<std::vector<float>>& data = set->data;
  const std::vector<std::vector<float>>& queries = set->queries;
  const int64_t dim = static_cast<int64_t>(data.front().size());
  const size_t sweeps = spec.efs.size();
  std::vector<std::vector<std::vector<int64_t>>> answers(
      sweeps, std::vector<std::vector<int64_t>>(queries.size()));
  std::vector<std::pair<Duration, Duration>> windows(sweeps);  // client clock, as the history
  sim::NetworkCounters net_start, net_end;
  Scenario scenario =
      BenchScenario("bench-search", kSearchClients, 2, static_cast<int64_t>(data.size()) / 4, dim);
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    SIMVUS_CO_RETURN_IF_ERROR(co_await LoadFlushedAndIndexed(client, &data));
    if (ctx.world != nullptr) net_start = ctx.world->network().counters();
    for (size_t i = 0; i < sweeps; ++i) {
      windows[i].first = Duration::Nanos(client.env().clock->Now().unix_ns);
      std::string no_filter;
      SIMVUS_CO_RETURN_IF_ERROR(co_await SearchAll(client, ctx, kSearchClients, &queries,
                                                   std::move(no_filter), &answers[i], spec.efs[i],
                                                   spec.nq));
      windows[i].second = Duration::Nanos(client.env().clock->Now().unix_ns);
    }
    if (ctx.world != nullptr) net_end = ctx.world->network().counters();
    co_return Status::Ok();
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  result.name = BenchName("search", spec, {"rows", "dim", "queries", "nq"});
  std::vector<Figures> per_ef;
  for (size_t i = 0; i < sweeps; ++i) {
    std::optional<Figures> figures = SearchFigures(*report, set->truth, answers[i], windows[i]);
    if (!figures) return std::nullopt;
    per_ef.push_back(std::move(*figures));
  }
  if (sweeps == 1) {
    result.figures = per_ef[0];  // one ef: the plain names
  } else {
    for (size_t i = 0; i < sweeps; ++i) {
      for (const auto& [name, value] : per_ef[i]) {
        result.figures.emplace_back(name + "_ef_" + std::to_string(spec.efs[i]), value);
      }
    }
    // The smallest ef of the sweep reaching each target; none reaching it is a figure too
    // (det_ef_at_r0.99 = 0), so that a change in which ef reaches it is a change the gate sees.
    for (double target : kRecallTargets) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "_at_r%.2f", target);
      std::optional<size_t> pick;
      for (size_t i = 0; i < sweeps && !pick; ++i) {
        if (FigureOf(per_ef[i], "det_recall_at_10") >= target) pick = i;
      }
      result.figures.emplace_back(std::string("det_ef") + suffix,
                                  pick ? static_cast<double>(spec.efs[*pick]) : 0.0);
      if (!pick) continue;
      for (const char* name : {"det_sim_qps", "det_sim_p50_ms", "det_sim_p99_ms"}) {
        result.figures.emplace_back(name + std::string(suffix), FigureOf(per_ef[*pick], name));
      }
    }
  }
  if (!spec.real) {  // the simulated network's counters; real mode has no such count
    result.figures.insert(
        result.figures.end(),
        {
            {"det_search_messages", static_cast<double>(net_end.sent - net_start.sent)},
            {"det_search_bytes", static_cast<double>(net_end.bytes_sent - net_start.bytes_sent)},
        });
  }
  result.figures.emplace_back("trace_events", static_cast<double>(report->events));
  std::string efs;
  for (int64_t ef : spec.efs) efs += (efs.empty() ? "" : ",") + std::to_string(ef);
  result.context["ef"] = efs;
  result.context["dataset"] = spec.dataset;
  if (spec.nq != 1) result.context["nq"] = std::to_string(spec.nq);
  if (spec.plant_permille != 0) {
    result.context["planted_search_slowdown_permille"] = std::to_string(spec.plant_permille);
  }
  return result;
}

}  // namespace simvus::scenarios::bench
