// The macro benchmarks of `simvus bench` (bench_command.h): each is one scenario run through the
// simulated cluster whose figures come from simulated time and the simulated network, so every
// `det_` figure is a pure function of (seed, sizes, code). With `--backend real` the same scenario
// runs on real Kafka / etcd / S3 protocols on the wall clock (RunOnRealBackends), and its figures
// are wall-clock ones (ToWallClockFigures). This header holds what they share:
// their options, their result, data generation, the common workload steps and the output
// formats (a table, and Google Benchmark's JSON that `simvus bench compare` and compare.py read).
#pragma once

#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "components/env/time.h"
#include "components/roles/cluster_config.h"
#include "scenarios/client.h"
#include "scenarios/runner.h"

namespace simvus::scenarios::bench {

inline constexpr char kCollection[] = "bench";
inline constexpr int32_t kShards = 2;
inline constexpr int kTopK = 10;

struct BenchSpec {
  int64_t rows = 0;
  int64_t dim = 0;
  int64_t queries = 0;      // search, streaming: searches; freshness: probes per level
  int64_t rate = 0;         // freshness, streaming: background inserts, rows per sim second
  int64_t query_nodes = 4;  // simulator: query nodes of the cluster
  int64_t seed = 1;
  int64_t plant_permille =
      0;  // search: planted extra cost of the workers' search (the gate's test)
  std::string out;
  bool real = false;  // --backend real: the wall clock and real backends
  // search: the data ("uniform", "clustered" or "fashion-mnist", datasets.h) and the ef values
  // searched in turn (the recall targets are read off the sweep).
  std::string dataset = "uniform";
  std::vector<int64_t> efs = {64};
  // search: query vectors per request (Milvus's nq). Above 1 the figures count query vectors:
  // det_sim_qps is vectors per second (requests per second times nq); the latencies are the
  // requests'.
  int64_t nq = 1;
};

// One benchmark's result: its name, figures (det_ names are deterministic; the gate judges them
// exactly) and host time of the whole run (wall clock, judged with repetitions).
struct BenchResult {
  std::string name;
  std::vector<std::pair<std::string, double>> figures;
  double host_ms = 0;
  uint64_t events = 0;
  Duration sim_time;
  std::map<std::string, std::string> context;
};

std::optional<BenchResult> RunIngest(const BenchSpec& spec);
std::optional<BenchResult> RunSearch(const BenchSpec& spec);
std::optional<BenchResult> RunFreshness(const BenchSpec& spec);
std::optional<BenchResult> RunRecovery(const BenchSpec& spec);
std::optional<BenchResult> RunStreaming(const BenchSpec& spec);
std::optional<BenchResult> RunSimulator(const BenchSpec& spec);

// ---- Shared by the benchmarks -----------------------------------------------------------------

// count x dim floats uniform in [0, 1).
std::vector<std::vector<float>> UniformVectors(Rng rng, int64_t count, int64_t dim);

double Ms(Duration d);

// The value at quantile q (0..1) of sorted values, nearest rank; 0 when empty.
double Quantile(const std::vector<double>& sorted, double q);

std::map<std::string, std::string> HnswParams();

// The collection (pk + vector of dim, kShards shards) with an HNSW index on its vector.
Task<Status> CreateIndexedCollection(Client& client, int64_t dim);

// Inserts pks [first, first + vectors.size()) in batches of 1,000.
Task<Status> InsertAll(Client& client, const std::vector<std::vector<float>>* data,
                       int64_t first_pk = 0);

// Waits until DescribeIndex reports every segment indexed.
Task<Status> WaitIndexed(Client& client);

// Creates, indexes and loads the collection, inserts data, flushes, waits for the index and for
// QueryCoord's next target to carry the index files to the workers.
Task<Status> LoadFlushedAndIndexed(Client& client, const std::vector<std::vector<float>>* data);

// The spec's rows and queries and each query's exact top-kTopK pks (L2, ties by pk; pk = row
// index), the truth read from the cache when it was computed before (datasets.h: CachedTruth):
//   uniform        in [0, 1), the seed's streams bench-data and bench-queries;
//   clustered      256 Gaussian clusters (datasets.h), from the seed;
//   fashion-mnist  Debian's dataset-fashion-mnist: the first `rows` train images (784 floats
//                  each) and the first `queries` test images.
// nullopt, with a message, when the dataset cannot be read.
struct SearchSet {
  std::vector<std::vector<float>> data, queries;
  std::vector<std::set<int64_t>> truth;
};
std::optional<SearchSet> MakeSearchSet(const BenchSpec& spec);

// The queries split evenly over ctx.clients[0, searchers), each a closed loop of Bounded
// top-kTopK searches at `ef` filtered by `filter` when not empty; each answer's pks into
// (*answers)[q]. Waits (polling every 1 ms on client) until every searcher is done; the first
// error.
// With nq > 1 each request carries nq consecutive queries of the client's share.
Task<Status> SearchAll(Client& client, ScenarioContext& ctx, int searchers,
                       const std::vector<std::vector<float>>* queries, std::string filter,
                       std::vector<std::vector<int64_t>>* answers, int64_t ef = 64, int64_t nq = 1);

// The figures of the run's answered searches (client-observed sim time) invoked within
// [window.first, window.second] (client clock, as the history records it; the whole run by
// default): det_sim_qps, det_sim_p50_ms, det_sim_p99_ms, and det_recall_at_10 against truth;
// nullopt (with a message) when none was answered.
std::optional<std::vector<std::pair<std::string, double>>> SearchFigures(
    const RunReport& report, const std::vector<std::set<int64_t>>& truth,
    const std::vector<std::vector<int64_t>>& answers,
    std::pair<Duration, Duration> window = {Duration::Nanos(0), Duration::Nanos(INT64_MAX)});

// Inserts `rate` rows per sim second (uniform vectors from rng), pks from first_pk, in batches
// every 100 ms until *stop; the first error, or Ok once stopped, into *result.
Task<void> InsertAtRate(Client* client, int64_t rate, int64_t dim, Rng rng, int64_t first_pk,
                        const bool* stop, std::optional<Status>* result);

// The scenario every benchmark runs, but for its workload: `clients` client nodes, approximate
// searches (the checker does not hold HNSW to exact top-k), an hour's time limit, one fixed
// network (500 us a hop, jitter of mean 100 us), `query_nodes` (1 or 2) query nodes and segments
// of about `segment_rows` rows.
Scenario BenchScenario(std::string name, int clients, int query_nodes, int64_t segment_rows,
                       int64_t dim);

// Runs the scenario once with the spec's seed (and planted search cost), in the simulator or, with
// spec.real, on real backends (found or started on loopback, stopped after), timing the host; a
// failed run or an unreachable backend is reported (seed, invariant, detail) and gives nullopt.
// Fills result.host_ms, events and sim_time (wall time in real mode).
std::optional<RunReport> RunBench(const Scenario& scenario, const BenchSpec& spec,
                                  BenchResult& result);

// Ends InsertAtRate: sets *stop and waits (polling every 100 ms on client) for its result.
Task<Status> StopInserts(Client& client, bool* stop, const std::optional<Status>* result);

// "sim/<bench>/rows:N/dim:D/.../seed:S" from the spec's sizes that the bench uses.
std::string BenchName(const std::string& bench, const BenchSpec& spec,
                      const std::vector<std::string>& sizes);

// A real-mode run's figures are not deterministic: "det_sim_X" becomes "wall_X" (the same measure
// on the wall clock), any other "det_X" becomes "X", so the gate never holds them exactly; the
// name's "sim/" becomes "real/" and the context says backend=real.
void ToWallClockFigures(BenchResult& result);

// Google Benchmark's JSON (one "iteration" entry). No date or host in the context, so the file is
// a pure function of (seed, code) but for real_time / cpu_time.
std::string ToGoogleBenchmarkJson(const BenchResult& r);

// The figures as a table, then host time, events/s and the sim-time / wall-time ratio.
std::string FormatTable(const BenchResult& r);

}  // namespace simvus::scenarios::bench
