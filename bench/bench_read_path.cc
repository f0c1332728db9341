// bench_read_path: the distributed read path in the simulator (QueryCoord, delegators, workers).
//
// BM_SearchQps/rows: `rows` rows of dimension 128 (uniform in [0,1)) in 2 shards, segments of
// about rows/10 rows, an HNSW index (M=16, efConstruction=128) on every sealed segment, loaded on
// 3 query nodes; then 4 clients on 2 proxies issue 50 Bounded searches each (top-10, ef=64),
// back to back. Counters, all from simulated time and so deterministic: searches per simulated
// second, p50 / p99 latency (ms), recall@10 against exact ground truth computed here by brute
// force, and how many segments the workers searched through their index. Simulated time follows
// the cost model (components/roles/segment_reads.h: brute force rows x dim ns, an index 1/16 of
// that, 20 us per request) and the network model; host time is the whole run, cluster start-up
// and index builds included.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "components/roles/data_coord.h"
#include "scenarios/runner.h"
#include "scenarios/workload_helpers.h"

namespace simvus {
namespace {

constexpr int32_t kDim = 128;
constexpr int kClients = 4;
constexpr int kSearchesPerClient = 50;
constexpr int kTopK = 10;

struct Figures {
  double qps = 0, p50_ms = 0, p99_ms = 0, recall = 0;
  int indexed_loads = 0;
};

std::vector<float> UniformVector(Rng& rng) {
  std::vector<float> v(kDim);
  for (float& x : v) x = static_cast<float>(rng.UniformUnit());
  return v;
}

double L2(const std::vector<float>& a, const std::vector<float>& b) {
  double d = 0;
  for (int i = 0; i < kDim; ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
  return d;
}

void BM_SearchQps(benchmark::State& state) {
  const int64_t rows = state.range(0);
  Figures figures;
  std::vector<std::vector<float>> data;  // by pk
  Rng data_rng(7);
  for (int64_t pk = 0; pk < rows; ++pk) data.push_back(UniformVector(data_rng));
  std::vector<std::vector<float>> queries;
  Rng query_rng(8);
  for (int q = 0; q < kClients * kSearchesPerClient; ++q) {
    queries.push_back(UniformVector(query_rng));
  }
  // Exact top-k per query (brute force, ties by pk).
  std::vector<std::set<int64_t>> truth;
  for (const std::vector<float>& q : queries) {
    std::vector<std::pair<double, int64_t>> scored;
    for (int64_t pk = 0; pk < rows; ++pk) scored.emplace_back(L2(q, data[pk]), pk);
    std::partial_sort(scored.begin(), scored.begin() + kTopK, scored.end());
    std::set<int64_t> best;
    for (int i = 0; i < kTopK; ++i) best.insert(scored[static_cast<size_t>(i)].second);
    truth.push_back(std::move(best));
  }

  scenarios::Scenario scenario;
  scenario.name = "search-qps";
  scenario.clients = kClients;
  scenario.approximate_search = true;  // HNSW: recall is measured below
  scenario.time_limit = Duration::Seconds(3600);
  scenario.setup = [rows](sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
    scenarios::RandomLatency(world, config, rng);
    config.query_nodes = {"querynode-1", "querynode-2", "querynode-3"};
    config.proxies = {"proxy-1", "proxy-2"};
    // Segments of about rows / 10 rows: size them from the schema's estimated row size.
    const proto::CollectionSchema schema = scenarios::PkVectorSchema("qps", kDim, 2);
    const double bytes_per_row = static_cast<double>(config.segment_max_size_bytes) *
                                 config.seal_proportion /
                                 static_cast<double>(roles::DataCoord::MaxRowsOf(schema, config));
    config.segment_max_size_bytes = static_cast<int64_t>(static_cast<double>(rows / 10) *
                                                         bytes_per_row / config.seal_proportion);
  };
  std::vector<std::vector<int64_t>> answers(queries.size());
  scenario.workload = [&](scenarios::Client& client,
                          scenarios::ScenarioContext& ctx) -> Task<Status> {
    Result<proto::CollectionInfo> created =
        co_await client.CreateCollection(scenarios::PkVectorSchema("qps", kDim, 2));
    if (!created.ok()) co_return created.status();
    std::map<std::string, std::string> hnsw = {
        {"index_type", "HNSW"}, {"M", "16"}, {"efConstruction", "128"}};
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.CreateIndex("index", "qps", "vec", hnsw));
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("qps"));
    for (int64_t first = 0; first < rows; first += 1000) {
      std::vector<int64_t> pks;
      std::vector<std::vector<float>> vectors;
      for (int64_t pk = first; pk < std::min(rows, first + 1000); ++pk) {
        pks.push_back(pk);
        vectors.push_back(data[static_cast<size_t>(pk)]);
      }
      Result<proto::MutationResult> inserted =
          co_await client.Insert("batch", "qps", std::move(pks), std::move(vectors));
      if (!inserted.ok()) co_return inserted.status();
    }
    Result<proto::FlushResponse> flushed =
        co_await client.Flush("flush", "qps", Duration::Seconds(600));
    if (!flushed.ok()) co_return flushed.status();
    for (;;) {
      Result<proto::DescribeIndexResponse> d = co_await client.DescribeIndex("describe", "qps");
      if (d.ok() && d->state() == "Finished") break;
      co_await client.env().clock->Sleep(Duration::Seconds(1));
    }
    // Let QueryCoord's next target carry the index files to the workers.
    co_await client.env().clock->Sleep(Duration::Seconds(10));
    std::vector<std::optional<Status>> done(kClients);
    for (int c = 0; c < kClients; ++c) {
      ctx.clients[static_cast<size_t>(c)]->env().Spawn(
          [](scenarios::Client* cl, int first, const std::vector<std::vector<float>>* qs,
             std::vector<std::vector<int64_t>>* out,
             std::optional<Status>* result) -> Task<void> {
            scenarios::Client::ReadOptions options;
            options.params = {{"ef", "64"}};
            for (int q = first; q < first + kSearchesPerClient; ++q) {
              Result<proto::SearchResults> r = co_await cl->Search(
                  "search", "qps", (*qs)[static_cast<size_t>(q)], kTopK, proto::BOUNDED, options);
              if (!r.ok()) {
                result->emplace(r.status());
                co_return;
              }
              for (const proto::Hit& h : r->hits())
                (*out)[static_cast<size_t>(q)].push_back(h.pk());
            }
            result->emplace(Status::Ok());
          }(ctx.clients[static_cast<size_t>(c)], c * kSearchesPerClient, &queries, &answers,
                                            &done[static_cast<size_t>(c)]));
    }
    for (;;) {
      bool all = true;
      for (const std::optional<Status>& d : done) {
        if (d && !d->ok()) co_return *d;
        all = all && d.has_value();
      }
      if (all) break;
      co_await client.env().clock->Sleep(Duration::Millis(1));
    }
    co_return Status::Ok();
  };
  for (auto _ : state) {
    scenarios::RunOptions options;
    options.seed = 1;
    int indexed_loads = 0;
    options.on_event = [&indexed_loads](const sim::RecordedEvent& e) {
      if (e.event.kind == "query.load" && e.event.text.find("loads the index") == 0) {
        ++indexed_loads;
      }
    };
    scenarios::RunReport report = scenarios::RunScenario(scenario, options);
    if (!report.pass) {
      state.SkipWithError(("run failed: " + report.invariant + " " + report.detail).c_str());
      return;
    }
    std::vector<double> latencies;
    std::optional<Duration> first, last;  // client clocks: ns since the Unix epoch
    for (const reports::Operation& op : report.history.ops()) {
      if (op.type != reports::OpType::kSearch || op.outcome != reports::Outcome::kOk) continue;
      latencies.push_back(static_cast<double>((op.complete_at - op.invoke_at).ns) / 1e6);
      first = first ? std::min(*first, op.invoke_at) : op.invoke_at;
      last = last ? std::max(*last, op.complete_at) : op.complete_at;
    }
    if (latencies.empty()) {
      state.SkipWithError("no search answered");
      return;
    }
    std::sort(latencies.begin(), latencies.end());
    figures.qps =
        static_cast<double>(latencies.size()) / (static_cast<double>((*last - *first).ns) / 1e9);
    figures.p50_ms = latencies[latencies.size() / 2];
    figures.p99_ms = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
    double hits = 0;
    for (size_t q = 0; q < queries.size(); ++q) {
      for (int64_t pk : answers[q]) hits += truth[q].count(pk);
    }
    figures.recall = hits / static_cast<double>(queries.size() * kTopK);
    figures.indexed_loads = indexed_loads;
  }
  state.counters["sim_qps"] = figures.qps;
  state.counters["sim_p50_ms"] = figures.p50_ms;
  state.counters["sim_p99_ms"] = figures.p99_ms;
  state.counters["recall_at_10"] = figures.recall;
  state.counters["indexes_loaded"] = figures.indexed_loads;
}
BENCHMARK(BM_SearchQps)->Arg(10000)->Arg(100000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace simvus

BENCHMARK_MAIN();
