// `simvus bench streaming`: search while inserting, the shape of VectorDBBench's streaming case.
// `rows` rows are flushed, indexed and loaded on 2 query nodes as for `search`; then a third
// client inserts `rate` rows per sim second (new segments grow, seal, flush, are indexed and
// handed off meanwhile) while 2 clients issue `queries` Bounded top-10 searches back to back.
// The searches are filtered to the first `rows` pks, so that the exact ground truth is known
// whatever the inserts have made visible (a simplification of VectorDBBench, which recomputes
// truth per stage); the inserts still load the cluster the searches run on: the log, tSafe, the
// growing segments, flushes, index builds and handoffs. Figures: sim-time QPS, p50 / p99,
// recall@10, the search phase's sim time and the rows inserted meanwhile.
#include <optional>
#include <set>
#include <string>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr int kSearchClients = 2;
constexpr int64_t kLoadFirstPk = 1'000'000'000;

}  // namespace

std::optional<BenchResult> RunStreaming(const BenchSpec& spec) {
  const std::optional<SearchSet> set = MakeSearchSet(spec);
  if (!set) return std::nullopt;
  const std::vector<std::vector<float>>& data = set->data;
  const std::vector<std::vector<float>>& queries = set->queries;
  std::vector<std::vector<int64_t>> answers(queries.size());
  Duration searching;
  Scenario scenario =
      BenchScenario("bench-streaming", kSearchClients + 1, 2, spec.rows / 4, spec.dim);
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    SIMVUS_CO_RETURN_IF_ERROR(co_await LoadFlushedAndIndexed(client, &data));
    bool stop = false;
    std::optional<Status> load_result;
    Client* loader = ctx.clients[kSearchClients];
    loader->env().Spawn(InsertAtRate(loader, spec.rate, spec.dim,
                                     ctx.ForkRng("bench/streaming/load"), kLoadFirstPk, &stop,
                                     &load_result));
    const Instant start = client.env().clock->Now();
    std::string base_rows = "pk < " + std::to_string(spec.rows);
    Status searched =
        co_await SearchAll(client, ctx, kSearchClients, &queries, std::move(base_rows), &answers);
    searching = client.env().clock->Now() - start;
    Status load = co_await StopInserts(client, &stop, &load_result);
    SIMVUS_CO_RETURN_IF_ERROR(searched);
    co_return load;
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  std::optional<std::vector<std::pair<std::string, double>>> figures =
      SearchFigures(*report, set->truth, answers);
  if (!figures) return std::nullopt;
  int64_t inserted = 0;  // rows the load client inserted (all its inserts succeeded)
  for (const reports::Operation& op : report->history.ops()) {
    if (op.type == reports::OpType::kInsert && op.outcome == reports::Outcome::kOk) {
      for (int64_t pk : op.pks) inserted += pk >= kLoadFirstPk ? 1 : 0;
    }
  }
  result.name = BenchName("streaming", spec, {"rows", "dim", "rate", "queries"});
  result.figures = *figures;
  result.figures.insert(result.figures.end(),
                        {
                            {"det_sim_search_phase_ms", Ms(searching)},
                            {"det_rows_inserted_meanwhile", static_cast<double>(inserted)},
                            {"trace_events", static_cast<double>(report->events)},
                        });
  return result;
}

}  // namespace simvus::scenarios::bench
