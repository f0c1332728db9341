#include "scenarios/real_runner.h"

#include <memory>
#include <optional>

#include "components/env/check.h"
#include "real/runtime/offload.h"
#include "reports/metric_sampler.h"
#include "scenarios/role_factories.h"

namespace simvus::scenarios {

roles::ClusterConfig RealRunConfig(const Scenario& scenario, const RealRunOptions& options) {
  sim::WorldOptions unused_world;  // network shape: the real network has its own
  roles::ClusterConfig config;
  Rng setup_rng = Rng(options.run.seed).Fork("scenario/" + scenario.name);
  if (scenario.setup) scenario.setup(unused_world, config, setup_rng);
  config.injected_bug = options.run.injected_bug;
  config.cluster_prefix = "simvus-" + options.run_id;
  config.object_store_root = "runs/" + options.run_id + "/files";
  return config;
}

RunReport RunScenarioReal(const Scenario& scenario, const RealRunOptions& options) {
  RunReport report;
  report.seed = options.run.seed;
  const roles::ClusterConfig config = RealRunConfig(scenario, options);

  real::RealRuntimeOptions runtime_options;
  runtime_options.seed = options.run.seed;
  runtime_options.remote = options.remote_roles;
  real::RealRuntime runtime(runtime_options, options.ports);
  if (options.run.on_event) {
    runtime.trace().AddSink([&options](uint64_t index, Duration at, const TraceEvent& event) {
      options.run.on_event(sim::RecordedEvent{index, at, event, 0});
    });
  }
  // A report: every event kept, and the metrics sampled at step events and at most every 5 ms
  // (wall time). Sinks run under the trace's one lock, so neither needs its own.
  std::optional<reports::MetricSampler> sampler;
  if (options.run.sample_metrics) sampler.emplace(runtime.registry());
  if (options.run.keep_events || sampler) {
    runtime.trace().AddSink([&report, &options, &sampler, last = Duration::Nanos(-1)](
                                uint64_t index, Duration at, const TraceEvent& event) mutable {
      if (options.run.keep_events) report.trace.push_back({index, at, event, 0});
      if (!sampler) return;
      if (event.level != TraceLevel::kStep && last.ns >= 0 && at - last < Duration::Millis(5)) {
        return;
      }
      last = at;
      sampler->Sample(at);
    });
  }
  SetCheckContext([&scenario, seed = options.run.seed] {
    return "backend=real seed=" + std::to_string(seed) + " scenario=" + scenario.name;
  });

  for (const RoleSpec& role : ClusterRoles(config)) {
    if (options.remote_roles != nullptr) break;  // they run in processes of their own
    if (std::find(scenario.started_later.begin(), scenario.started_later.end(), role.name) !=
        scenario.started_later.end()) {
      continue;
    }
    runtime.StartNode(role.name, role.factory);
  }
  SIMVUS_CHECK(scenario.clients >= 1 && scenario.clients <= 8, "a scenario has 1..8 clients");
  // The clients share client-1's strand: they record one History, one at a time.
  for (int c = 1; c <= scenario.clients; ++c) {
    runtime.StartNode("client-" + std::to_string(c), nullptr, c == 1 ? "" : "client-1");
  }

  ScenarioContext context;
  context.seed = options.run.seed;
  context.config = config;
  context.history = &report.history;
  context.say = [&options, &runtime](const std::string& line) {
    if (options.run.on_say) options.run.on_say(real::WallNow() - runtime.started(), line);
  };
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 1; c <= scenario.clients; ++c) {
    const std::string& proxy = config.proxies[static_cast<size_t>(c - 1) % config.proxies.size()];
    clients.push_back(std::make_unique<Client>(*runtime.EnvOf("client-" + std::to_string(c)),
                                               report.history, proxy, config.rpc_deadline));
    context.clients.push_back(clients.back().get());
  }

  // Outages block for seconds (kill, wait, restart): on their own threads, never a strand.
  real::ThreadPool outage_threads("outage", 2);
  if (options.outage) {
    ExecutorRef client_strand = runtime.EnvOf("client-1")->executor;
    context.backend_outage = [&options, &outage_threads, client_strand](
                                 std::string server, Duration outage) -> Task<Status> {
      std::function<Status()> call = [&options, server, outage] {
        return options.outage(server, outage);
      };
      Status status =
          co_await real::Offload<Status>(client_strand, outage_threads, std::move(call));
      co_return status;
    };
  }

  // Crashes and restarts block until the node is torn down or started: on those threads too.
  const std::vector<RoleSpec> roles = ClusterRoles(config);
  if (options.remote_roles == nullptr) {
    ExecutorRef client_strand = runtime.EnvOf("client-1")->executor;
    context.crash_node = [&runtime, &outage_threads,
                          client_strand](std::string node) -> Task<Status> {
      std::function<Status()> call = [&runtime, node] {
        if (runtime.EnvOf(node) == nullptr) return NotFound("crash: '" + node + "' is not running");
        runtime.StopNode(node);
        return Status::Ok();
      };
      Status status =
          co_await real::Offload<Status>(client_strand, outage_threads, std::move(call));
      co_return status;
    };
    context.start_node = [&runtime, &outage_threads, &roles,
                          client_strand](std::string node) -> Task<Status> {
      std::function<Status()> call = [&runtime, &roles, node] {
        if (runtime.EnvOf(node) != nullptr) return FailedPrecondition("start: '" + node + "' runs");
        for (const RoleSpec& role : roles) {
          if (role.name != node) continue;
          runtime.StartNode(role.name, role.factory);
          return Status::Ok();
        }
        return NotFound("start: no role '" + node + "'");
      };
      Status status =
          co_await real::Offload<Status>(client_strand, outage_threads, std::move(call));
      co_return status;
    };
  }

  std::optional<Status> outcome;
  Clock* clock = runtime.EnvOf("client-1")->clock;
  runtime.RunOn(
      "client-1",
      [](const Scenario* s, Client* c, ScenarioContext* ctx, Clock* clk,
         std::optional<Status>* out) -> Task<void> {
        co_await clk->Sleep(s->warmup);
        Status status = co_await s->workload(*c, *ctx);
        out->emplace(std::move(status));
      }(&scenario, clients.front().get(), &context, clock, &outcome),
      scenario.warmup + scenario.time_limit);
  std::optional<reports::CheckResult> audited;
  if (outcome && outcome->ok() && scenario.audit) {
    runtime.RunOn(
        "client-1",
        [](const Scenario* s, ScenarioContext* ctx,
           std::optional<reports::CheckResult>* out) -> Task<void> {
          reports::CheckResult result = co_await s->audit(*ctx);
          out->emplace(std::move(result));
        }(&scenario, &context, &audited),
        Duration::Seconds(60));
  }
  // A workload that timed out is still running: stop every node before reading what it wrote.
  runtime.StopAll();
  report.events = runtime.trace().count();
  report.sim_time = real::WallNow() - runtime.started();
  report.epoch = runtime.started();
  report.trace_hash = 0;  // not deterministic
  if (sampler) {
    sampler->Sample(report.sim_time);
    report.metrics = sampler->Take();
  }
  SetCheckContext(nullptr);
  JudgeRun(scenario, outcome, audited, Duration::Zero(), report);
  return report;
}

}  // namespace simvus::scenarios
