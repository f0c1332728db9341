// bench_runtime: the cost of the deterministic runtime itself — scheduler events, simulated
// network messages, and whole scenario runs — so that the simulator stays cheap next to the work
// of the roles. Counters report deterministic figures (events, sim time) beside host time.
#include <benchmark/benchmark.h>

#include "scenarios/runner.h"
#include "scenarios/workload_helpers.h"
#include "sim/scheduler.h"
#include "sim/world.h"

namespace simvus {
namespace {

void BM_Scheduler_EventsSameTime(benchmark::State& state) {
  sim::Scheduler scheduler(Instant{0});
  int64_t ran = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) scheduler.After(Duration::Zero(), [&ran] { ++ran; });
    while (scheduler.RunOne()) {
    }
  }
  state.SetItemsProcessed(ran);
}
BENCHMARK(BM_Scheduler_EventsSameTime);

void BM_Scheduler_EventsSpreadOverTime(benchmark::State& state) {
  sim::Scheduler scheduler(Instant{0});
  Rng rng(1);
  int64_t ran = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      scheduler.After(Duration::Micros(rng.UniformInt(0, 100000)), [&ran] { ++ran; });
    }
    while (scheduler.RunOne()) {
    }
  }
  state.SetItemsProcessed(ran);
}
BENCHMARK(BM_Scheduler_EventsSpreadOverTime);

void BM_Network_Transmit(benchmark::State& state) {
  sim::WorldOptions options;
  options.link.latency_jitter_mean = Duration::Micros(300);
  sim::SimWorld world(options);
  const sim::NodeId a = world.AddNode("a", nullptr);
  const sim::NodeId b = world.AddNode("b", nullptr);
  world.Start(a);
  world.Start(b);
  int64_t delivered = 0;
  for (auto _ : state) {
    for (int i = 0; i < 100; ++i) {
      world.network().Transmit(a, b, 256, "m", [&delivered] { ++delivered; });
    }
    while (world.scheduler().RunOne()) {
    }
  }
  state.SetItemsProcessed(delivered);
}
BENCHMARK(BM_Network_Transmit);

// A whole simulated cluster running a scenario, per run: host time per run, sim time and trace
// events as deterministic counters.
void BM_Scenario(benchmark::State& state, const char* name) {
  const scenarios::Scenario* scenario = scenarios::FindScenario(name);
  uint64_t seed = 1;
  double events = 0, sim_ms = 0;
  for (auto _ : state) {
    scenarios::RunOptions options;
    options.seed = seed++;
    scenarios::RunReport report = scenarios::RunScenario(*scenario, options);
    if (!report.pass) state.SkipWithError(("scenario failed: " + report.invariant).c_str());
    events += static_cast<double>(report.events);
    sim_ms += static_cast<double>(report.sim_time.ns) / 1e6;
  }
  const double runs = static_cast<double>(state.iterations());
  state.counters["events_per_run"] = events / runs;
  state.counters["sim_ms_per_run"] = sim_ms / runs;
  state.counters["runs_per_s"] = benchmark::Counter(runs, benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Scenario, timeline, "timeline")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Scenario, rootcoord_failover, "rootcoord-failover")
    ->Unit(benchmark::kMillisecond);

// Rows through flush: `rows` rows of dimension 128 inserted in batches of 1000 by one client, then
// Flush until GetFlushState says they are in the object store (binlogs, statslogs), with the
// default segment size (one segment per shard). Counters: rows per second of sim time (from the
// first insert to the flush being confirmed; deterministic) and of host time (kIsRate: the whole
// simulated run, cluster start-up included).
void BM_FlushThroughput(benchmark::State& state) {
  const int64_t rows = state.range(0);
  constexpr int32_t kDim = 128;
  constexpr int64_t kBatch = 1000;
  double sim_s = 0;
  scenarios::Scenario scenario;
  scenario.name = "flush-throughput";
  scenario.setup = scenarios::RandomLatency;
  scenario.time_limit = Duration::Seconds(3600);
  scenario.workload = [rows, &sim_s](scenarios::Client& client,
                                     scenarios::ScenarioContext& ctx) -> Task<Status> {
    Result<proto::CollectionInfo> created =
        co_await client.CreateCollection(scenarios::PkVectorSchema("throughput", kDim, 2));
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("throughput"));
    Rng rng = ctx.world->ForkRng("bench/flush-throughput");
    const Duration start = ctx.world->scheduler().elapsed();
    for (int64_t first = 0; first < rows; first += kBatch) {
      std::vector<int64_t> pks;
      std::vector<std::vector<float>> vectors;
      for (int64_t pk = first; pk < std::min(rows, first + kBatch); ++pk) {
        pks.push_back(pk);
        std::vector<float> v(kDim);
        for (float& x : v) x = static_cast<float>(rng.UniformUnit());
        vectors.push_back(std::move(v));
      }
      Result<proto::MutationResult> inserted =
          co_await client.Insert("batch", "throughput", std::move(pks), std::move(vectors));
      if (!inserted.ok()) co_return inserted.status();
    }
    Result<proto::FlushResponse> flushed = co_await client.Flush("flush", "throughput");
    if (!flushed.ok()) co_return flushed.status();
    sim_s = static_cast<double>((ctx.world->scheduler().elapsed() - start).ns) / 1e9;
    co_return Status::Ok();
  };
  double sim_total = 0;
  for (auto _ : state) {
    scenarios::RunOptions options;
    options.seed = 1;
    scenarios::RunReport report = scenarios::RunScenario(scenario, options);
    if (!report.pass)
      state.SkipWithError(("run failed: " + report.invariant + " " + report.detail).c_str());
    sim_total += sim_s;
  }
  const double runs = static_cast<double>(state.iterations());
  state.counters["sim_s_insert_to_flushed"] = sim_total / runs;
  state.counters["rows_per_sim_s"] = static_cast<double>(rows) * runs / sim_total;
  state.counters["rows_per_host_s"] =
      benchmark::Counter(static_cast<double>(rows) * runs, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FlushThroughput)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace simvus

BENCHMARK_MAIN();
