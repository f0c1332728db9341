#include "scenarios/bench_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "components/roles/data_coord.h"
#include "reports/bench_compare.h"
#include "scenarios/cli_parse.h"
#include "scenarios/runner.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr int kBatchRows = 1000;
constexpr int kTopK = 10;
constexpr int kSearchClients = 2;
constexpr int32_t kShards = 2;
constexpr char kCollection[] = "bench";
constexpr char kPlantEnv[] = "SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN";

const char kUsage[] =
    "usage: simvus bench compare BASELINE.json CURRENT.json [--tolerance R] [--alpha A] "
    "[--min-change R]\n"
    "       simvus bench ingest [--rows N] [--dim D] [--seed S] [--out FILE]\n"
    "       simvus bench search [--rows N] [--dim D] [--queries Q] [--seed S] [--out FILE]\n";

int BadInput(const std::string& message) {
  std::cerr << "simvus bench: " << message << "\n" << kUsage;
  return 2;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int Compare(const std::vector<std::string>& args) {
  reports::CompareOptions options;
  std::vector<std::string> paths;
  CLI::App app("simvus bench compare", "simvus bench compare");
  app.add_option("files", paths);
  app.add_option("--tolerance", options.tolerance)->check(CLI::Range(0.0, 1e9));
  app.add_option("--alpha", options.alpha)->check(CLI::Range(0.0, 1.0));
  app.add_option("--min-change", options.min_change)->check(CLI::Range(0.0, 1e9));
  if (std::optional<std::string> error =
          ParseArgs(app, std::vector<std::string>(args.begin() + 1, args.end()))) {
    return BadInput("compare: " + *error);
  }
  if (paths.size() != 2) {
    return BadInput("compare: expected two files, BASELINE.json and CURRENT.json; got " +
                    std::to_string(paths.size()));
  }
  std::vector<reports::BenchFile> files;
  for (const std::string& path : paths) {
    std::optional<std::string> text = ReadFile(path);
    if (!text) return BadInput(path + ": cannot read; expected a Google Benchmark JSON file");
    Result<reports::BenchFile> parsed = reports::ParseBenchJson(*text, path);
    if (!parsed.ok()) return BadInput(parsed.status().message());
    files.push_back(std::move(*parsed));
  }
  reports::Comparison comparison = reports::CompareBenchmarks(files[0], files[1], options);
  if (comparison.common_benchmarks == 0) {
    std::string names;
    for (const auto& [name, samples] : files[0].benchmarks) names += " " + name;
    return BadInput("no benchmark in common: " + paths[1] + " has none of the baseline's:" + names);
  }
  std::cout << reports::FormatComparison(comparison);
  return comparison.regression ? 1 : 0;
}

// ---- The macro benchmarks --------------------------------------------------------------------

struct BenchSpec {
  int64_t rows = 0;
  int64_t dim = 0;
  int64_t queries = 0;  // search only
  int64_t seed = 1;
  std::string out;
};

// One benchmark's result: its name, deterministic figures (det_ names) and host time.
struct BenchResult {
  std::string name;
  std::vector<std::pair<std::string, double>> figures;
  double host_ms = 0;
  std::map<std::string, std::string> context;
};

std::vector<std::vector<float>> UniformVectors(Rng rng, int64_t count, int64_t dim) {
  std::vector<std::vector<float>> out(static_cast<size_t>(count),
                                      std::vector<float>(static_cast<size_t>(dim)));
  for (std::vector<float>& v : out) {
    for (float& x : v) x = static_cast<float>(rng.UniformUnit());
  }
  return out;
}

// Segments of about rows / parts rows: sized from the schema's estimated row size.
void SizeSegments(roles::ClusterConfig& config, int64_t rows, int64_t dim, int64_t parts) {
  const proto::CollectionSchema schema =
      PkVectorSchema(kCollection, static_cast<int32_t>(dim), kShards);
  const double bytes_per_row = static_cast<double>(config.segment_max_size_bytes) *
                               config.seal_proportion /
                               static_cast<double>(roles::DataCoord::MaxRowsOf(schema, config));
  config.segment_max_size_bytes =
      std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(rows / parts) * bytes_per_row /
                                                config.seal_proportion));
}

double Ms(Duration d) { return static_cast<double>(d.ns) / 1e6; }

// Inserts rows [0, data.size()) in batches of kBatchRows (pk = index).
Task<Status> InsertAll(Client& client, const std::vector<std::vector<float>>* data) {
  const int64_t rows = static_cast<int64_t>(data->size());
  for (int64_t first = 0; first < rows; first += kBatchRows) {
    std::vector<int64_t> pks;
    std::vector<std::vector<float>> vectors;
    for (int64_t pk = first; pk < std::min(rows, first + kBatchRows); ++pk) {
      pks.push_back(pk);
      vectors.push_back((*data)[static_cast<size_t>(pk)]);
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

std::map<std::string, std::string> HnswParams() {
  return {{"index_type", "HNSW"}, {"M", "16"}, {"efConstruction", "64"}};
}

// Runs the scenario once, timing the host; a failed run is reported with its repro details.
std::optional<RunReport> RunTimed(const Scenario& scenario, const RunOptions& options,
                                  double& host_ms) {
  const auto start = std::chrono::steady_clock::now();  // host time, outside the simulation
  RunReport report = RunScenario(scenario, options);
  host_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!report.pass) {
    std::cerr << "simvus bench: the run failed (seed " << report.seed << "): " << report.invariant
              << " " << report.detail << "\n";
    return std::nullopt;
  }
  return report;
}

std::optional<BenchResult> RunIngest(const BenchSpec& spec) {
  const std::vector<std::vector<float>> data =
      UniformVectors(Rng(static_cast<uint64_t>(spec.seed)).Fork("bench-data"), spec.rows, spec.dim);
  struct Marks {
    Instant start, inserted, flushed, indexed;
    sim::NetworkCounters net_start, net_end;
  } marks;
  Scenario scenario;
  scenario.name = "bench-ingest";
  scenario.approximate_search = true;
  scenario.time_limit = Duration::Seconds(3600);
  scenario.setup = [&spec](sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
    RandomLatency(world, config, rng);
    SizeSegments(config, spec.rows, spec.dim, 4);
  };
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    const proto::CollectionSchema schema =
        PkVectorSchema(kCollection, static_cast<int32_t>(spec.dim), kShards);
    Result<proto::CollectionInfo> created = co_await client.CreateCollection(schema);
    if (!created.ok()) co_return created.status();
    std::map<std::string, std::string> hnsw = HnswParams();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.CreateIndex("index", kCollection, "vec", hnsw));
    marks.start = client.env().clock->Now();
    marks.net_start = ctx.world->network().counters();
    SIMVUS_CO_RETURN_IF_ERROR(co_await InsertAll(client, &data));
    marks.inserted = client.env().clock->Now();
    Result<proto::FlushResponse> flushed =
        co_await client.Flush("flush", kCollection, Duration::Seconds(600));
    if (!flushed.ok()) co_return flushed.status();
    marks.flushed = client.env().clock->Now();
    SIMVUS_CO_RETURN_IF_ERROR(co_await WaitIndexed(client));
    marks.indexed = client.env().clock->Now();
    marks.net_end = ctx.world->network().counters();
    co_return Status::Ok();
  };
  RunOptions options;
  options.seed = static_cast<uint64_t>(spec.seed);
  BenchResult result;
  std::optional<RunReport> report = RunTimed(scenario, options, result.host_ms);
  if (!report) return std::nullopt;
  result.name = "sim/ingest/rows:" + std::to_string(spec.rows) +
                "/dim:" + std::to_string(spec.dim) + "/seed:" + std::to_string(spec.seed);
  const double to_flushed_s = Ms(marks.flushed - marks.start) / 1e3;
  result.figures = {
      {"det_sim_rows_per_s", static_cast<double>(spec.rows) / to_flushed_s},
      {"det_sim_insert_ms", Ms(marks.inserted - marks.start)},
      {"det_sim_flush_ms", Ms(marks.flushed - marks.inserted)},
      {"det_sim_index_ms", Ms(marks.indexed - marks.flushed)},
      {"det_messages", static_cast<double>(marks.net_end.sent - marks.net_start.sent)},
      {"det_bytes", static_cast<double>(marks.net_end.bytes_sent - marks.net_start.bytes_sent)},
      {"trace_events", static_cast<double>(report->events)},  // not judged: any trace change
  };
  return result;
}

// Exact top-k pks of each query by brute force (L2, ties by pk).
std::vector<std::set<int64_t>> GroundTruth(const std::vector<std::vector<float>>& data,
                                           const std::vector<std::vector<float>>& queries) {
  std::vector<std::set<int64_t>> truth;
  for (const std::vector<float>& q : queries) {
    std::vector<std::pair<double, int64_t>> scored;
    scored.reserve(data.size());
    for (size_t pk = 0; pk < data.size(); ++pk) {
      double d = 0;
      for (size_t i = 0; i < q.size(); ++i) {
        const double diff = static_cast<double>(q[i]) - static_cast<double>(data[pk][i]);
        d += diff * diff;
      }
      scored.emplace_back(d, static_cast<int64_t>(pk));
    }
    const size_t k = std::min<size_t>(kTopK, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k),
                      scored.end());
    std::set<int64_t> best;
    for (size_t i = 0; i < k; ++i) best.insert(scored[i].second);
    truth.push_back(std::move(best));
  }
  return truth;
}

Task<void> SearchClient(Client* client, int64_t first, int64_t last,
                        const std::vector<std::vector<float>>* queries,
                        std::vector<std::vector<int64_t>>* answers, std::optional<Status>* result) {
  Client::ReadOptions options;
  options.params = {{"ef", "64"}};
  for (int64_t q = first; q < last; ++q) {
    std::vector<float> query = (*queries)[static_cast<size_t>(q)];
    Result<proto::SearchResults> r = co_await client->Search(
        "search", kCollection, std::move(query), kTopK, proto::BOUNDED, options);
    if (!r.ok()) {
      result->emplace(r.status());
      co_return;
    }
    for (const proto::Hit& h : r->hits()) (*answers)[static_cast<size_t>(q)].push_back(h.pk());
  }
  result->emplace(Status::Ok());
}

std::optional<BenchResult> RunSearch(const BenchSpec& spec, int64_t plant_permille) {
  const Rng seed_rng(static_cast<uint64_t>(spec.seed));
  const std::vector<std::vector<float>> data =
      UniformVectors(seed_rng.Fork("bench-data"), spec.rows, spec.dim);
  const std::vector<std::vector<float>> queries =
      UniformVectors(seed_rng.Fork("bench-queries"), spec.queries, spec.dim);
  const std::vector<std::set<int64_t>> truth = GroundTruth(data, queries);
  std::vector<std::vector<int64_t>> answers(queries.size());
  sim::NetworkCounters net_start, net_end;
  Scenario scenario;
  scenario.name = "bench-search";
  scenario.clients = kSearchClients;
  scenario.approximate_search = true;
  scenario.time_limit = Duration::Seconds(3600);
  scenario.setup = [&spec](sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
    RandomLatency(world, config, rng);
    config.query_nodes = {"querynode-1", "querynode-2"};
    SizeSegments(config, spec.rows, spec.dim, 4);
  };
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    const proto::CollectionSchema schema =
        PkVectorSchema(kCollection, static_cast<int32_t>(spec.dim), kShards);
    Result<proto::CollectionInfo> created = co_await client.CreateCollection(schema);
    if (!created.ok()) co_return created.status();
    std::map<std::string, std::string> hnsw = HnswParams();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.CreateIndex("index", kCollection, "vec", hnsw));
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection(kCollection));
    SIMVUS_CO_RETURN_IF_ERROR(co_await InsertAll(client, &data));
    Result<proto::FlushResponse> flushed =
        co_await client.Flush("flush", kCollection, Duration::Seconds(600));
    if (!flushed.ok()) co_return flushed.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await WaitIndexed(client));
    // Let QueryCoord's next target carry the index files to the workers.
    co_await client.env().clock->Sleep(Duration::Seconds(10));
    net_start = ctx.world->network().counters();
    std::vector<std::optional<Status>> done(kSearchClients);
    const int64_t per_client = (spec.queries + kSearchClients - 1) / kSearchClients;
    for (int c = 0; c < kSearchClients; ++c) {
      const int64_t first = std::min(spec.queries, c * per_client);
      const int64_t last = std::min(spec.queries, first + per_client);
      Client* searcher = ctx.clients[static_cast<size_t>(c)];
      searcher->env().Spawn(
          SearchClient(searcher, first, last, &queries, &answers, &done[static_cast<size_t>(c)]));
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
    net_end = ctx.world->network().counters();
    co_return Status::Ok();
  };
  RunOptions options;
  options.seed = static_cast<uint64_t>(spec.seed);
  options.configure = [plant_permille](roles::ClusterConfig& config) {
    config.search_cost_extra_permille = plant_permille;
  };
  BenchResult result;
  std::optional<RunReport> report = RunTimed(scenario, options, result.host_ms);
  if (!report) return std::nullopt;
  std::vector<double> latencies;
  std::optional<Duration> first, last;  // history times: client clocks
  for (const reports::Operation& op : report->history.ops()) {
    if (op.type != reports::OpType::kSearch || op.outcome != reports::Outcome::kOk) continue;
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
  for (size_t q = 0; q < queries.size(); ++q) {
    for (int64_t pk : answers[q]) hits += static_cast<double>(truth[q].count(pk));
  }
  result.name = "sim/search/rows:" + std::to_string(spec.rows) +
                "/dim:" + std::to_string(spec.dim) + "/queries:" + std::to_string(spec.queries) +
                "/seed:" + std::to_string(spec.seed);
  result.figures = {
      {"det_sim_qps", static_cast<double>(latencies.size()) / (Ms(*last - *first) / 1e3)},
      {"det_sim_p50_ms", latencies[latencies.size() / 2]},
      {"det_sim_p99_ms", latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)]},
      {"det_recall_at_10", hits / static_cast<double>(queries.size() * kTopK)},
      {"det_search_messages", static_cast<double>(net_end.sent - net_start.sent)},
      {"det_search_bytes", static_cast<double>(net_end.bytes_sent - net_start.bytes_sent)},
      {"trace_events", static_cast<double>(report->events)},
  };
  if (plant_permille != 0) {
    result.context["planted_search_slowdown_permille"] = std::to_string(plant_permille);
  }
  return result;
}

std::string JsonNumber(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Google Benchmark's JSON (one "iteration" entry): compare.py and `simvus bench compare` read it.
// No date or host in the context, so the file is a pure function of (seed, code) but for
// real_time / cpu_time.
std::string ToGoogleBenchmarkJson(const BenchResult& r) {
  std::ostringstream out;
  out << "{\n  \"context\": {\n    \"executable\": \"simvus bench\",\n"
      << "    \"simvus_deterministic_prefix\": "
      << JsonString(std::string(reports::kDeterministicPrefix));
  for (const auto& [key, value] : r.context) {
    out << ",\n    " << JsonString(key) << ": " << JsonString(value);
  }
  out << "\n  },\n  \"benchmarks\": [\n    {\n"
      << "      \"name\": " << JsonString(r.name) << ",\n"
      << "      \"family_index\": 0,\n      \"per_family_instance_index\": 0,\n"
      << "      \"run_name\": " << JsonString(r.name) << ",\n"
      << "      \"run_type\": \"iteration\",\n      \"repetitions\": 1,\n"
      << "      \"repetition_index\": 0,\n      \"threads\": 1,\n      \"iterations\": 1,\n"
      << "      \"real_time\": " << JsonNumber(r.host_ms) << ",\n"
      << "      \"cpu_time\": " << JsonNumber(r.host_ms) << ",\n"
      << "      \"time_unit\": \"ms\"";
  for (const auto& [name, value] : r.figures) {
    out << ",\n      " << JsonString(name) << ": " << JsonNumber(value);
  }
  out << "\n    }\n  ]\n}\n";
  return out.str();
}

void PrintTable(const BenchResult& r) {
  std::cout << r.name << "\n";
  size_t width = 0;
  for (const auto& [name, value] : r.figures) width = std::max(width, name.size());
  for (const auto& [name, value] : r.figures) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    std::cout << "  " << name << std::string(width - name.size() + 2, ' ') << buf << "\n";
  }
  char host[48];
  std::snprintf(host, sizeof host, "%.1f", r.host_ms);
  std::cout << "  host time (wall clock, not deterministic): " << host << " ms\n";
}

int RunMacro(const std::vector<std::string>& args) {
  const bool search = args[0] == "search";
  BenchSpec spec;
  spec.rows = search ? 5000 : 20000;
  spec.dim = search ? 32 : 64;
  spec.queries = 200;
  CLI::App app("simvus bench " + args[0], "simvus bench");
  app.add_option("--rows", spec.rows)->check(CLI::Range(int64_t{10}, int64_t{10'000'000}));
  app.add_option("--dim", spec.dim)->check(CLI::Range(int64_t{1}, int64_t{4096}));
  if (search) {
    app.add_option("--queries", spec.queries)->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
  }
  app.add_option("--seed", spec.seed)->check(CLI::NonNegativeNumber);
  app.add_option("--out", spec.out);
  if (std::optional<std::string> error =
          ParseArgs(app, std::vector<std::string>(args.begin() + 1, args.end()))) {
    return BadInput(args[0] + ": " + *error);
  }
  int64_t plant_permille = 0;
  if (const char* plant = std::getenv(kPlantEnv); search && plant != nullptr && *plant) {
    char* end = nullptr;
    const double fraction = std::strtod(plant, &end);
    if (*end != '\0' || !(fraction >= 0 && fraction <= 100)) {
      return BadInput(std::string(kPlantEnv) + " '" + plant +
                      "': expected a fraction such as 0.05");
    }
    plant_permille = std::llround(fraction * 1000);
    std::cerr << "simvus bench: planted search slowdown of " << plant_permille << " permille ("
              << kPlantEnv << ")\n";
  }
  std::optional<BenchResult> result = search ? RunSearch(spec, plant_permille) : RunIngest(spec);
  if (!result) return 1;
  PrintTable(*result);
  if (!spec.out.empty()) {
    std::ofstream out(spec.out, std::ios::binary | std::ios::trunc);
    out << ToGoogleBenchmarkJson(*result);
    if (!out) return BadInput("--out '" + spec.out + "': cannot write");
  }
  return 0;
}

}  // namespace

int BenchCommand(const std::vector<std::string>& args) {
  if (args.empty()) return BadInput("expected a subcommand: compare, ingest or search");
  if (args[0] == "compare") return Compare(args);
  if (args[0] == "ingest" || args[0] == "search") return RunMacro(args);
  if (args[0] == "-h" || args[0] == "--help") {
    std::cout << kUsage;
    return 0;
  }
  return BadInput("unknown subcommand '" + args[0] + "'; expected compare, ingest or search");
}

}  // namespace simvus::scenarios
