#include "scenarios/bench/macro_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "components/roles/data_coord.h"
#include "reports/bench_compare.h"
#include "scenarios/bench/datasets.h"
#include "scenarios/real_command.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {

namespace {

constexpr int kBatchRows = 1000;

// Segments of about `rows` rows, sized from the schema's estimated row size.
void SizeSegments(roles::ClusterConfig& config, int64_t rows, int64_t dim) {
  const proto::CollectionSchema schema =
      PkVectorSchema(kCollection, static_cast<int32_t>(dim), kShards);
  const double bytes_per_row = static_cast<double>(config.segment_max_size_bytes) *
                               config.seal_proportion /
                               static_cast<double>(roles::DataCoord::MaxRowsOf(schema, config));
  config.segment_max_size_bytes = std::max<int64_t>(
      1, static_cast<int64_t>(static_cast<double>(rows) * bytes_per_row / config.seal_proportion));
}

Task<void> SearchClient(Client* client, int64_t first, int64_t last,
                        const std::vector<std::vector<float>>* queries, std::string filter,
                        std::vector<std::vector<int64_t>>* answers, int64_t ef, int64_t nq,
                        std::optional<Status>* result) {
  Client::ReadOptions options;
  options.params = {{"ef", std::to_string(ef)}};
  options.filter = std::move(filter);
  for (int64_t q = first; q < last; q += nq) {
    const int64_t count = std::min(nq, last - q);
    Result<proto::SearchResults> r = Unavailable("not sent");
    if (nq == 1) {
      std::vector<float> query = (*queries)[static_cast<size_t>(q)];
      r = co_await client->Search("search", kCollection, std::move(query), kTopK, proto::BOUNDED,
                                  options);
    } else {
      std::vector<std::vector<float>> batch(queries->begin() + q, queries->begin() + q + count);
      r = co_await client->SearchBatch("search", kCollection, std::move(batch), kTopK,
                                       proto::BOUNDED, options);
    }
    if (!r.ok()) {
      result->emplace(r.status());
      co_return;
    }
    const std::vector<std::vector<proto::Hit>> per_query =
        HitsPerQuery(*r, static_cast<int32_t>(count));
    for (int64_t j = 0; j < count; ++j) {
      for (const proto::Hit& h : per_query[static_cast<size_t>(j)]) {
        (*answers)[static_cast<size_t>(q + j)].push_back(h.pk());
      }
    }
  }
  result->emplace(Status::Ok());
}

// Rows of dim floats, one vector each.
std::vector<std::vector<float>> Rows(const std::vector<float>& flat, int64_t dim) {
  std::vector<std::vector<float>> rows;
  rows.reserve(flat.size() / static_cast<size_t>(dim));
  for (size_t at = 0; at < flat.size(); at += static_cast<size_t>(dim)) {
    rows.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(at),
                      flat.begin() + static_cast<std::ptrdiff_t>(at) + dim);
  }
  return rows;
}

std::vector<float> Flat(const std::vector<std::vector<float>>& rows) {
  std::vector<float> flat;
  for (const std::vector<float>& row : rows) flat.insert(flat.end(), row.begin(), row.end());
  return flat;
}

}  // namespace

Task<Status> SearchAll(Client& client, ScenarioContext& ctx, int searchers,
                       const std::vector<std::vector<float>>* queries, std::string filter,
                       std::vector<std::vector<int64_t>>* answers, int64_t ef, int64_t nq) {
  const auto count = static_cast<int64_t>(queries->size());
  std::vector<std::optional<Status>> done(static_cast<size_t>(searchers));
  const int64_t per_client = (count + searchers - 1) / searchers;
  for (int c = 0; c < searchers; ++c) {
    const int64_t first = std::min(count, c * per_client);
    const int64_t last = std::min(count, first + per_client);
    Client* searcher = ctx.clients[static_cast<size_t>(c)];
    searcher->env().Spawn(SearchClient(searcher, first, last, queries, filter, answers, ef, nq,
                                       &done[static_cast<size_t>(c)]));
  }
  // Every searcher writes into `done` and `answers`: wait for all, error or not.
  for (;;) {
    bool all = true;
    for (const std::optional<Status>& d : done) all = all && d.has_value();
    if (all) break;
    co_await client.env().clock->Sleep(Duration::Millis(1));
  }
  for (const std::optional<Status>& d : done) {
    if (!d->ok()) co_return *d;
  }
  co_return Status::Ok();
}

std::optional<std::vector<std::pair<std::string, double>>> SearchFigures(
    const RunReport& report, const std::vector<std::set<int64_t>>& truth,
    const std::vector<std::vector<int64_t>>& answers, std::pair<Duration, Duration> window) {
  std::vector<double> latencies;
  std::optional<Duration> first, last;  // history times: client clocks
  for (const reports::Operation& op : report.history.ops()) {
    if (op.type != reports::OpType::kSearch || op.outcome != reports::Outcome::kOk) continue;
    if (op.invoke_at < window.first || op.invoke_at > window.second) continue;
    latencies.push_back(Ms(op.complete_at - op.invoke_at));
    first = first ? std::min(*first, op.invoke_at) : op.invoke_at;
    last = last ? std::max(*last, op.complete_at) : op.complete_at;
  }
  if (latencies.empty()) {
    std::cerr << "simvus bench: no search was answered\n";
    return std::nullopt;
  }
  std::sort(latencies.begin(), latencies.end());
  double hits = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    for (int64_t pk : answers[q]) hits += static_cast<double>(truth[q].count(pk));
  }
  return std::vector<std::pair<std::string, double>>{
      {"det_sim_qps", static_cast<double>(latencies.size()) / (Ms(*last - *first) / 1e3)},
      {"det_sim_p50_ms", latencies[latencies.size() / 2]},
      {"det_sim_p99_ms", latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)]},
      {"det_recall_at_10", hits / static_cast<double>(truth.size() * kTopK)},
  };
}

Task<void> InsertAtRate(Client* client, int64_t rate, int64_t dim, Rng rng, int64_t first_pk,
                        const bool* stop, std::optional<Status>* result) {
  const int64_t per_tick = std::max<int64_t>(1, rate / 10);
  int64_t next = first_pk;
  while (!*stop) {
    const std::vector<std::vector<float>> batch =
        UniformVectors(rng.Fork("batch-" + std::to_string(next)), per_tick, dim);
    Status inserted = co_await InsertAll(*client, &batch, next);
    if (!inserted.ok()) {
      result->emplace(inserted);
      co_return;
    }
    next += per_tick;
    co_await client->env().clock->Sleep(Duration::Millis(100));
  }
  result->emplace(Status::Ok());
}

std::vector<std::vector<float>> UniformVectors(Rng rng, int64_t count, int64_t dim) {
  std::vector<std::vector<float>> out(static_cast<size_t>(count),
                                      std::vector<float>(static_cast<size_t>(dim)));
  for (std::vector<float>& v : out) {
    for (float& x : v) x = static_cast<float>(rng.UniformUnit());
  }
  return out;
}

double Ms(Duration d) { return static_cast<double>(d.ns) / 1e6; }

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::map<std::string, std::string> HnswParams() {
  return {{"index_type", "HNSW"}, {"M", "16"}, {"efConstruction", "64"}};
}

Task<Status> CreateIndexedCollection(Client& client, int64_t dim) {
  const proto::CollectionSchema schema =
      PkVectorSchema(kCollection, static_cast<int32_t>(dim), kShards);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(schema);
  if (!created.ok()) co_return created.status();
  std::map<std::string, std::string> hnsw = HnswParams();
  co_return co_await client.CreateIndex("index", kCollection, "vec", hnsw);
}

Task<Status> InsertAll(Client& client, const std::vector<std::vector<float>>* data,
                       int64_t first_pk) {
  const int64_t rows = static_cast<int64_t>(data->size());
  for (int64_t first = 0; first < rows; first += kBatchRows) {
    std::vector<int64_t> pks;
    std::vector<std::vector<float>> vectors;
    for (int64_t i = first; i < std::min(rows, first + kBatchRows); ++i) {
      pks.push_back(first_pk + i);
      vectors.push_back((*data)[static_cast<size_t>(i)]);
    }
    Result<proto::MutationResult> inserted =
        co_await client.Insert("batch", kCollection, std::move(pks), std::move(vectors));
    if (!inserted.ok()) co_return inserted.status();
  }
  co_return Status::Ok();
}

Task<Status> WaitIndexed(Client& client) {
  for (;;) {
    Result<proto::DescribeIndexResponse> d = co_await client.DescribeIndex("describe", kCollection);
    if (d.ok() && d->state() == "Finished") co_return Status::Ok();
    co_await client.env().clock->Sleep(Duration::Millis(100));
  }
}

Task<Status> LoadFlushedAndIndexed(Client& client, const std::vector<std::vector<float>>* data) {
  const int64_t dim = data->empty() ? 1 : static_cast<int64_t>(data->front().size());
  SIMVUS_CO_RETURN_IF_ERROR(co_await CreateIndexedCollection(client, dim));
  SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection(kCollection));
  SIMVUS_CO_RETURN_IF_ERROR(co_await InsertAll(client, data));
  Result<proto::FlushResponse> flushed =
      co_await client.Flush("flush", kCollection, Duration::Seconds(600));
  if (!flushed.ok()) co_return flushed.status();
  SIMVUS_CO_RETURN_IF_ERROR(co_await WaitIndexed(client));
  // Let QueryCoord's next target carry the index files to the workers.
  co_await client.env().clock->Sleep(Duration::Seconds(10));
  co_return Status::Ok();
}

std::optional<SearchSet> MakeSearchSet(const BenchSpec& spec) {
  const Rng seed_rng(static_cast<uint64_t>(spec.seed));
  AnnDataset d;
  if (spec.dataset == "fashion-mnist") {
    Result<AnnDataset> loaded = LoadFashionMnist(kFashionMnistDir, spec.queries, spec.rows);
    if (!loaded.ok()) {
      std::cerr << "simvus bench: " << loaded.status().ToString() << "\n";
      return std::nullopt;
    }
    d = std::move(*loaded);
  } else if (spec.dataset == "clustered") {
    d = ClusteredDataset(seed_rng.Fork("bench-clustered").NextU64(), spec.rows, spec.dim,
                         spec.queries);
    d.name = "clustered";
  } else {
    d.name = "uniform";
    d.dim = spec.dim;
    d.n = spec.rows;
    d.nq = spec.queries;
    d.base = Flat(UniformVectors(seed_rng.Fork("bench-data"), spec.rows, spec.dim));
    d.queries = Flat(UniformVectors(seed_rng.Fork("bench-queries"), spec.queries, spec.dim));
  }
  d.k = kTopK;
  std::cerr << "simvus bench: " << CachedTruth(d, DefaultCacheDir()) << "\n";
  SearchSet set;
  set.data = Rows(d.base, d.dim);
  set.queries = Rows(d.queries, d.dim);
  for (int64_t q = 0; q < d.nq; ++q) {
    std::set<int64_t> best;
    for (int64_t j = 0; j < d.k; ++j) {
      const int64_t id = d.truth[static_cast<size_t>(q * d.k + j)];
      if (id >= 0) best.insert(id);
    }
    set.truth.push_back(std::move(best));
  }
  return set;
}

Scenario BenchScenario(std::string name, int clients, int query_nodes, int64_t segment_rows,
                       int64_t dim) {
  Scenario scenario;
  scenario.name = std::move(name);
  scenario.description = "a macro benchmark of simvus bench";
  scenario.clients = clients;
  scenario.approximate_search = true;
  scenario.real_backends = true;  // the workloads reach the simulator only where ctx offers it
  scenario.time_limit = Duration::Seconds(3600);
  scenario.setup = [query_nodes, segment_rows, dim](sim::WorldOptions& world,
                                                    roles::ClusterConfig& config, Rng&) {
    // One network for every benchmark and seed (not the swarm's random draw), so that figures
    // of different benchmarks compare: 500 us a hop plus an exponential jitter of mean 100 us,
    // about one datacenter's round trip.
    world.link.latency_base = Duration::Micros(500);
    world.link.latency_jitter_mean = Duration::Micros(100);
    if (query_nodes == 2) config.query_nodes = {"querynode-1", "querynode-2"};
    SizeSegments(config, segment_rows, dim);
  };
  return scenario;
}

Task<Status> StopInserts(Client& client, bool* stop, const std::optional<Status>* result) {
  *stop = true;
  while (!*result) co_await client.env().clock->Sleep(Duration::Millis(100));
  co_return **result;
}

std::optional<RunReport> RunBench(const Scenario& scenario, const BenchSpec& spec,
                                  BenchResult& result) {
  RunOptions options;
  options.seed = static_cast<uint64_t>(spec.seed);
  if (spec.plant_permille != 0) {
    options.configure = [plant = spec.plant_permille](roles::ClusterConfig& config) {
      config.search_cost_extra_permille = plant;
    };
  }
  // Host time of the whole run, outside the simulation: only real_time and cpu_time carry it.
  using HostClock = std::chrono::steady_clock;  // determinism-ok: never a det_ figure
  const HostClock::time_point start = HostClock::now();
  RunReport report;
  if (spec.real) {
    Result<RunReport> ran = RunOnRealBackends(scenario, options, /*quiet=*/false,
                                              /*processes=*/false);
    if (!ran.ok()) {
      std::cerr << "simvus bench: " << ran.status().ToString() << "\n";
      return std::nullopt;
    }
    report = std::move(*ran);
  } else {
    report = RunScenario(scenario, options);
  }
  result.host_ms = std::chrono::duration<double, std::milli>(HostClock::now() - start).count();
  result.events = report.events;
  result.sim_time = report.sim_time;
  if (!report.pass) {
    std::cerr << "simvus bench: the run failed (seed " << report.seed << "): " << report.invariant
              << " " << report.detail << "\n"
              << "  the bench's scenario is checked like any run: this is a finding, not noise\n";
    return std::nullopt;
  }
  return report;
}

std::string BenchName(const std::string& bench, const BenchSpec& spec,
                      const std::vector<std::string>& sizes) {
  std::string name = "sim/" + bench;
  if (spec.dataset != "uniform") name += "/dataset:" + spec.dataset;
  for (const std::string& size : sizes) {
    int64_t value = 0;
    if (size == "rows") value = spec.rows;
    if (size == "dim") value = spec.dim;
    if (size == "queries") value = spec.queries;
    if (size == "probes") value = spec.queries;
    if (size == "rate") value = spec.rate;
    if (size == "query_nodes") value = spec.query_nodes;
    if (size == "nq") {
      if (spec.nq == 1) continue;  // the default: names (and baselines) as before the option
      value = spec.nq;
    }
    name += "/" + size + ":" + std::to_string(value);
  }
  return name + "/seed:" + std::to_string(spec.seed);
}

void ToWallClockFigures(BenchResult& result) {
  const std::string det(reports::kDeterministicPrefix);
  for (auto& [name, value] : result.figures) {
    if (name.rfind(det + "sim_", 0) == 0) {
      name = "wall_" + name.substr(det.size() + 4);
    } else if (name.rfind(det, 0) == 0) {
      name = name.substr(det.size());
    }
  }
  if (result.name.rfind("sim/", 0) == 0) result.name = "real/" + result.name.substr(4);
  result.context["backend"] = "real";
}

std::string ToGoogleBenchmarkJson(const BenchResult& r) {
  nlohmann::ordered_json context = {{"executable", "simvus bench"},
                                    {"simvus_deterministic_prefix", reports::kDeterministicPrefix}};
  for (const auto& [key, value] : r.context) context[key] = value;
  nlohmann::ordered_json entry = {
      {"name", r.name},
      {"family_index", 0},
      {"per_family_instance_index", 0},
      {"run_name", r.name},
      {"run_type", "iteration"},
      {"repetitions", 1},
      {"repetition_index", 0},
      {"threads", 1},
      {"iterations", 1},
      {"real_time", r.host_ms},
      {"cpu_time", r.host_ms},
      {"time_unit", "ms"},
  };
  for (const auto& [name, value] : r.figures) entry[name] = value;
  nlohmann::ordered_json file = {{"context", context}, {"benchmarks", {entry}}};
  return file.dump(2) + "\n";
}

std::string FormatTable(const BenchResult& r) {
  std::ostringstream out;
  out << r.name << "\n";
  size_t width = 0;
  for (const auto& [name, value] : r.figures) width = std::max(width, name.size());
  for (const auto& [name, value] : r.figures) {
    // Whole counts (messages, bytes, events) print in full; other figures to 6 digits.
    char buf[48];
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", value);
    } else {
      std::snprintf(buf, sizeof buf, "%.6g", value);
    }
    out << "  " << name << std::string(width - name.size() + 2, ' ') << buf << "\n";
  }
  const double sim_s = static_cast<double>(r.sim_time.ns) / 1e9;
  const double host_s = r.host_ms / 1e3;
  if (r.context.count("backend") != 0 && r.context.at("backend") == "real") {
    char wall[160];
    std::snprintf(wall, sizeof wall,
                  "  real backends, wall clock: %.1f s in all (backends started and stopped), "
                  "%.1f s of run, %llu trace events\n",
                  host_s, sim_s, static_cast<unsigned long long>(r.events));
    out << wall;
    return out.str();
  }
  char host[160];
  std::snprintf(host, sizeof host,
                "  host time (wall clock, not deterministic): %.1f ms; %llu events in %.1f s "
                "simulated: %.0f events/s, %.0fx real time\n",
                r.host_ms, static_cast<unsigned long long>(r.events), sim_s,
                host_s > 0 ? static_cast<double>(r.events) / host_s : 0.0,
                host_s > 0 ? sim_s / host_s : 0.0);
  out << host;
  return out.str();
}

}  // namespace simvus::scenarios::bench
