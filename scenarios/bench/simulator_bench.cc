// `simvus bench simulator`: the simulator's own speed on a large run, as the cluster and the data
// grow. A cluster of 2 proxies, 2 data nodes, 2 index nodes, `query_nodes` query nodes and the
// four coordinators (14 nodes at the default 4) loads a collection (no vector index: index builds
// are FAISS's cost, which bench_ann measures, not the simulator's); 4 clients insert
// `rows` rows of `dim` floats at once, in batches of 1,000; halfway through, querynode-2 crashes
// (and stays down) and datanode-2 crashes and restarts 2 s later; then a Flush until every
// segment is in the object store. The run is checked like any scenario.
//
// Figures: what the run did, deterministic (`det_events`, `det_sim_ms`, `det_messages`,
// `det_bytes`), and what it cost the host, not deterministic and not judged: host microseconds
// per row and nanoseconds per event, events per host second, simulated seconds per host second,
// and the process's peak resident memory against the raw vector bytes (rows x dim x 4); the
// input is drawn batch by batch as it is sent, never held whole. Simulator only: it measures the
// simulator.
#include <sys/resource.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr int kInsertClients = 4;
constexpr Duration kDataNodeDown = Duration::Seconds(2);

constexpr int64_t kBatchRows = 1000;

// Rows [first, last) (pk = row index) in batches of kBatchRows; the first error. Each batch's
// vectors are drawn when it is sent, from `data` forked by its first row, so the run's data is a
// function of the seed alone and the process never holds the whole input (a loader streams its
// file; the peak memory is the cluster's, not the input's).
Task<void> InsertSlice(Client* client, Rng data, int64_t dim, int64_t first, int64_t last,
                       std::optional<Status>* result) {
  for (int64_t from = first; from < last; from += kBatchRows) {
    const int64_t to = std::min(last, from + kBatchRows);
    std::vector<int64_t> pks;
    for (int64_t i = from; i < to; ++i) pks.push_back(i);
    std::vector<std::vector<float>> vectors =
        UniformVectors(data.Fork("rows-" + std::to_string(from)), to - from, dim);
    Result<proto::MutationResult> inserted =
        co_await client->Insert("batch", kCollection, std::move(pks), std::move(vectors));
    if (!inserted.ok()) {
      result->emplace(inserted.status());
      co_return;
    }
  }
  result->emplace(Status::Ok());
}

// Every client inserts its quarter of rows [first, last); the first error.
Task<Status> InsertConcurrently(Client& client, ScenarioContext& ctx, const Rng& data, int64_t dim,
                                int64_t first, int64_t last) {
  std::vector<std::optional<Status>> done(kInsertClients);
  const int64_t per_client = (last - first + kInsertClients - 1) / kInsertClients;
  for (int c = 0; c < kInsertClients; ++c) {
    const int64_t from = std::min(last, first + c * per_client);
    const int64_t to = std::min(last, from + per_client);
    Client* inserter = ctx.clients[static_cast<size_t>(c)];
    inserter->env().Spawn(
        InsertSlice(inserter, data, dim, from, to, &done[static_cast<size_t>(c)]));
  }
  for (;;) {
    bool all = true;
    for (const std::optional<Status>& d : done) all = all && d.has_value();
    if (all) break;
    co_await client.env().clock->Sleep(Duration::Millis(10));
  }
  for (const std::optional<Status>& d : done) {
    if (!d->ok()) co_return *d;
  }
  co_return Status::Ok();
}

double PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux: kilobytes
}

}  // namespace

std::optional<BenchResult> RunSimulator(const BenchSpec& spec) {
  const Rng data = Rng(static_cast<uint64_t>(spec.seed)).Fork("bench-data");
  sim::NetworkCounters net_start, net_end;
  Scenario scenario = BenchScenario("bench-simulator", kInsertClients, 2, spec.rows / 8, spec.dim);
  const int64_t query_nodes = spec.query_nodes;
  scenario.setup = [base = scenario.setup, query_nodes](sim::WorldOptions& world,
                                                        roles::ClusterConfig& config, Rng& rng) {
    base(world, config, rng);
    config.proxies = {"proxy-1", "proxy-2"};
    config.data_nodes = {"datanode-1", "datanode-2"};
    config.index_nodes = {"indexnode-1", "indexnode-2"};
    config.query_nodes.clear();
    for (int64_t q = 1; q <= query_nodes; ++q) {
      config.query_nodes.push_back("querynode-" + std::to_string(q));
    }
  };
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    if (!ctx.crash_node || !ctx.start_node) {
      co_return FailedPrecondition("the simulator bench crashes nodes: roles in this process");
    }
    // No vector index: its builds are FAISS's cost, not the simulator's (bench_ann measures
    // them). Sealed segments are searched by brute force.
    const proto::CollectionSchema schema =
        PkVectorSchema(kCollection, static_cast<int32_t>(spec.dim), kShards);
    Result<proto::CollectionInfo> created = co_await client.CreateCollection(schema);
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection(kCollection));
    if (ctx.world != nullptr) net_start = ctx.world->network().counters();
    const int64_t half = spec.rows / 2;
    SIMVUS_CO_RETURN_IF_ERROR(co_await InsertConcurrently(client, ctx, data, spec.dim, 0, half));
    ctx.say("bench: crash querynode-2 (it stays down) and datanode-2 (back in 2 s)");
    std::string query_node = "querynode-2";
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.crash_node(query_node));
    std::string data_node = "datanode-2";
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.crash_node(data_node));
    const Instant restart_at = client.env().clock->Now() + kDataNodeDown;
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await InsertConcurrently(client, ctx, data, spec.dim, half, spec.rows));
    const Instant now = client.env().clock->Now();
    if (now < restart_at) co_await client.env().clock->Sleep(restart_at - now);
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.start_node(data_node));
    Result<proto::FlushResponse> flushed =
        co_await client.Flush("flush", kCollection, Duration::Seconds(600));
    if (!flushed.ok()) co_return flushed.status();
    if (ctx.world != nullptr) net_end = ctx.world->network().counters();
    co_return Status::Ok();
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  result.name = BenchName("simulator", spec, {"rows", "dim", "query_nodes"});
  const double host_s = result.host_ms / 1e3;
  const double raw_bytes = static_cast<double>(spec.rows * spec.dim) * sizeof(float);
  const double peak = PeakRssBytes();
  result.figures = {
      {"det_events", static_cast<double>(report->events)},
      {"det_sim_ms", Ms(report->sim_time)},
      {"det_messages", static_cast<double>(net_end.sent - net_start.sent)},
      {"det_bytes", static_cast<double>(net_end.bytes_sent - net_start.bytes_sent)},
      // The host's cost: wall clock and memory, never judged by the gate (no det_ prefix).
      {"host_us_per_row", result.host_ms * 1e3 / static_cast<double>(spec.rows)},
      {"host_ns_per_event", result.host_ms * 1e6 / static_cast<double>(report->events)},
      {"host_events_per_s", static_cast<double>(report->events) / host_s},
      {"host_sim_over_wall", Ms(report->sim_time) / result.host_ms},
      {"host_peak_rss_mb", peak / 1e6},
      {"host_peak_rss_over_raw_vectors", peak / raw_bytes},
  };
  result.context["nodes"] = std::to_string(
      4 + 2 + 2 + 2 + query_nodes);  // coordinators, proxies, data nodes, index nodes, query nodes
  return result;
}

}  // namespace simvus::scenarios::bench
