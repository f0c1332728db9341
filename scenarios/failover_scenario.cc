#include "scenarios/failover_scenario.h"

#include "scenarios/retrying_steps.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "failover";
constexpr char kReadDuringPause[] = "Q1 during the pause";

Task<Status> Prepare(Client& client) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 2);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  co_return co_await client.LoadCollection(kCollection);
}

Task<Status> RootCoordFailover(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client));
  RetryingSteps steps{client, ctx, kCollection};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 1", 1, 0));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 2", 2, 1));
  const sim::NodeId root = ctx.world->Lookup(ctx.config.root_coord);
  ctx.say("nemesis: crash " + ctx.config.root_coord + ", restart it 1 s later");
  ctx.world->Crash(root);
  ctx.world->scheduler().After(Duration::Seconds(1),
                               [world = ctx.world, root] { world->Start(root); });
  // Strong reads need a TSO timestamp: they fail while the root coordinator is down, and the
  // client retries until it is back.
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q1 across the restart"));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 3", 3, 2));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Delete("delete 1", 1));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q2 after restart"));
  co_return Status::Ok();
}

Task<Status> QueryNodePause(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client));
  RetryingSteps steps{client, ctx, kCollection};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 1", 1, 0));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 2", 2, 1));
  const sim::NodeId qn = ctx.world->Lookup(ctx.config.query_nodes.front());
  ctx.say("nemesis: pause " + ctx.config.query_nodes.front() + " for " +
          ToString(kQueryNodePauseDuration));
  // The read is invoked at the instant the pause begins (nothing is awaited in between), so
  // CheckReadWaitedForPause can measure the wait from the read's own invoke time.
  ctx.world->Pause(qn);
  ctx.world->scheduler().After(kQueryNodePauseDuration,
                               [world = ctx.world, qn] { world->Resume(qn); });
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch(kReadDuringPause));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Delete("delete 2", 2));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q2 after resume"));
  co_return Status::Ok();
}

}  // namespace

reports::CheckResult CheckReadWaitedForPause(const reports::History& history) {
  reports::CheckResult result;
  const reports::Operation* first_attempt = nullptr;
  const reports::Operation* answered = nullptr;
  for (const reports::Operation& op : history.ops()) {
    if (op.type != reports::OpType::kSearch || op.label != kReadDuringPause) continue;
    if (first_attempt == nullptr) first_attempt = &op;
    if (op.outcome == reports::Outcome::kOk) answered = &op;
  }
  if (answered == nullptr) {
    result.ok = false;
    result.invariant = "read-waited-for-pause";
    result.detail = std::string("no successful '") + kReadDuringPause + "' in the history";
    return result;
  }
  const Duration resumed_at = first_attempt->invoke_at + kQueryNodePauseDuration;
  if (answered->complete_at < resumed_at) {
    result.ok = false;
    result.invariant = "read-waited-for-pause";
    result.detail = std::string("'") + kReadDuringPause + "' (op #" +
                    std::to_string(answered->index) + ") answered at " +
                    ToString(answered->complete_at) + ", before the query node resumed at " +
                    ToString(resumed_at) + ": the pause did not hold the read";
  }
  return result;
}

Scenario RootCoordFailoverScenario() {
  Scenario s;
  s.name = "rootcoord-failover";
  s.description =
      "rootcoord (TSO, time ticks) crashes mid-run and restarts: TSO stays monotone, reads stay "
      "exact";
  s.setup = RandomLatency;
  s.workload = RootCoordFailover;
  return s;
}

Scenario QueryNodePauseScenario() {
  Scenario s;
  s.name = "querynode-pause";
  s.description = "the query node freezes for 2 s: a Strong read waits, then answers exactly";
  s.setup = RandomLatency;
  s.workload = QueryNodePause;
  s.check = CheckReadWaitedForPause;
  return s;
}

}  // namespace simvus::scenarios
