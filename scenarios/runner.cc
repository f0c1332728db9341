#include "scenarios/runner.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "components/env/check.h"
#include "reports/metric_sampler.h"
#include "scenarios/lifecycle_probe.h"
#include "scenarios/role_factories.h"
#include "sim/storage/sim_storage.h"

namespace simvus::scenarios {

std::string ReproCommand(const std::string& scenario, uint64_t seed,
                         roles::ClusterConfig::InjectedBug bug) {
  std::string command = "simvus run " + scenario + " --seed " + std::to_string(seed);
  if (bug != roles::ClusterConfig::InjectedBug::kNone) {
    command += " --inject-bug " + InjectedBugName(bug);
  }
  return command;
}

std::optional<roles::ClusterConfig::InjectedBug> ParseInjectedBug(const std::string& name) {
  using Bug = roles::ClusterConfig::InjectedBug;
  if (name == "stale-read") return Bug::kStaleRead;
  if (name == "ignore-deletes") return Bug::kIgnoreDeletes;
  if (name == "reduce-keeps-duplicates") return Bug::kReduceKeepsDuplicates;
  if (name == "tick-ignores-inflight") return Bug::kTickIgnoresInFlight;
  if (name == "tso-ignores-window") return Bug::kTsoIgnoresWindow;
  if (name == "delete-hides-same-ts") return Bug::kDeleteHidesSameTs;
  if (name == "visibility-off-by-one") return Bug::kVisibilityOffByOne;
  if (name == "checkpoint-skips-buffer") return Bug::kCheckpointSkipsBuffer;
  if (name == "replay-reapplies-deletes") return Bug::kReplayReappliesDeletes;
  if (name == "sealed-to-flushed") return Bug::kSealedToFlushed;
  if (name == "stale-index-result") return Bug::kStaleIndexResult;
  if (name == "l0-ignores-checkpoint") return Bug::kL0IgnoresCheckpoint;
  if (name == "gc-by-log-id") return Bug::kGcByLogId;
  if (name == "checkpoint-unguarded") return Bug::kCheckpointUnguarded;
  if (name == "skip-delete-forwarding") return Bug::kSkipDeleteForwarding;
  if (name == "serve-growing-and-sealed") return Bug::kServeGrowingAndSealed;
  if (name == "ignore-session-ts") return Bug::kIgnoreSessionTs;
  if (name == "one-way-split-blocks-both") return Bug::kOneWaySplitBlocksBoth;
  if (name == "batch-answers-query-0") return Bug::kBatchAnswersQuery0;
  return std::nullopt;
}

std::string InjectedBugName(roles::ClusterConfig::InjectedBug bug) {
  using Bug = roles::ClusterConfig::InjectedBug;
  switch (bug) {
    case Bug::kStaleRead:
      return "stale-read";
    case Bug::kIgnoreDeletes:
      return "ignore-deletes";
    case Bug::kReduceKeepsDuplicates:
      return "reduce-keeps-duplicates";
    case Bug::kTickIgnoresInFlight:
      return "tick-ignores-inflight";
    case Bug::kTsoIgnoresWindow:
      return "tso-ignores-window";
    case Bug::kDeleteHidesSameTs:
      return "delete-hides-same-ts";
    case Bug::kVisibilityOffByOne:
      return "visibility-off-by-one";
    case Bug::kCheckpointSkipsBuffer:
      return "checkpoint-skips-buffer";
    case Bug::kReplayReappliesDeletes:
      return "replay-reapplies-deletes";
    case Bug::kSealedToFlushed:
      return "sealed-to-flushed";
    case Bug::kStaleIndexResult:
      return "stale-index-result";
    case Bug::kL0IgnoresCheckpoint:
      return "l0-ignores-checkpoint";
    case Bug::kGcByLogId:
      return "gc-by-log-id";
    case Bug::kCheckpointUnguarded:
      return "checkpoint-unguarded";
    case Bug::kSkipDeleteForwarding:
      return "skip-delete-forwarding";
    case Bug::kServeGrowingAndSealed:
      return "serve-growing-and-sealed";
    case Bug::kIgnoreSessionTs:
      return "ignore-session-ts";
    case Bug::kOneWaySplitBlocksBoth:
      return "one-way-split-blocks-both";
    case Bug::kBatchAnswersQuery0:
      return "batch-answers-query-0";
    case Bug::kNone:
      break;
  }
  return "none";
}

std::string InjectedBugNames() {
  using Bug = roles::ClusterConfig::InjectedBug;
  std::string names;
  for (Bug bug :
       {Bug::kStaleRead, Bug::kIgnoreDeletes, Bug::kReduceKeepsDuplicates,
        Bug::kTickIgnoresInFlight, Bug::kTsoIgnoresWindow, Bug::kDeleteHidesSameTs,
        Bug::kVisibilityOffByOne, Bug::kCheckpointSkipsBuffer, Bug::kReplayReappliesDeletes,
        Bug::kSealedToFlushed, Bug::kStaleIndexResult, Bug::kL0IgnoresCheckpoint, Bug::kGcByLogId,
        Bug::kCheckpointUnguarded, Bug::kSkipDeleteForwarding, Bug::kServeGrowingAndSealed,
        Bug::kIgnoreSessionTs, Bug::kOneWaySplitBlocksBoth, Bug::kBatchAnswersQuery0}) {
    names += (names.empty() ? "" : ", ") + InjectedBugName(bug);
  }
  return names;
}

void JudgeRun(const Scenario& scenario, const std::optional<Status>& outcome,
              const std::optional<reports::CheckResult>& audited, Duration proxy_clock_error,
              RunReport& report) {
  auto judge = [&report](std::string name, std::string result, std::string invariant = "",
                         std::string detail = "") {
    report.judges.push_back({std::move(name), std::move(result), std::move(invariant),
                             std::move(detail), reports::JudgeCovers(report.judges.size())});
  };
  auto fail = [&](std::string name, std::string invariant, std::string detail) {
    judge(std::move(name), "fail", invariant, detail);
    report.pass = false;
    report.invariant = std::move(invariant);
    report.detail = std::move(detail);
    while (report.judges.size() < 4) judge(reports::JudgeName(report.judges.size()), "skipped");
  };
  if (!outcome) {
    fail("liveness", "liveness",
         "the workload did not finish within " + ToString(scenario.time_limit) +
             " of sim (or, in real mode, wall) time");
    return;
  }
  if (!outcome->ok()) {
    fail("liveness", "workload-error", outcome->ToString());
    return;
  }
  judge("liveness", "pass");
  reports::CheckerConfig checker;
  checker.approximate_search = scenario.approximate_search;
  // Bounded reads are promised freshness relative to the proxy's clock: a skewed or jumped proxy
  // clock stretches the bound by its error.
  checker.bounded_staleness = checker.bounded_staleness + proxy_clock_error;
  reports::CheckResult checked = reports::CheckHistory(report.history, checker);
  report.checked_reads = checked.checked_reads;
  if (!checked.ok) return fail("consistency-checker", checked.invariant, checked.detail);
  judge("consistency-checker", "pass");
  if (scenario.check) {
    const reports::CheckResult own = scenario.check(report.history);
    if (!own.ok) return fail("scenario-check", own.invariant, own.detail);
    judge("scenario-check", "pass");
  } else {
    judge("scenario-check", "skipped", "", "this scenario has no check of its own");
  }
  if (scenario.audit) {
    if (!audited)
      return fail("storage-audit", "liveness", "the storage audit did not finish within 60 s");
    if (!audited->ok) return fail("storage-audit", audited->invariant, audited->detail);
    judge("storage-audit", "pass");
  } else {
    judge("storage-audit", "skipped", "", "this scenario does not audit storage");
  }
  report.pass = true;
  report.invariant.clear();
  report.detail.clear();
}

RunReport RunScenario(const Scenario& scenario, const RunOptions& options) {
  RunReport report;
  report.seed = options.seed;

  sim::WorldOptions world_options;
  world_options.seed = options.seed;
  roles::ClusterConfig config;
  Rng setup_rng = Rng(options.seed).Fork("scenario/" + scenario.name);
  if (scenario.setup) scenario.setup(world_options, config, setup_rng);
  if (options.configure) options.configure(config);
  config.injected_bug = options.injected_bug;

  std::optional<reports::MetricSampler> sampler;  // before the world: its sink outlives it
  sim::SimWorld world(world_options);
  world.trace().set_keep_events(options.keep_events);
  if (options.on_event) world.trace().AddSink(options.on_event);
  // Metrics sampled at every step event and at most every 5 ms of sim time otherwise: the
  // report's charts and its step-through's state panel.
  if (options.sample_metrics) {
    sampler.emplace(world.registry());
    world.trace().AddSink([&sampler,
                           last = Duration::Nanos(-1)](const sim::RecordedEvent& e) mutable {
      if (e.event.level != TraceLevel::kStep && last.ns >= 0 && e.at - last < Duration::Millis(5)) {
        return;
      }
      last = e.at;
      sampler->Sample(e.at);
    });
  }
  SetCheckContext([&world, &scenario, seed = options.seed, bug = options.injected_bug] {
    return "seed=" + std::to_string(seed) + " sim_time=" + ToString(world.scheduler().elapsed()) +
           " repro: " + ReproCommand(scenario.name, seed, bug);
  });

  // Storage hosts first (kafka, s3, etcd): their state outlives any node crash.
  std::unique_ptr<sim::SimStorage> storage = sim::SimStorage::Install(world, {});
  world.network().set_one_way_split_blocks_both(
      options.injected_bug == roles::ClusterConfig::InjectedBug::kOneWaySplitBlocksBoth);
  faults::Nemesis nemesis(world, storage.get(), world.ForkRng("nemesis"));
  nemesis.set_lifecycle_probe([&storage] { return LifecycleStates(*storage); });

  std::vector<sim::NodeId> roles;
  for (const RoleSpec& role : ClusterRoles(config)) {
    roles.push_back(world.AddNode(role.name, role.factory));
  }
  SIMVUS_CHECK(scenario.clients >= 1 && scenario.clients <= 8, "a scenario has 1..8 clients");
  std::vector<sim::NodeId> client_nodes;
  for (int c = 1; c <= scenario.clients; ++c) {
    client_nodes.push_back(world.AddNode("client-" + std::to_string(c), nullptr));
  }
  for (sim::NodeId id : roles) {
    const std::string& name = world.NodeName(id);
    const bool later = std::find(scenario.started_later.begin(), scenario.started_later.end(),
                                 name) != scenario.started_later.end();
    if (!later) world.Start(id);
  }
  for (sim::NodeId id : client_nodes) world.Start(id);

  ScenarioContext context;
  context.world = &world;
  context.storage = storage.get();
  context.nemesis = &nemesis;
  context.seed = options.seed;
  context.config = config;
  context.history = &report.history;
  context.say = [&](const std::string& line) {
    if (options.on_say) options.on_say(world.scheduler().elapsed(), line);
  };

  std::vector<std::unique_ptr<Client>> clients;
  for (size_t c = 0; c < client_nodes.size(); ++c) {
    // Client i talks to proxy i mod n: several proxies see concurrent traffic.
    const std::string& proxy = config.proxies[c % config.proxies.size()];
    clients.push_back(std::make_unique<Client>(*world.EnvOf(client_nodes[c]), report.history, proxy,
                                               config.rpc_deadline));
    context.clients.push_back(clients.back().get());
  }
  Env* client_env = world.EnvOf(client_nodes.front());
  // The storage services' faults stand for servers going down (see scenario.h).
  context.backend_outage = [storage = storage.get(), clock = client_env->clock](
                               std::string server, Duration outage) -> Task<Status> {
    sim::StorageFault fault = sim::StorageFault::kLogBrokerDown;
    if (server == "etcd") {
      fault = sim::StorageFault::kMetaLeaderLoss;
    } else if (server == "s3") {
      fault = sim::StorageFault::kObjectStoreOutage;
    } else if (server != "kafka") {
      co_return InvalidArgument("no outage for '" + server + "' (kafka, etcd, s3)");
    }
    std::vector<sim::StorageFaultEvent> plan(1);
    plan[0].fault = fault;
    plan[0].length = outage;
    storage->Apply(plan);
    co_await clock->Sleep(outage);  // returns when it is over, as in real mode
    co_return Status::Ok();
  };
  context.crash_node = [&world](std::string node) -> Task<Status> {
    const sim::NodeId id = world.Lookup(node);
    if (id < 0) co_return NotFound("crash: no node '" + node + "'");
    if (world.EnvOf(id) == nullptr) co_return NotFound("crash: '" + node + "' is not running");
    world.Crash(id);
    co_return Status::Ok();
  };
  context.start_node = [&world](std::string node) -> Task<Status> {
    const sim::NodeId id = world.Lookup(node);
    if (id < 0) co_return NotFound("start: no node '" + node + "'");
    if (world.EnvOf(id) != nullptr) co_return FailedPrecondition("start: '" + node + "' runs");
    world.Start(id);
    co_return Status::Ok();
  };
  Client& client = *clients.front();
  std::optional<Status> outcome;
  client_env->Spawn([](const Scenario* s, Client* c, ScenarioContext* ctx, Clock* clock,
                       std::optional<Status>* out) -> Task<void> {
    // Let the cluster come up (TSO initialized, sessions registered) before the first request.
    co_await clock->Sleep(s->warmup);
    Status status = co_await s->workload(*c, *ctx);
    out->emplace(std::move(status));
  }(&scenario, &client, &context, client_env->clock, &outcome));

  const Instant deadline = world.scheduler().epoch() + scenario.time_limit;
  world.scheduler().RunUntilDone([&] { return outcome.has_value(); }, deadline);
  // The storage audit runs in the same world, after the workload, with its own minute.
  std::optional<reports::CheckResult> audited;
  if (outcome && outcome->ok() && scenario.audit) {
    client_env->Spawn([](const Scenario* s, ScenarioContext* ctx,
                         std::optional<reports::CheckResult>* out) -> Task<void> {
      reports::CheckResult result = co_await s->audit(*ctx);
      out->emplace(std::move(result));
    }(&scenario, &context, &audited));
    world.scheduler().RunUntilDone(
        [&] { return audited.has_value(); },
        world.scheduler().epoch() + world.scheduler().elapsed() + Duration::Seconds(60));
  }

  report.events = world.trace().count();
  report.sim_time = world.scheduler().elapsed();
  report.epoch = world.scheduler().epoch();
  report.trace_hash = world.trace().hash();
  if (options.keep_events) report.trace = world.trace().events();
  if (sampler) {
    sampler->Sample(report.sim_time);
    report.metrics = sampler->Take();
  }
  SetCheckContext(nullptr);
  world.Shutdown();  // before the storage services that the nodes' ports point to
  report.coverage = nemesis.coverage();
  report.fired_points = nemesis.fired_points();

  // The fault layer is checked first: when the network did not do what the faults asked, every
  // other verdict of the run is suspect.
  if (!nemesis.violation().empty()) {
    report.invariant = "split-direction";
    report.detail = nemesis.violation();
    report.judges.push_back(
        {"fault-layer", "fail", report.invariant, report.detail, {"split-direction"}});
    return report;
  }

  JudgeRun(scenario, outcome, audited, nemesis.MaxClockError("proxy-"), report);
  return report;
}

}  // namespace simvus::scenarios
