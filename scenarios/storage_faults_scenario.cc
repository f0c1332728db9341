#include "scenarios/storage_faults_scenario.h"

#include "scenarios/retrying_steps.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "storage_faults";
constexpr int kRounds = 12;

Task<Status> StorageFaultsWorkload(Client& client, ScenarioContext& ctx) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 2);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  Status loaded = co_await client.LoadCollection(kCollection);
  if (!loaded.ok()) co_return loaded;

  // The nemesis: a fault plan drawn from the seed, applied from now on.
  Rng rng = ctx.world->ForkRng("scenario/storage-faults/plan");
  const std::vector<sim::StorageFaultEvent> plan = sim::SimStorage::DrawPlan(
      rng, Duration::Seconds(20), 4, Duration::Seconds(3), /*allow_data_loss=*/false);
  for (const sim::StorageFaultEvent& e : plan) {
    ctx.say("nemesis plan: " + std::string(sim::StorageFaultName(e.fault)) + " at +" +
            ToString(e.start) + " for " + ToString(e.length));
  }
  ctx.storage->Apply(plan);

  RetryingSteps steps{client, ctx, kCollection};
  for (int round = 1; round <= kRounds; ++round) {
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await steps.Insert("insert " + std::to_string(round), round, round));
    if (round % 3 == 0) {
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await steps.Delete("delete " + std::to_string(round - 2), round - 2));
    }
    if (round % 2 == 0) {
      SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("Q" + std::to_string(round / 2)));
    }
    co_await client.env().clock->Sleep(Duration::Seconds(1));
  }
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("final read"));
  co_return Status::Ok();
}

}  // namespace

Scenario StorageFaultsScenario() {
  Scenario s;
  s.name = "storage-faults";
  s.description =
      "writes, deletes and Strong reads while Kafka, S3 and etcd fail per a seeded plan; every "
      "read checked, no acknowledged write lost";
  s.setup = RandomLatency;
  s.workload = StorageFaultsWorkload;
  s.time_limit = Duration::Seconds(300);
  return s;
}

}  // namespace simvus::scenarios
