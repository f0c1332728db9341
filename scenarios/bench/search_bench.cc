// `simvus bench search`: rows flushed into about four HNSW-indexed segments on 2 query nodes,
// then Bounded top-10 searches from 2 clients; sim-time QPS, p50 / p99 latency, recall@10
// against brute force, and the search phase's messages and bytes.
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr int kSearchClients = 2;

}  // namespace

std::optional<BenchResult> RunSearch(const BenchSpec& spec) {
  const SearchSet set = MakeSearchSet(spec);
  const std::vector<std::vector<float>>& data = set.data;
  const std::vector<std::vector<float>>& queries = set.queries;
  std::vector<std::vector<int64_t>> answers(queries.size());
  sim::NetworkCounters net_start, net_end;
  Scenario scenario = BenchScenario("bench-search", kSearchClients, 2, spec.rows / 4, spec.dim);
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    SIMVUS_CO_RETURN_IF_ERROR(co_await LoadFlushedAndIndexed(client, &data));
    if (ctx.world != nullptr) net_start = ctx.world->network().counters();
    std::string no_filter;
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await SearchAll(client, ctx, kSearchClients, &queries, std::move(no_filter), &answers));
    if (ctx.world != nullptr) net_end = ctx.world->network().counters();
    co_return Status::Ok();
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  std::optional<std::vector<std::pair<std::string, double>>> figures =
      SearchFigures(*report, set.truth, answers);
  if (!figures) return std::nullopt;
  result.name = BenchName("search", spec, {"rows", "dim", "queries"});
  result.figures = *figures;
  if (!spec.real) {  // the simulated network's counters; real mode has no such count
    result.figures.insert(
        result.figures.end(),
        {
            {"det_search_messages", static_cast<double>(net_end.sent - net_start.sent)},
            {"det_search_bytes", static_cast<double>(net_end.bytes_sent - net_start.bytes_sent)},
        });
  }
  result.figures.emplace_back("trace_events", static_cast<double>(report->events));
  if (spec.plant_permille != 0) {
    result.context["planted_search_slowdown_permille"] = std::to_string(spec.plant_permille);
  }
  return result;
}

}  // namespace simvus::scenarios::bench
