#include "scenarios/backend_outages_scenario.h"

#include <memory>

#include "scenarios/retrying_steps.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "backend_outages";
constexpr Duration kOutage = Duration::Seconds(2);

struct OutageState {
  bool over = false;
  Status status;
};

// Runs alongside the writes; `state` is shared so that an early end of the workload is safe.
Task<void> RunOutage(ScenarioContext* ctx, std::string server, std::shared_ptr<OutageState> state) {
  Status status = co_await ctx->backend_outage(server, kOutage);
  state->status = std::move(status);
  state->over = true;
}

Task<Status> BackendOutagesWorkload(Client& client, ScenarioContext& ctx) {
  if (!ctx.backend_outage) co_return FailedPrecondition("this run cannot make backend outages");
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 2);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  Status loaded = co_await client.LoadCollection(kCollection);
  if (!loaded.ok()) co_return loaded;

  RetryingSteps steps{client, ctx, kCollection};
  int64_t pk = 0;
  for (const char* server : {"kafka", "etcd", "s3"}) {
    auto state = std::make_shared<OutageState>();
    ctx.say(std::string(server) + " goes down for " + ToString(kOutage) +
            "; writes and Strong reads go on (SDK-style retries)");
    client.env().Spawn(RunOutage(&ctx, server, state));
    // Writes during the outage and three more once it is over.
    for (int after = 0; after < 3;) {
      ++pk;
      SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Insert("insert " + std::to_string(pk), pk, pk));
      if (pk % 3 == 0) {
        SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q" + std::to_string(pk / 3)));
      }
      co_await client.env().clock->Sleep(Duration::Millis(300));
      if (state->over) ++after;
    }
    if (!state->status.ok()) co_return state->status;
    ctx.say(std::string(server) + " is back");
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await steps.Flush(std::string("flush after the ") + server + " outage"));
  }
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Count("count(*) after the outages", proto::STRONG));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("final read"));
  co_return Status::Ok();
}

}  // namespace

Scenario BackendOutagesScenario() {
  Scenario s;
  s.name = "backend-outages";
  s.description =
      "a Kafka broker, etcd and S3 each down for 2 s in turn (real mode: crashed and restarted) "
      "while writes and Strong reads go on; then flush and count(*): no acknowledged write lost";
  s.setup = RandomLatency;
  s.workload = BackendOutagesWorkload;
  s.real_backends = true;
  s.time_limit = Duration::Seconds(300);
  return s;
}

}  // namespace simvus::scenarios
