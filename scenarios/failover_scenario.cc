#include "scenarios/failover_scenario.h"

#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "failover";

// Like an SDK's retry decorator: repeat while the cluster answers "unavailable" or times out.
// Every attempt is its own operation in the history (a timed-out insert stays "info").
template <typename T>
Task<Result<T>> WithRetry(std::function<Task<Result<T>>()> attempt, Clock& clock) {
  for (int i = 0;; ++i) {
    Result<T> r = co_await attempt();
    if (r.ok() || !IsRetryable(r.status().code()) || i == 20) co_return r;
    co_await clock.Sleep(Duration::Millis(200));
  }
}

struct Steps {
  Client& client;
  ScenarioContext& ctx;
  Clock& clock;

  // Inserts pk with the unit vector along `axis`.
  Task<Status> Insert(std::string label, int64_t pk, int axis) {
    const std::vector<int64_t> pks = {pk};
    std::vector<std::vector<float>> vectors(1, std::vector<float>(4, 0.0f));
    vectors[0][static_cast<size_t>(axis)] = 1.0f;
    std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
      return client.Insert(label, kCollection, pks, vectors);
    };
    Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), clock);
    if (!r.ok()) co_return r.status();
    ctx.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
    co_return Status::Ok();
  }

  Task<Status> Delete(std::string label, int64_t pk) {
    const std::vector<int64_t> pks = {pk};
    std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
      return client.Delete(label, kCollection, pks);
    };
    Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), clock);
    if (!r.ok()) co_return r.status();
    ctx.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
    co_return Status::Ok();
  }

  Task<Status> StrongSearch(std::string label) {
    const std::vector<float> query = {0.5f, 0.5f, 0.5f, 0.5f};
    std::function<Task<Result<proto::SearchResults>>()> attempt = [&] {
      return client.Search(label, kCollection, query, 10, proto::STRONG);
    };
    Result<proto::SearchResults> r = co_await WithRetry(std::move(attempt), clock);
    if (!r.ok()) co_return r.status();
    std::string pks;
    for (const proto::Hit& h : r->hits()) pks += (pks.empty() ? "" : ", ") + std::to_string(h.pk());
    ctx.say(label + " (Strong) -> sees {" + pks + "}");
    co_return Status::Ok();
  }
};

Task<Status> Prepare(Client& client) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 2);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  co_return co_await client.LoadCollection(kCollection);
}

Task<Status> RootCoordFailover(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client));
  Clock& clock = *ctx.world->EnvOf(ctx.world->Lookup("client-1"))->clock;
  Steps steps{client, ctx, clock};
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
  Clock& clock = *ctx.world->EnvOf(ctx.world->Lookup("client-1"))->clock;
  Steps steps{client, ctx, clock};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 1", 1, 0));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert 2", 2, 1));
  const sim::NodeId qn = ctx.world->Lookup(ctx.config.query_nodes.front());
  ctx.say("nemesis: pause " + ctx.config.query_nodes.front() + " for 2 s");
  ctx.world->Pause(qn);
  ctx.world->scheduler().After(Duration::Seconds(2),
                               [world = ctx.world, qn] { world->Resume(qn); });
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q1 during the pause"));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Delete("delete 2", 2));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q2 after resume"));
  co_return Status::Ok();
}

}  // namespace

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
  return s;
}

}  // namespace simvus::scenarios
