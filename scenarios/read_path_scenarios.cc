#include "scenarios/read_path_scenarios.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/retrying_steps.h"
#include "scenarios/storage_audit.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "reads";
constexpr int32_t kDim = 4;
constexpr int kRowsPerRound = 6;

// The read path's cluster: 3 query nodes, 2 proxies, small segments (49 rows: a short run seals,
// flushes and hands off many), and a 5 s session TTL so that a dead query node is noticed within
// a short run (Milvus's common.session.ttl is 30 s).
void ReadPathCluster(sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
  RandomLatency(world, config, rng);
  config.query_nodes = {"querynode-1", "querynode-2", "querynode-3"};
  config.proxies = {"proxy-1", "proxy-2"};
  config.segment_max_size_bytes = 16 << 10;
  config.session_ttl = Duration::Seconds(5);
}

std::vector<float> RandomVector(Rng& rng) {
  std::vector<float> v(kDim);
  for (float& x : v) x = static_cast<float>(rng.UniformInt(-1000, 1000)) / 1000.0f;
  return v;
}

// One client's writes (with RetryingSteps' SDK-style retries) and reads. Reads that fail are
// recorded as failed reads (they have no effect) and the workload goes on.
class Actor {
 public:
  Actor(Client& client, ScenarioContext& ctx, int id)
      : client_(client),
        ctx_(ctx),
        id_(id),
        rng_(ctx.ForkRng("scenario/reads/client-" + std::to_string(id))),
        steps_(client, ctx, kCollection, kDim) {}

  int64_t Pk(int round, int i) const { return id_ * 10000 + round * 10 + i; }

  Task<Status> Insert(int round) {
    std::vector<int64_t> pks;
    std::vector<std::vector<float>> vectors;
    for (int i = 0; i < kRowsPerRound; ++i) {
      pks.push_back(Pk(round, i));
      vectors.push_back(RandomVector(rng_));
    }
    co_return co_await Write("insert", round, std::move(pks), std::move(vectors), false);
  }
  Task<Status> Upsert(int round, std::vector<int64_t> pks) {
    std::vector<std::vector<float>> vectors;
    for (size_t i = 0; i < pks.size(); ++i) vectors.push_back(RandomVector(rng_));
    co_return co_await Write("upsert", round, std::move(pks), std::move(vectors), true);
  }
  Task<Status> Delete(std::string label, std::vector<int64_t> pks) {
    co_return co_await steps_.DeleteRows(std::move(label), std::move(pks));
  }

  // A search at `level` for the 10 nearest rows to a random vector (nprobe = nlist: exact).
  Task<Result<proto::SearchResults>> Search(std::string label, proto::ConsistencyLevel level,
                                            std::string filter = "", uint64_t customized = 0) {
    Client::ReadOptions options;
    options.filter = std::move(filter);
    options.params = {{"nprobe", "4"}};
    options.guarantee_ts = customized;
    std::vector<float> query = RandomVector(rng_);
    co_return co_await client_.Search(std::move(label), kCollection, std::move(query), 10, level,
                                      std::move(options));
  }
  Task<Result<proto::QueryResults>> Count(std::string label, proto::ConsistencyLevel level) {
    co_return co_await client_.Query(std::move(label), kCollection, "", level,
                                     /*count_only=*/true);
  }
  Task<Result<proto::QueryResults>> Query(std::string label, proto::ConsistencyLevel level,
                                          std::string filter) {
    co_return co_await client_.Query(std::move(label), kCollection, std::move(filter), level,
                                     /*count_only=*/false);
  }

  // Strong search, count(*) and a filtered query, each retried until it answers (up to 60 s):
  // the reads that must succeed at the end of a run.
  Task<Status> MustRead(std::string label) {
    const Instant give_up = client_.env().clock->Now() + Duration::Seconds(60);
    for (int step = 0; step < 3;) {
      Status status = Status::Ok();
      if (step == 0) {
        Result<proto::SearchResults> r = co_await Search(label + " (search)", proto::STRONG);
        status = r.status();
        if (r.ok())
          ctx_.say(label + ": Strong search -> " + std::to_string(r->hits_size()) + " hit(s)");
      } else if (step == 1) {
        Result<proto::QueryResults> r = co_await Count(label + " (count)", proto::STRONG);
        status = r.status();
        if (r.ok()) ctx_.say(label + ": count(*) -> " + std::to_string(r->count()));
      } else {
        Result<proto::QueryResults> r =
            co_await Query(label + " (query pk % 3 == 0)", proto::STRONG, "pk % 3 == 0");
        status = r.status();
        if (r.ok())
          ctx_.say(label + ": query pk % 3 == 0 -> " + std::to_string(r->pks_size()) + " row(s)");
      }
      if (status.ok()) {
        ++step;
        continue;
      }
      if (client_.env().clock->Now() >= give_up) co_return status;
      co_await client_.env().clock->Sleep(Duration::Millis(500));
    }
    co_return Status::Ok();
  }

  // Reads whose outcome only the history needs (a failed read has no effect; the checker judges
  // the answered ones).
  Task<void> TrySearch(std::string label, proto::ConsistencyLevel level, std::string filter = "",
                       uint64_t customized = 0) {
    Result<proto::SearchResults> r =
        co_await Search(std::move(label), level, std::move(filter), customized);
    (void)r;
  }
  Task<void> TryCount(std::string label, proto::ConsistencyLevel level) {
    Result<proto::QueryResults> r = co_await Count(std::move(label), level);
    (void)r;
  }
  Task<void> TryQuery(std::string label, proto::ConsistencyLevel level, std::string filter) {
    Result<proto::QueryResults> r = co_await Query(std::move(label), level, std::move(filter));
    (void)r;
  }

  Task<void> Pause(int64_t lo_ms, int64_t hi_ms) {
    co_await client_.env().clock->Sleep(Duration::Millis(rng_.UniformInt(lo_ms, hi_ms)));
  }

  Client& client() { return client_; }
  Rng& rng() { return rng_; }

 private:
  Task<Status> Write(const char* what, int round, std::vector<int64_t> pks,
                     std::vector<std::vector<float>> vectors, bool upsert) {
    std::string label =
        "client-" + std::to_string(id_) + " " + what + " round " + std::to_string(round);
    co_return co_await steps_.WriteVectors(std::move(label), std::move(pks), std::move(vectors),
                                           upsert);
  }

  Client& client_;
  ScenarioContext& ctx_;
  int id_;
  Rng rng_;
  RetryingSteps steps_;  // the SDK-style retries of every write
};

// Tasks run concurrently, each on its actor's client node; the first error wins.
using ActorTask = std::pair<Actor*, std::function<Task<Status>()>>;
Task<Status> RunAll(Client& driver, std::vector<ActorTask> tasks) {
  std::vector<std::optional<Status>> outcomes(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].first->client().env().Spawn(
        [](std::function<Task<Status>()> task, std::optional<Status>* out) -> Task<void> {
          Status s = co_await task();
          out->emplace(std::move(s));
        }(tasks[i].second, &outcomes[i]));
  }
  for (;;) {
    bool done = true;
    for (const std::optional<Status>& o : outcomes) {
      if (o && !o->ok()) co_return *o;
      done = done && o.has_value();
    }
    if (done) co_return Status::Ok();
    co_await driver.env().clock->Sleep(Duration::Millis(5));
  }
}

// A writer: `rounds` rounds of a 6-row insert; every 2nd round a delete of two older rows (one
// from round 1, long since sealed); every 3rd an upsert of two; client-1 flushes every 4 rounds.
Task<Status> Writer(Actor& actor, ScenarioContext& ctx, int id, int rounds) {
  RetryingSteps steps{actor.client(), ctx, kCollection, kDim};
  for (int round = 1; round <= rounds; ++round) {
    SIMVUS_CO_RETURN_IF_ERROR(co_await actor.Insert(round));
    if (round % 2 == 0) {
      std::vector<int64_t> victims = {actor.Pk(1, round % kRowsPerRound), actor.Pk(round - 1, 5)};
      SIMVUS_CO_RETURN_IF_ERROR(co_await actor.Delete(
          "client-" + std::to_string(id) + " delete round " + std::to_string(round), victims));
    }
    if (round % 3 == 0) {
      std::vector<int64_t> replaced = {actor.Pk(round, 2), actor.Pk(round - 2, 3)};
      SIMVUS_CO_RETURN_IF_ERROR(co_await actor.Upsert(round, std::move(replaced)));
    }
    if (id == 1 && round % 4 == 0) {
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await steps.Flush("client-1 flush after round " + std::to_string(round)));
    }
    co_await actor.Pause(50, 500);
  }
  co_return Status::Ok();
}

// A reader: until `*stop`, a Strong search, a count(*) and a filtered query, in seeded order.
Task<Status> Reader(Actor& actor, int id, const bool* stop) {
  for (int i = 1; !*stop; ++i) {
    const std::string who = "client-" + std::to_string(id) + " ";
    switch (actor.rng().UniformInt(0, 2)) {
      case 0:
        co_await actor.TrySearch(who + "search " + std::to_string(i), proto::STRONG);
        break;
      case 1:
        co_await actor.TryCount(who + "count " + std::to_string(i), proto::STRONG);
        break;
      default:
        co_await actor.TryQuery(who + "query " + std::to_string(i), proto::STRONG, "pk % 3 == 0");
    }
    co_await actor.Pause(50, 400);
  }
  co_return Status::Ok();
}

Task<Status> Prepare(Client& client, ScenarioContext& ctx, int32_t replicas) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, kDim, 2);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  std::map<std::string, std::string> ivf = {{"index_type", "IVF_FLAT"}, {"nlist", "4"}};
  SIMVUS_CO_RETURN_IF_ERROR(co_await client.CreateIndex("create index", kCollection, "vec", ivf));
  SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection(kCollection, replicas));
  ctx.say("collection " + std::string(kCollection) +
          ": 2 shards, IVF_FLAT(nlist=4) searched "
          "with nprobe=4 (exact), loaded with " +
          std::to_string(replicas) + " replica(s) over " +
          std::to_string(ctx.config.query_nodes.size()) + " query nodes; segments seal at 49 rows");
  co_return Status::Ok();
}

// Writers on clients 1..writers, readers on the rest; the readers stop when the writers are done.
Task<Status> WritersAndReaders(Client& client, ScenarioContext& ctx,
                               std::vector<std::unique_ptr<Actor>>& actors, int writers,
                               int rounds) {
  auto stop = std::make_shared<bool>(false);
  std::vector<ActorTask> tasks;
  for (int w = 0; w < writers; ++w) {
    Actor* actor = actors[static_cast<size_t>(w)].get();
    tasks.emplace_back(actor,
                       [actor, &ctx, w, rounds]() { return Writer(*actor, ctx, w + 1, rounds); });
  }
  std::vector<ActorTask> readers;
  for (size_t r = static_cast<size_t>(writers); r < actors.size(); ++r) {
    Actor* actor = actors[r].get();
    readers.emplace_back(
        actor, [actor, r, stop]() { return Reader(*actor, static_cast<int>(r) + 1, stop.get()); });
  }
  std::optional<Status> read_outcome;
  ctx.clients.back()->env().Spawn(
      [](Client* driver, std::vector<ActorTask> all, std::optional<Status>* out) -> Task<void> {
        Status s = co_await RunAll(*driver, std::move(all));
        out->emplace(std::move(s));
      }(ctx.clients.back(), std::move(readers), &read_outcome));
  Status written = co_await RunAll(client, std::move(tasks));
  *stop = true;
  while (!read_outcome) co_await client.env().clock->Sleep(Duration::Millis(10));
  SIMVUS_CO_RETURN_IF_ERROR(written);
  co_return *read_outcome;
}

std::vector<std::unique_ptr<Actor>> ActorsOf(ScenarioContext& ctx) {
  std::vector<std::unique_ptr<Actor>> actors;
  for (size_t c = 0; c < ctx.clients.size(); ++c) {
    actors.push_back(std::make_unique<Actor>(*ctx.clients[c], ctx, static_cast<int>(c) + 1));
  }
  return actors;
}

// After the final flush: wait for the handoff, delete rows that now live in sealed segments only,
// and read: every delete must have reached the segment holding its row.
Task<Status> EndWithSealedDeletes(Client& client, ScenarioContext& ctx,
                                  std::vector<std::unique_ptr<Actor>>& actors) {
  RetryingSteps steps{client, ctx, kCollection, kDim};
  SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("final flush"));
  co_await client.env().clock->Sleep(Duration::Seconds(4));
  ctx.say("the flushed segments are handed off (target switched); now deletes of sealed rows");
  std::vector<int64_t> victims = {actors[0]->Pk(1, 0), actors[0]->Pk(2, 1), actors[0]->Pk(5, 4)};
  SIMVUS_CO_RETURN_IF_ERROR(co_await actors[0]->Delete("delete sealed rows", victims));
  co_return co_await actors[0]->MustRead("final read");
}

Task<Status> LoadHandoffWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx, 1));
  std::vector<std::unique_ptr<Actor>> actors = ActorsOf(ctx);
  ctx.say(
      "2 writers (proxy-1, proxy-2) and a reader (proxy-1) run concurrently; client-1 "
      "flushes every 4 rounds, so growing data is handed off to sealed segments mid-read");
  SIMVUS_CO_RETURN_IF_ERROR(co_await WritersAndReaders(client, ctx, actors, 2, 12));
  co_return co_await EndWithSealedDeletes(client, ctx, actors);
}

Task<Status> QueryNodeFailoverWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx, 1));
  std::vector<std::unique_ptr<Actor>> actors = ActorsOf(ctx);
  // querynode-1 leads shard 0 (QueryCoord gives the first channel to the first node).
  Rng rng = ctx.world->ForkRng("scenario/querynode-failover/nemesis");
  const Duration crash_at = Duration::Millis(rng.UniformInt(2000, 6000));
  const Duration down_for = Duration::Millis(rng.UniformInt(6000, 12000));
  const std::string victim = "querynode-1";
  ctx.say("nemesis plan: crash " + victim + " (a delegator and a worker) at +" +
          ToString(crash_at) + ", restart it " + ToString(down_for) + " later (session TTL " +
          ToString(ctx.config.session_ttl) + ")");
  sim::SimWorld* world = ctx.world;
  const sim::NodeId id = world->Lookup(victim);
  std::function<void(const std::string&)> say = ctx.say;
  world->scheduler().After(crash_at, [world, id, down_for, say, victim] {
    say("nemesis: crash " + victim + "; reads of its shard fail or wait until QueryCoord moves it");
    world->Crash(id);
    world->scheduler().After(down_for, [world, id, say, victim] {
      say("nemesis: restart " + victim + " (empty: QueryCoord treats it as a new node)");
      world->Start(id);
    });
  });
  SIMVUS_CO_RETURN_IF_ERROR(co_await WritersAndReaders(client, ctx, actors, 2, 16));
  co_return co_await EndWithSealedDeletes(client, ctx, actors);
}

Task<Status> BalanceWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx, 1));
  std::vector<std::unique_ptr<Actor>> actors = ActorsOf(ctx);
  Rng rng = ctx.world->ForkRng("scenario/balance/join");
  const Duration join_at = Duration::Millis(rng.UniformInt(5000, 9000));
  const std::string joiner = ctx.config.query_nodes.back();
  ctx.say("nemesis plan: " + joiner + " joins at +" + ToString(join_at) +
          "; QueryCoord moves sealed segments to it while reads run");
  sim::SimWorld* world = ctx.world;
  const sim::NodeId id = world->Lookup(joiner);
  std::function<void(const std::string&)> say = ctx.say;
  world->scheduler().After(join_at, [world, id, say, joiner] {
    say("nemesis: " + joiner + " starts and registers its session");
    world->Start(id);
  });
  SIMVUS_CO_RETURN_IF_ERROR(co_await WritersAndReaders(client, ctx, actors, 2, 16));
  co_return co_await EndWithSealedDeletes(client, ctx, actors);
}

// Every level from two clients on two proxies: each client writes, then reads at each level
// right away (Session must see its own write; the others promise less).
Task<Status> LevelsActor(Actor& actor, ScenarioContext& ctx, int id, int rounds) {
  const std::string who = "client-" + std::to_string(id) + " ";
  for (int round = 1; round <= rounds; ++round) {
    SIMVUS_CO_RETURN_IF_ERROR(co_await actor.Insert(round));
    if (round % 3 == 0) {
      std::vector<int64_t> victims = {actor.Pk(round - 1, 0)};
      SIMVUS_CO_RETURN_IF_ERROR(
          co_await actor.Delete(who + "delete round " + std::to_string(round), victims));
    }
    const std::string r = std::to_string(round);
    co_await actor.TrySearch(who + "Session search " + r, proto::SESSION);
    co_await actor.TryCount(who + "Session count " + r, proto::SESSION);
    co_await actor.TrySearch(who + "Strong search " + r, proto::STRONG, "pk % 2 == 0");
    co_await actor.TrySearch(who + "Bounded search " + r, proto::BOUNDED);
    co_await actor.TrySearch(who + "Eventually search " + r, proto::EVENTUALLY);
    // Customized: the guarantee of another client's last acknowledged write.
    const Client* other = ctx.clients[static_cast<size_t>(id) % ctx.clients.size()];
    const uint64_t theirs = std::max<uint64_t>(other->last_write_ts(kCollection), 1);
    co_await actor.TrySearch(who + "Customized search " + r, proto::CUSTOMIZED, "", theirs);
    co_await actor.TryQuery(who + "Session query " + r, proto::SESSION, "pk % 3 == 1");
    if (id == 1 && round % 5 == 0) {
      RetryingSteps steps{actor.client(), ctx, kCollection, kDim};
      SIMVUS_CO_RETURN_IF_ERROR(co_await steps.Flush("client-1 flush after round " + r));
    }
    co_await actor.Pause(20, 300);
  }
  co_return Status::Ok();
}

Task<Status> ConsistencyLevelsWorkload(Client& client, ScenarioContext& ctx) {
  SIMVUS_CO_RETURN_IF_ERROR(co_await Prepare(client, ctx, 2));
  std::vector<std::unique_ptr<Actor>> actors = ActorsOf(ctx);
  ctx.say(
      "4 clients (two per proxy) write and read at every level; 2 replicas, so reads go to "
      "either replica's delegator");
  std::vector<ActorTask> tasks;
  for (size_t c = 0; c < actors.size(); ++c) {
    Actor* actor = actors[c].get();
    tasks.emplace_back(actor, [actor, &ctx, c]() {
      return LevelsActor(*actor, ctx, static_cast<int>(c) + 1, 15);
    });
  }
  SIMVUS_CO_RETURN_IF_ERROR(co_await RunAll(client, std::move(tasks)));
  co_return co_await EndWithSealedDeletes(client, ctx, actors);
}

}  // namespace

namespace {

Scenario ReadPathScenario(std::string name, std::string description,
                          std::function<Task<Status>(Client&, ScenarioContext&)> workload,
                          int clients) {
  Scenario s;
  s.name = std::move(name);
  s.description = std::move(description);
  s.setup = ReadPathCluster;
  s.workload = std::move(workload);
  s.audit = AuditFlushed(kCollection);
  s.clients = clients;
  s.time_limit = Duration::Seconds(300);
  return s;
}

}  // namespace

Scenario LoadHandoffScenario() {
  Scenario s = ReadPathScenario(
      "load-handoff",
      "LoadCollection over 3 query nodes; 2 writers and a reader on 2 proxies while segments "
      "seal, flush and are handed off growing -> sealed (two phases: load, then the target "
      "switch); then deletes of sealed rows: no row seen twice or missed, every delete applied",
      LoadHandoffWorkload, 3);
  s.real_backends = true;
  return s;
}

Scenario QueryNodeFailoverScenario() {
  return ReadPathScenario(
      "querynode-failover",
      "a query node holding a delegator and sealed segments crashes during reads and writes; "
      "QueryCoord watches its channel on another node and reloads its segments there as soon as "
      "it stops answering, and drops it from the replica when its session expires; reads fail "
      "or wait meanwhile, then answer exactly; the node comes back empty and rejoins",
      QueryNodeFailoverWorkload, 3);
}

Scenario BalanceScenario() {
  Scenario s = ReadPathScenario(
      "balance",
      "2 query nodes serve the collection; a third joins mid-run and QueryCoord moves sealed "
      "segments to it (load there, switch, release the old copy) while reads stay exact",
      BalanceWorkload, 3);
  s.started_later = {"querynode-3"};
  return s;
}

Scenario ConsistencyLevelsScenario() {
  Scenario s = ReadPathScenario(
      "consistency-levels",
      "4 clients on 2 proxies, 2 replicas: each writes and reads at Strong, Bounded, Session, "
      "Eventually and Customized; each read is checked against its own level's promise",
      ConsistencyLevelsWorkload, 4);
  s.real_backends = true;
  return s;
}

}  // namespace simvus::scenarios
