// The segment-lifecycle scenarios pass for every seed of the sweep, and each deliberately broken
// data path makes a scenario (not only a unit test) fail with the invariant that names it.
#include <gtest/gtest.h>

#include "components/roles/cluster_config.h"
#include "components/roles/index_coord.h"
#include "components/segment/segment_files.pb.h"
#include "scenarios/runner.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

using Bug = roles::ClusterConfig::InjectedBug;

// Seeds each scenario's sweep runs: 200; 40 under the sanitizers (tests/scenarios/CMakeLists.txt).
constexpr uint64_t kSeeds = SIMVUS_LIFECYCLE_SEEDS;

RunReport Run(const std::string& name, uint64_t seed, Bug bug = Bug::kNone) {
  const Scenario* scenario = FindScenario(name);
  EXPECT_NE(scenario, nullptr) << name;
  RunOptions options;
  options.seed = seed;
  options.injected_bug = bug;
  return RunScenario(*scenario, options);
}

void ExpectPassesForSeeds(const std::string& name, uint64_t seeds) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const RunReport r = Run(name, seed);
    ASSERT_TRUE(r.pass) << name << " seed " << seed << " invariant=" << r.invariant << ": "
                        << r.detail << "\nreproduce: " << ReproCommand(name, seed);
    int flushes = 0;
    for (const reports::Operation& op : r.history.ops()) {
      if (op.type == reports::OpType::kFlush && op.outcome == reports::Outcome::kOk) ++flushes;
    }
    EXPECT_GE(flushes, 2) << name << " seed " << seed << ": the mid-way and final flushes";
    if (name == "index-build") {
      int bad_index_refused = 0;
      for (const reports::Operation& op : r.history.ops()) {
        bad_index_refused +=
            op.label.rfind("bad index: ", 0) == 0 && op.outcome == reports::Outcome::kFail;
      }
      EXPECT_EQ(bad_index_refused, 3) << "seed " << seed;
    }
  }
}

TEST(SegmentLifecycleScenarios, FlushPassesTheSweep) { ExpectPassesForSeeds("flush", kSeeds); }

TEST(SegmentLifecycleScenarios, DataNodeCrashReplayPassesTheSweep) {
  ExpectPassesForSeeds("datanode-crash-replay", kSeeds);
}

TEST(SegmentLifecycleScenarios, IndexBuildPassesTheSweep) {
  ExpectPassesForSeeds("index-build", kSeeds);
}

// Regression: IndexCoord reissued every build still running after index_task_timeout, so a
// segment whose build costs more than the timeout (found on Fashion-MNIST: HNSW over 10,000 x 784,
// 11.8 s of sim time against 10 s) was rebuilt forever and never indexed. Here the timeout is
// below every build's cost (HNSW over ~49 rows of dim 4 at 50 us a value: ~1.5 s).
TEST(SegmentLifecycleScenarios, IndexBuildsLongerThanTheTaskTimeoutFinish) {
  const Scenario* scenario = FindScenario("index-build");
  ASSERT_NE(scenario, nullptr);
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    RunOptions options;
    options.seed = seed;
    options.configure = [](roles::ClusterConfig& config) {
      config.index_task_timeout = Duration::Millis(500);
    };
    const RunReport r = RunScenario(*scenario, options);
    EXPECT_TRUE(r.pass) << "seed " << seed << " invariant=" << r.invariant << ": " << r.detail;
  }
}

TEST(SegmentLifecycleScenarios, DeleteCompactionPassesTheSweep) {
  ExpectPassesForSeeds("delete-compaction", kSeeds);
}

// How many of seeds 1..20 fail with `invariant` (or `or_invariant`) under `bug`.
int Caught(const std::string& name, Bug bug, const std::string& invariant,
           const std::string& or_invariant = "") {
  int caught = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const RunReport r = Run(name, seed, bug);
    if (!r.pass && (r.invariant == invariant || r.invariant == or_invariant)) ++caught;
  }
  return caught;
}

// L0 compaction that does not wait for the older rows to be flushed: they come back.
TEST(SegmentLifecycleScenarios, L0CompactionBeforeTheCheckpointLosesDeletes) {
  EXPECT_EQ(Caught("delete-compaction", Bug::kL0IgnoresCheckpoint, "flush-delete-lost"), 20);
}

// Without DataCoord's guard a late report from an older sync moves a checkpoint backward.
TEST(SegmentLifecycleScenarios, AnUnguardedCheckpointMovesBackward) {
  EXPECT_GE(Caught("datanode-crash-replay", Bug::kCheckpointUnguarded, "checkpoint-monotone"), 2);
}

// GC by log id deletes the deltalogs L0 compaction wrote into live segments.
TEST(SegmentLifecycleScenarios, GcByLogIdRemovesLiveDeltalogs) {
  EXPECT_EQ(Caught("delete-compaction", Bug::kGcByLogId, "flush-durability"), 20);
}

// A checkpoint past unsynced rows: the restarted data node replays from after them.
TEST(SegmentLifecycleScenarios, CheckpointPastTheBufferLosesRowsAcrossACrash) {
  // Lost rows, or lost deletes (an L0 delete's row came back).
  EXPECT_EQ(Caught("datanode-crash-replay", Bug::kCheckpointSkipsBuffer, "flush-durability",
                   "flush-delete-lost"),
            20);
}

// A replay that re-buffers deletes an L0 segment already holds writes them twice.
TEST(SegmentLifecycleScenarios, ReplayReapplyingDeletesStoresThemTwice) {
  EXPECT_GE(Caught("datanode-crash-replay", Bug::kReplayReappliesDeletes, "flush-double-apply"),
            12);
}

// Sealed -> Flushed without the Flushing claim shows in the MetaStore's history.
TEST(SegmentLifecycleScenarios, SkippingTheFlushingClaimBreaksTheStateMachine) {
  EXPECT_EQ(Caught("flush", Bug::kSealedToFlushed, "segment-state-machine"), 20);
}

// Registering a retried build's older result leaves a segment indexed by a stale version's file.
TEST(SegmentLifecycleScenarios, RegisteringAStaleBuildResultIsCaught) {
  EXPECT_GE(Caught("index-build", Bug::kStaleIndexResult, "index-stale-result"), 8);
}

// Without a Flush and far below capacity, a growing segment seals by lifetime (maxLife) or by idle
// time (maxIdleTime with minSizeFromIdleToSealed), and then flushes; below the idle size floor it
// stays growing. The L1 segments' states in the MetaStore 10 s after inserting three rows.
std::vector<std::string> StatesTenSecondsAfterThreeRows(
    const std::function<void(roles::ClusterConfig&)>& shape) {
  std::vector<std::string> states;
  Scenario scenario;
  scenario.name = "seal-policy";
  scenario.setup = [&shape](sim::WorldOptions&, roles::ClusterConfig& config, Rng&) {
    shape(config);
  };
  scenario.workload = [&states](Client& client, ScenarioContext&) -> Task<Status> {
    Result<proto::CollectionInfo> created =
        co_await client.CreateCollection(PkVectorSchema("policy", 4, 1));
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("policy"));
    std::vector<int64_t> pks = {1, 2, 3};
    std::vector<std::vector<float>> vectors = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    Result<proto::MutationResult> inserted =
        co_await client.Insert("insert", "policy", std::move(pks), std::move(vectors));
    if (!inserted.ok()) co_return inserted.status();
    co_await client.env().clock->Sleep(Duration::Seconds(10));
    const std::string prefix = roles::kSegmentPrefix + std::to_string(created->id()) + "/";
    const RangeRequest segments{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> r = co_await client.env().meta_store->Range(segments);
    if (!r.ok()) co_return r.status();
    for (const KeyValue& kv : r->kvs) {
      proto::SegmentInfo info;
      info.ParseFromString(kv.value);
      if (info.level() == proto::L1) states.push_back(proto::SegmentState_Name(info.state()));
    }
    co_return Status::Ok();
  };
  RunOptions options;
  options.seed = 1;
  const RunReport r = RunScenario(scenario, options);
  EXPECT_TRUE(r.pass) << r.invariant << ": " << r.detail;
  return states;
}

using States = std::vector<std::string>;

TEST(SegmentLifecycleScenarios, AGrowingSegmentSealsByLifetime) {
  EXPECT_EQ(StatesTenSecondsAfterThreeRows(
                [](roles::ClusterConfig& c) { c.segment_max_life = Duration::Seconds(3); }),
            States{"FLUSHED"});
}

TEST(SegmentLifecycleScenarios, AnIdleSegmentSealsOnceBigEnough) {
  EXPECT_EQ(StatesTenSecondsAfterThreeRows([](roles::ClusterConfig& c) {
              c.segment_max_idle = Duration::Seconds(3);
              c.min_size_from_idle_to_sealed = 64;  // three 40-byte rows are enough
            }),
            States{"FLUSHED"});
}

TEST(SegmentLifecycleScenarios, AnIdleSegmentBelowTheSizeFloorStaysGrowing) {
  // The default floor (16 MB) keeps three rows growing: the policy is not "seal when idle".
  EXPECT_EQ(StatesTenSecondsAfterThreeRows(
                [](roles::ClusterConfig& c) { c.segment_max_idle = Duration::Seconds(3); }),
            States{"GROWING"});
}

// A binlog damaged before a mix compaction reads it: the compaction fails naming the file (and is
// retried), and the damaged segment and its neighbour stay Flushed with their files: nothing
// stored is replaced by a partial merge.
TEST(SegmentLifecycleScenarios, ACorruptBinlogFailsTheCompactionNamingTheFile) {
  std::string corrupted_path;
  std::vector<std::string> states;
  std::vector<std::string> compaction_failures;
  Scenario scenario;
  scenario.name = "corrupt-compaction-input";
  scenario.time_limit = Duration::Seconds(120);
  scenario.setup = [](sim::WorldOptions&, roles::ClusterConfig& c, Rng&) {
    c.mix_compaction_interval = Duration::Seconds(2);
    c.l0_compaction_interval = Duration::Seconds(1);
  };
  scenario.workload = [&](Client& client, ScenarioContext&) -> Task<Status> {
    Result<proto::CollectionInfo> created =
        co_await client.CreateCollection(PkVectorSchema("merge", 4, 1));
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("merge"));
    // Two small flushed segments: the compaction's inputs.
    for (int64_t batch = 0; batch < 2; ++batch) {
      std::vector<int64_t> pks = {batch * 10 + 1, batch * 10 + 2};
      std::vector<std::vector<float>> vectors = {{1, 0, 0, 0}, {0, 1, 0, 0}};
      Result<proto::MutationResult> inserted =
          co_await client.Insert("insert", "merge", std::move(pks), std::move(vectors));
      if (!inserted.ok()) co_return inserted.status();
      Result<proto::FlushResponse> flushed = co_await client.Flush("flush", "merge");
      if (!flushed.ok()) co_return flushed.status();
    }
    Env& env = client.env();
    const std::string prefix = roles::kSegmentPrefix + std::to_string(created->id()) + "/";
    const RangeRequest segments{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> r = co_await env.meta_store->Range(segments);
    if (!r.ok()) co_return r.status();
    for (const KeyValue& kv : r->kvs) {
      proto::SegmentInfo info;
      info.ParseFromString(kv.value);
      if (info.level() != proto::L1 || info.state() != proto::FLUSHED) continue;
      segment::proto::SegmentManifest manifest;
      manifest.ParseFromString(info.manifest());
      corrupted_path = manifest.binlogs(0).path();
      break;
    }
    Result<Bytes> file = co_await env.object_store->Get(corrupted_path);
    if (!file.ok()) co_return file.status();
    Bytes damaged = *file;
    damaged[damaged.size() - 1] ^= 0x01;
    SIMVUS_CO_RETURN_IF_ERROR(co_await env.object_store->Put(corrupted_path, damaged));
    co_await env.clock->Sleep(Duration::Seconds(8));  // several compaction rounds
    Result<RangeResult> after = co_await env.meta_store->Range(segments);
    if (!after.ok()) co_return after.status();
    for (const KeyValue& kv : after->kvs) {
      proto::SegmentInfo info;
      info.ParseFromString(kv.value);
      if (info.level() == proto::L1) states.push_back(proto::SegmentState_Name(info.state()));
    }
    co_return Status::Ok();
  };
  RunOptions options;
  options.seed = 1;
  options.on_event = [&compaction_failures](const sim::RecordedEvent& e) {
    if (e.event.kind == "data.compaction-retry") compaction_failures.push_back(e.event.text);
  };
  const RunReport r = RunScenario(scenario, options);
  ASSERT_TRUE(r.pass) << r.invariant << ": " << r.detail;
  ASSERT_FALSE(corrupted_path.empty());
  ASSERT_FALSE(compaction_failures.empty());
  EXPECT_NE(compaction_failures.front().find("DATA_LOSS"), std::string::npos)
      << compaction_failures.front();
  EXPECT_NE(compaction_failures.front().find(corrupted_path), std::string::npos)
      << compaction_failures.front();
  EXPECT_EQ(states, (std::vector<std::string>{"FLUSHED", "FLUSHED"}));
}

// A binlog damaged in the object store after the flush: the index build fails with kDataLoss
// naming the file, the task says so, and the segment's files and meta are left as they were.
TEST(SegmentLifecycleScenarios, ACorruptBinlogFailsTheIndexBuildNamingTheFile) {
  std::string corrupted_path, fail_reason, describe_state, after_drop;
  Status dropped = Internal("not run");
  bool segment_still_flushed = false;
  Scenario scenario;
  scenario.name = "corrupt-binlog";
  scenario.time_limit = Duration::Seconds(120);
  scenario.workload = [&](Client& client, ScenarioContext&) -> Task<Status> {
    Result<proto::CollectionInfo> created =
        co_await client.CreateCollection(PkVectorSchema("damaged", 4, 1));
    if (!created.ok()) co_return created.status();
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.LoadCollection("damaged"));
    std::vector<int64_t> pks = {1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<std::vector<float>> vectors;
    for (int64_t pk : pks) vectors.push_back({1.0f * pk, 0, 0, 1});
    Result<proto::MutationResult> inserted =
        co_await client.Insert("insert", "damaged", std::move(pks), std::move(vectors));
    if (!inserted.ok()) co_return inserted.status();
    Result<proto::FlushResponse> flushed = co_await client.Flush("flush", "damaged");
    if (!flushed.ok()) co_return flushed.status();
    // Flip one byte of the segment's vector binlog.
    Env& env = client.env();
    const std::string prefix = roles::kSegmentPrefix + std::to_string(created->id()) + "/";
    const RangeRequest segments{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> r = co_await env.meta_store->Range(segments);
    if (!r.ok()) co_return r.status();
    int64_t segment_id = 0;
    for (const KeyValue& kv : r->kvs) {
      proto::SegmentInfo info;
      info.ParseFromString(kv.value);
      if (info.level() != proto::L1 || info.state() != proto::FLUSHED) continue;
      segment::proto::SegmentManifest manifest;
      manifest.ParseFromString(info.manifest());
      segment_id = info.id();
      corrupted_path = manifest.binlogs(manifest.binlogs_size() - 1).path();
    }
    Result<Bytes> file = co_await env.object_store->Get(corrupted_path);
    if (!file.ok()) co_return file.status();
    Bytes damaged = *file;
    damaged[damaged.size() / 2] ^= 0x40;
    SIMVUS_CO_RETURN_IF_ERROR(co_await env.object_store->Put(corrupted_path, damaged));
    std::map<std::string, std::string> params = {{"index_type", "IVF_FLAT"}, {"nlist", "2"}};
    SIMVUS_CO_RETURN_IF_ERROR(
        co_await client.CreateIndex("create index", "damaged", "vec", params));
    for (int i = 0; i < 100 && describe_state != "Failed"; ++i) {
      co_await env.clock->Sleep(Duration::Millis(500));
      Result<proto::DescribeIndexResponse> d = co_await client.DescribeIndex("describe", "damaged");
      if (d.ok()) describe_state = d->state();
    }
    const RangeRequest task{.key = roles::SegmentIndexKey(created->id(), segment_id)};
    Result<RangeResult> t = co_await env.meta_store->Range(task);
    if (t.ok() && !t->kvs.empty()) {
      proto::SegmentIndex index;
      index.ParseFromString(t->kvs.front().value);
      fail_reason = index.fail_reason();
    }
    // DropIndex removes the index; describing it then names what is missing.
    dropped = co_await client.DropIndex("drop index", "damaged");
    Result<proto::DescribeIndexResponse> gone =
        co_await client.DescribeIndex("describe", "damaged");
    after_drop = gone.status().ToString();
    const RangeRequest seg{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> after = co_await env.meta_store->Range(seg);
    if (after.ok()) {
      for (const KeyValue& kv : after->kvs) {
        proto::SegmentInfo info;
        info.ParseFromString(kv.value);
        if (info.id() == segment_id) segment_still_flushed = info.state() == proto::FLUSHED;
      }
    }
    co_return Status::Ok();
  };
  RunOptions options;
  options.seed = 1;
  const RunReport r = RunScenario(scenario, options);
  ASSERT_TRUE(r.pass) << r.invariant << ": " << r.detail;
  ASSERT_FALSE(corrupted_path.empty());
  EXPECT_EQ(describe_state, "Failed");
  EXPECT_NE(fail_reason.find("DATA_LOSS"), std::string::npos) << fail_reason;
  EXPECT_NE(fail_reason.find(corrupted_path), std::string::npos) << fail_reason;
  EXPECT_TRUE(segment_still_flushed);
  EXPECT_TRUE(dropped.ok()) << dropped.ToString();
  EXPECT_NE(after_drop.find("NOT_FOUND: describe index: damaged has no index"), std::string::npos)
      << after_drop;
}

}  // namespace
}  // namespace simvus::scenarios
