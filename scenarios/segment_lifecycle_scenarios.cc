#include "scenarios/segment_lifecycle_scenarios.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "components/roles/data_coord.h"
#include "scenarios/retrying_steps.h"
#include "scenarios/storage_audit.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "lifecycle";
constexpr int32_t kDim = 4;
constexpr int kRowsPerBatch = 6;

// Small segments and delete buffers so that a short run seals, flushes and spills to L0 often:
// 16 KiB * 0.12 / 40 bytes per row (pk, 4-dim vector, system columns) = 49 rows per segment,
// and an L0 sync every 8 deletes.
void SmallSegments(sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
  RandomLatency(world, config, rng);
  config.segment_max_size_bytes = 16 << 10;
  config.delete_buffer_bytes = 8 * 16;
}

// One writer: `rounds` rounds of a 6-row insert, then (by round) a delete of two earlier rows,
// an upsert of two, a Strong search; seeded pauses between rounds.
Task<Status> Writer(Client& client, ScenarioContext& ctx, int id, int rounds,
                    std::optional<int> flush_after_round, int flush_every) {
  RetryingSteps steps{client, ctx, kCollection, kDim};
  Rng rng = ctx.ForkRng("scenario/lifecycle/writer-" + std::to_string(id));
  const std::string who = "client-" + std::to_string(id) + " ";
  for (int round = 1; round <= rounds; ++round) {
    std::vector<int64_t> pks;
    for (int i = 0; i < kRowsPerBatch; ++i) pks.push_back(id * 10000 + round * 10 + i);
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await steps.InsertRows(who + "insert round " + std::to_string(round), pks));
    if (round > 1 && round % 2 == 0) {
      std::vector<int64_t> victims = {id * 10000 + (round - 1) * 10, id * 10000 + round * 10 + 1};
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await steps.DeleteRows(who + "delete round " + std::to_string(round), victims));
    }
    if (round % 3 == 0) {
      std::vector<int64_t> replaced = {id * 10000 + round * 10 + 2, id * 10000 + round * 10 + 3};
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await steps.UpsertRows(who + "upsert round " + std::to_string(round), replaced));
    }
    if (round % 4 == 0) {
      SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch(who + "Q" + std::to_string(round)));
    }
    if (flush_after_round && round == *flush_after_round) {
      SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush(who + "flush mid-workload"));
    } else if (flush_every > 0 && round % flush_every == 0) {
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await steps.Flush(who + "flush after round " + std::to_string(round)));
    }
    co_await client.env().clock->Sleep(Duration::Millis(rng.UniformInt(50, 600)));
  }
  co_return Status::Ok();
}

// Every client runs a Writer; client-1 flushes after round `flush_round`, client-2 every
// `flush_every` rounds (0: never).
Task<Status> RunWriters(Client& client, ScenarioContext& ctx, int rounds, int flush_round,
                        int flush_every = 0) {
  const size_t n = ctx.clients.size();
  std::vector<std::optional<Status>> outcomes(n);
  for (size_t c = 0; c < n; ++c) {
    ctx.clients[c]->env().Spawn(
        [](Client* cl, ScenarioContext* cx, int id, int r, std::optional<int> f, int every,
           std::optional<Status>* out) -> Task<void> {
          Status s = co_await Writer(*cl, *cx, id, r, f, every);
          out->emplace(std::move(s));
        }(ctx.clients[c], &ctx, static_cast<int>(c) + 1, rounds,
                                       c == 0 ? std::optional<int>(flush_round) : std::nullopt,
                                       c == 1 ? flush_every : 0, &outcomes[c]));
  }
  for (;;) {
    bool done = true;
    for (const std::optional<Status>& o : outcomes) {
      if (o && !o->ok()) co_return *o;
      done = done && o.has_value();
    }
    if (done) co_return Status::Ok();
    co_await client.env().clock->Sleep(Duration::Millis(5));
  }
}

Task<Status> Prepare(Client& client, ScenarioContext& ctx) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, kDim, 2);
  ctx.say("collection " + std::string(kCollection) + ": 2 shards; a segment seals at " +
          std::to_string(roles::DataCoord::MaxRowsOf(schema, ctx.config)) +
          " rows, the delete buffer spills to L0 every " +
          std::to_string(ctx.config.delete_buffer_bytes / 16) + " deletes");
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  co_return co_await client.LoadCollection(kCollection);
}

Task<Status> FlushWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx));
  // The nemesis: S3 answers 503 (outage or SlowDown) for a while; syncs retry with backoff.
  Rng rng = ctx.world->ForkRng("scenario/flush/s3");
  std::vector<sim::StorageFaultEvent> plan;
  plan.push_back({rng.UniformInt(0, 1) == 0 ? sim::StorageFault::kObjectStoreOutage
                                            : sim::StorageFault::kObjectStoreSlowDown,
                  Duration::Millis(rng.UniformInt(1000, 6000)),
                  Duration::Millis(rng.UniformInt(500, 3000))});
  for (const sim::StorageFaultEvent& e : plan) {
    ctx.say("nemesis plan: " + std::string(sim::StorageFaultName(e.fault)) + " at +" +
            ToString(e.start) + " for " + ToString(e.length));
  }
  ctx.storage->Apply(plan);
  SIMVUS_CO_RETURN_IF_ERROR(co_await RunWriters(client, ctx, 10, 5));
  RetryingSteps steps{client, ctx, kCollection, kDim};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("final flush"));
  co_return co_await steps.StrongSearch("final read");
}

Task<Status> DataNodeCrashReplayWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx));
  Rng rng = ctx.world->ForkRng("scenario/datanode-crash-replay/nemesis");
  const Duration crash_at = Duration::Millis(rng.UniformInt(2500, 6000));
  const Duration down_for = Duration::Millis(rng.UniformInt(500, 4000));
  const std::string& name = ctx.config.data_nodes.front();
  const sim::NodeId data_node = ctx.world->Lookup(name);
  ctx.say("nemesis plan: crash " + name + " at +" + ToString(crash_at) +
          " (its buffers hold "
          "unflushed rows), restart it " +
          ToString(down_for) + " later");
  sim::SimWorld* world = ctx.world;
  std::function<void(const std::string&)> say = ctx.say;
  world->scheduler().After(crash_at, [world, data_node, down_for, say, name] {
    say("nemesis: crash " + name);
    world->Crash(data_node);
    world->scheduler().After(down_for, [world, data_node, say, name] {
      say("nemesis: restart " + name + ": it replays its channels from the checkpoints");
      world->Start(data_node);
    });
  });
  SIMVUS_CO_RETURN_IF_ERROR(co_await RunWriters(client, ctx, 12, 3));
  RetryingSteps steps{client, ctx, kCollection, kDim};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("final flush"));
  co_return co_await steps.StrongSearch("final read");
}

// Index builds that take seconds of sim time (HNSW over 49 rows of dim 4: ~1.5 s), so that a
// crash or a stall lands mid-build.
void SlowIndexBuilds(sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
  SmallSegments(world, config, rng);
  config.index_build_cost_per_value = Duration::Micros(50);
}

constexpr char kBadIndexPrefix[] = "bad index: ";

Task<Status> IndexBuildWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx));
  // Bad input first: each is refused, naming what is wrong, and nothing is stored.
  const std::vector<std::pair<std::string, std::map<std::string, std::string>>> bad = {
      {"unknown index type", {{"index_type", "HNSWX"}}},
      {"M out of range", {{"index_type", "HNSW"}, {"M", "1"}}},
      {"metric differs from the collection's", {{"index_type", "FLAT"}, {"metric_type", "IP"}}}};
  for (const auto& [what, params] : bad) {
    Status refused =
        co_await client.CreateIndex(kBadIndexPrefix + what, kCollection, "vec", params);
    ctx.say(std::string(kBadIndexPrefix) + what + " -> " + refused.ToString());
  }
  std::map<std::string, std::string> hnsw = {
      {"index_type", "HNSW"}, {"M", "16"}, {"efConstruction", "64"}};
  Status created = co_await client.CreateIndex("create index HNSW", kCollection, "vec", hnsw);
  if (!created.ok()) co_return created;
  ctx.say("CreateIndex(HNSW, M=16, efConstruction=64) -> OK: one build per flushed segment");

  // The nemesis: one index node crashes mid-build, the other stalls past the task timeout.
  Rng rng = ctx.world->ForkRng("scenario/index-build/nemesis");
  sim::SimWorld* world = ctx.world;
  std::function<void(const std::string&)> say = ctx.say;
  const std::string crashed = ctx.config.index_nodes.front();
  const std::string stalled = ctx.config.index_nodes.back();
  const sim::NodeId crash_id = world->Lookup(crashed);
  const sim::NodeId stall_id = world->Lookup(stalled);
  const Duration crash_at = Duration::Millis(rng.UniformInt(3000, 8000));
  const Duration down_for = Duration::Millis(rng.UniformInt(2000, 5000));
  const Duration stall_at = Duration::Millis(rng.UniformInt(3000, 9000));
  const Duration stall_for = ctx.config.index_task_timeout + Duration::Seconds(2);
  ctx.say("nemesis plan: crash " + crashed + " at +" + ToString(crash_at) + " for " +
          ToString(down_for) + "; stall " + stalled + " at +" + ToString(stall_at) + " for " +
          ToString(stall_for) + " (past the " + ToString(ctx.config.index_task_timeout) +
          " task timeout)");
  world->scheduler().After(crash_at, [world, crash_id, down_for, say, crashed] {
    say("nemesis: crash " + crashed + " (its builds in flight are lost)");
    world->Crash(crash_id);
    world->scheduler().After(down_for, [world, crash_id, say, crashed] {
      say("nemesis: restart " + crashed);
      world->Start(crash_id);
    });
  });
  world->scheduler().After(stall_at, [world, stall_id, stall_for, say, stalled] {
    say("nemesis: stall " + stalled);
    world->Pause(stall_id);
    world->scheduler().After(stall_for, [world, stall_id, say, stalled] {
      say("nemesis: " + stalled + " resumes; a build it finishes now is a stale version");
      world->Resume(stall_id);
    });
  });

  SIMVUS_CO_RETURN_IF_ERROR(co_await RunWriters(client, ctx, 12, 6));
  RetryingSteps steps{client, ctx, kCollection, kDim};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("final flush"));
  // Wait for every flushed segment's index, as a client polls DescribeIndex.
  const Instant give_up = client.env().clock->Now() + Duration::Seconds(120);
  for (;;) {
    Result<proto::DescribeIndexResponse> d =
        co_await client.DescribeIndex("describe index", kCollection);
    if (d.ok() && d->state() == "Finished") {
      ctx.say("DescribeIndex -> Finished: " + std::to_string(d->indexed_rows()) + " of " +
              std::to_string(d->total_rows()) + " flushed row(s) indexed");
      break;
    }
    if (d.ok() && d->state() == "Failed") co_return Internal("index builds failed");
    if (client.env().clock->Now() >= give_up) {
      co_return DeadlineExceeded("the index did not finish within 120 s after the final flush");
    }
    co_await client.env().clock->Sleep(Duration::Millis(500));
  }
  co_return co_await steps.StrongSearch("final read");
}

// Each bad CreateIndex was refused as invalid, naming the culprit.
reports::CheckResult CheckBadIndexRefused(const reports::History& history) {
  reports::CheckResult result;
  const std::vector<std::pair<std::string, std::string>> names = {
      {"unknown index type", "HNSWX"}, {"M out of range", "M"}, {"metric differs", "metric_type"}};
  for (const reports::Operation& op : history.ops()) {
    if (op.label.rfind(kBadIndexPrefix, 0) != 0) continue;
    for (const auto& [what, culprit] : names) {
      if (op.label.find(what) == std::string::npos) continue;
      if (op.outcome != reports::Outcome::kFail || op.error.find("INVALID_ARGUMENT") != 0 ||
          op.error.find(culprit) == std::string::npos) {
        result.ok = false;
        result.invariant = "bad-input-accepted";
        result.detail = op.label + ": expected INVALID_ARGUMENT naming " + culprit + ", got " +
                        std::string(reports::OutcomeName(op.outcome)) + " " + op.error;
        return result;
      }
    }
  }
  return result;
}

// Compaction and GC on a short clock: L0 compaction every second, mix compaction every 2 s,
// GC every 2 s of segments dropped for 3 s.
void FastCompaction(sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
  SmallSegments(world, config, rng);
  config.l0_compaction_interval = Duration::Seconds(1);
  config.mix_compaction_interval = Duration::Seconds(2);
  config.gc_interval = Duration::Seconds(2);
  config.gc_drop_tolerance = Duration::Seconds(3);
}

Task<Status> DeleteCompactionWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx));
  ctx.say(
      "client-2 flushes every 2 rounds, so segments stay small and mix compaction merges "
      "them; deletes spill into L0 segments that L0 compaction applies");
  SIMVUS_CO_RETURN_IF_ERROR(co_await RunWriters(client, ctx, 14, 7, /*flush_every=*/2));
  RetryingSteps steps{client, ctx, kCollection, kDim};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("final flush"));
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.StrongSearch("read after the final flush"));
  // Let compaction apply the last L0 deletes, merge, and GC the inputs.
  co_await client.env().clock->Sleep(Duration::Seconds(12));
  co_return co_await steps.StrongSearch("final read (after compaction and GC)");
}

}  // namespace

Scenario DeleteCompactionScenario() {
  Scenario s;
  s.name = "delete-compaction";
  s.description =
      "deletes land in L0 segments, L0 compaction applies them to flushed segments, mix "
      "compaction merges small segments dropping deleted rows, GC removes the inputs' files; "
      "storage alone must answer the last flush's snapshot exactly as the history says";
  s.setup = FastCompaction;
  s.workload = DeleteCompactionWorkload;
  s.real_backends = true;
  s.audit = AuditFlushed(kCollection);
  s.clients = 2;
  s.time_limit = Duration::Seconds(300);
  return s;
}

Scenario IndexBuildScenario() {
  Scenario s;
  s.name = "index-build";
  s.description =
      "CreateIndex(HNSW) while 2 clients write; one index node crashes mid-build and the other "
      "stalls past the task timeout: retried builds get new versions, a stale result never "
      "registers, and every flushed segment ends with a loadable index of all its rows";
  s.setup = SlowIndexBuilds;
  s.workload = IndexBuildWorkload;
  s.check = CheckBadIndexRefused;
  s.audit = AuditFlushed(kCollection, /*indexes=*/true);
  s.clients = 2;
  s.time_limit = Duration::Seconds(300);
  return s;
}

Scenario FlushScenario() {
  Scenario s;
  s.name = "flush";
  s.description =
      "3 clients write while segments seal by size and flush to S3 (with 503s), deletes spill to "
      "L0; Flush mid-way and at the end; the object store and meta store alone must hold every "
      "acked row and delete, once, with legal state changes";
  s.setup = SmallSegments;
  s.workload = FlushWorkload;
  s.audit = AuditFlushed(kCollection);
  s.clients = 3;
  s.time_limit = Duration::Seconds(180);
  return s;
}

Scenario DataNodeCrashReplayScenario() {
  Scenario s;
  s.name = "datanode-crash-replay";
  s.description =
      "2 clients write while the data node crashes with unflushed rows and restarts; it replays "
      "from its checkpoints: after a final Flush every acked row and delete is stored exactly once";
  s.setup = SmallSegments;
  s.workload = DataNodeCrashReplayWorkload;
  s.audit = AuditFlushed(kCollection);
  s.clients = 2;
  s.time_limit = Duration::Seconds(180);
  return s;
}

}  // namespace simvus::scenarios
