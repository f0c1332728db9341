// bench_runtime: the cost of the deterministic runtime itself — scheduler events, simulated
// network messages, and whole scenario runs — so that the simulator stays cheap next to the work
// of the roles. Counters report deterministic figures (events, sim time) beside host time.
#include <benchmark/benchmark.h>

#include "scenarios/runner.h"
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

}  // namespace
}  // namespace simvus

BENCHMARK_MAIN();
