// `simvus bench freshness`: insert -> visible latency under a write load. A background client
// inserts at a fixed rate (segments seal, flush, index and are handed off meanwhile); a probe
// client inserts one row and counts `pk == P` at one consistency level every 10 ms until the row
// is there. Freshness is sim time from the insert's call to the first read that sees it,
// including the insert's own latency. Per level (Strong, Bounded, Eventually): p50, p99 and max
// over the probes, and the reads a probe took.
//
// What to expect from the model: Strong waits for tSafe to pass the read's guarantee ts, so its
// first read sees the row, once the next time tick (every 200 ms) has come; Bounded and
// Eventually do not wait, and read at the shard's tSafe, so they see the row once the next time
// tick lifts tSafe past it —
// Bounded's graceful time (5 s) bounds how stale a read may be, not how soon a row appears.
#include <algorithm>
#include <optional>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr int64_t kLoadFirstPk = 1'000'000'000;
constexpr int64_t kProbeFirstPk = 2'000'000'000;
constexpr Duration kPoll = Duration::Millis(10);
constexpr Duration kGiveUp = Duration::Seconds(60);

struct Level {
  proto::ConsistencyLevel level;
  const char* name;
};
constexpr Level kLevels[] = {
    {proto::STRONG, "strong"}, {proto::BOUNDED, "bounded"}, {proto::EVENTUALLY, "eventually"}};

// One probe: insert pk, then count `pk == pk` at level until 1. Returns the sim time it took and
// the reads it needed.
struct Probe {
  Duration freshness;
  int64_t reads = 0;
};
Task<Result<Probe>> ProbeOnce(Client& client, int64_t pk, std::vector<float> vector,
                              proto::ConsistencyLevel level) {
  const Instant start = client.env().clock->Now();
  std::vector<int64_t> pks = {pk};
  std::vector<std::vector<float>> vectors = {std::move(vector)};
  Result<proto::MutationResult> inserted =
      co_await client.Insert("probe insert", kCollection, std::move(pks), std::move(vectors));
  if (!inserted.ok()) co_return inserted.status();
  Probe probe;
  const std::string filter = "pk == " + std::to_string(pk);
  for (;;) {
    ++probe.reads;
    Result<proto::QueryResults> counted =
        co_await client.Query("probe count", kCollection, filter, level, /*count_only=*/true);
    const Instant now = client.env().clock->Now();
    if (counted.ok() && counted->count() == 1) {
      probe.freshness = now - start;
      co_return probe;
    }
    if (now - start > kGiveUp) {
      co_return DeadlineExceeded("probe pk " + std::to_string(pk) + " not visible after " +
                                 ToString(kGiveUp));
    }
    co_await client.env().clock->Sleep(kPoll);
  }
}

}  // namespace

std::optional<BenchResult> RunFreshness(const BenchSpec& spec) {
  const Rng seed_rng(static_cast<uint64_t>(spec.seed));
  const std::vector<std::vector<float>> base =
      UniformVectors(seed_rng.Fork("bench-data"), spec.rows, spec.dim);
  // Per level, the probes' freshness (ms) and reads, in probe order.
  std::vector<std::vector<double>> freshness(std::size(kLevels));
  std::vector<int64_t> reads(std::size(kLevels), 0);
  Scenario scenario =
      BenchScenario("bench-freshness", 2, 1, std::max<int64_t>(spec.rows, spec.rate * 4), spec.dim);
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    SIMVUS_CO_RETURN_IF_ERROR(co_await CreateIndexedCollection(client, spec.dim));
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection(kCollection));
    SIMVUS_CO_RETURN_IF_ERROR(co_await InsertAll(client, &base));
    bool stop = false;
    std::optional<Status> load_result;
    Client* loader = ctx.clients[1];
    loader->env().Spawn(InsertAtRate(loader, spec.rate, spec.dim,
                                     ctx.ForkRng("bench/freshness/load"), kLoadFirstPk, &stop,
                                     &load_result));
    Rng rng = ctx.ForkRng("bench/freshness/probes");
    int64_t pk = kProbeFirstPk;
    Status outcome = Status::Ok();
    for (size_t l = 0; l < std::size(kLevels) && outcome.ok(); ++l) {
      for (int64_t i = 0; i < spec.queries && outcome.ok(); ++i) {
        // A random pause, so that probes fall at every phase of the time-tick interval.
        const Duration pause = Duration::Millis(rng.UniformInt(50, 250));
        co_await client.env().clock->Sleep(pause);
        std::vector<float> vector =
            UniformVectors(rng.Fork("vector-" + std::to_string(pk)), 1, spec.dim).front();
        Result<Probe> probe = co_await ProbeOnce(client, pk++, std::move(vector), kLevels[l].level);
        if (!probe.ok()) {
          outcome = probe.status();
          break;
        }
        freshness[l].push_back(Ms(probe->freshness));
        reads[l] += probe->reads;
      }
    }
    Status load = co_await StopInserts(client, &stop, &load_result);
    if (!outcome.ok()) co_return outcome;
    co_return load;
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  result.name = BenchName("freshness", spec, {"rows", "dim", "rate", "probes"});
  for (size_t l = 0; l < std::size(kLevels); ++l) {
    std::vector<double> sorted = freshness[l];
    std::sort(sorted.begin(), sorted.end());
    const std::string level = kLevels[l].name;
    result.figures.emplace_back("det_" + level + "_p50_ms", Quantile(sorted, 0.5));
    result.figures.emplace_back("det_" + level + "_p99_ms", Quantile(sorted, 0.99));
    result.figures.emplace_back("det_" + level + "_max_ms", sorted.empty() ? 0 : sorted.back());
    result.figures.emplace_back(
        "det_" + level + "_reads_per_probe",
        sorted.empty() ? 0 : static_cast<double>(reads[l]) / static_cast<double>(sorted.size()));
  }
  result.figures.emplace_back("trace_events", static_cast<double>(report->events));
  return result;
}

}  // namespace simvus::scenarios::bench
