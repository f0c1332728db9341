// Unit tests of the simulated storage services' sim-only behaviour: faults, crash survival,
// retention, latency, lease expiry on sim time, determinism.
#include "sim/storage/sim_storage.h"

#include <gtest/gtest.h>

#include "tests/conformance/sim_storage_harness.h"

namespace simvus::sim {
namespace {

using conformance::SimStorageHarness;

// Runs a body on the harness's client node and returns what it produced.
template <typename T>
T RunFor(SimStorageHarness& h, std::function<Task<T>()> body) {
  std::optional<T> out;
  h.Run([&]() -> Task<void> { out.emplace(co_await body()); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}

TEST(SimLogBroker, CrashedBrokerRefusesThenServesItsDataAfterRestart) {
  SimStorageHarness h;
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> {
    EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok());
    EXPECT_TRUE((co_await h.log().Produce(tp, "kept")).ok());
  });
  h.world().Crash(h.storage().log_host());
  Status down = RunFor<Status>(h, [&]() -> Task<Status> {
    Result<LogPosition> r = co_await h.log().Produce(tp, "refused");
    co_return r.status();
  });
  EXPECT_EQ(down.code(), StatusCode::kUnavailable);
  h.world().Start(h.storage().log_host());
  Result<Watermarks> marks = RunFor<Result<Watermarks>>(
      h, [&]() -> Task<Result<Watermarks>> { co_return co_await h.log().GetWatermarks(tp); });
  ASSERT_TRUE(marks.ok());
  EXPECT_EQ(marks->high, 1);
}

TEST(SimLogBroker, BrokerDownWindowRefusesAsUnavailableUntilItEnds) {
  SimStorageHarness h;
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> { EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok()); });
  h.storage().log().BrokerDown(Duration::Seconds(2));
  h.Run([&]() -> Task<void> {
    Result<LogPosition> r = co_await h.log().Produce(tp, "x");
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
    co_await h.Sleep(Duration::Seconds(2));
    Result<LogPosition> ok = co_await h.log().Produce(tp, "y");
    EXPECT_TRUE(ok.ok());
    if (ok.ok()) {
      EXPECT_EQ(ok->offset, 0);  // the refused produce left nothing
    }
  });
}

TEST(SimLogBroker, ALostProduceReplyIsIndeterminateButTheRecordIsAppended) {
  SimStorageOptions options;
  options.log.faults.lost_reply_probability = 1.0;
  SimStorageHarness h(options);
  const TopicPartition tp{"ch", 0};
  (void)h.storage().log().state().CreateTopic("ch", 1);
  h.Run([&]() -> Task<void> {
    Result<LogPosition> r = co_await h.log().Produce(tp, "maybe");
    EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  });
  EXPECT_EQ(h.storage().log().state().GetWatermarks(tp, h.world().scheduler().now())->high, 1);
  EXPECT_EQ(h.storage().log().host().counters().lost_replies, 1u);
}

TEST(SimLogBroker, ALostProduceRequestAppendsNothing) {
  SimStorageOptions options;
  options.log.faults.lost_request_probability = 1.0;
  SimStorageHarness h(options);
  const TopicPartition tp{"ch", 0};
  (void)h.storage().log().state().CreateTopic("ch", 1);
  h.Run([&]() -> Task<void> {
    Result<LogPosition> r = co_await h.log().Produce(tp, "lost");
    EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  });
  EXPECT_EQ(h.storage().log().state().GetWatermarks(tp, h.world().scheduler().now())->high, 0);
}

TEST(SimLogBroker, DuplicatedRequestsAreAppliedOnce) {
  SimStorageHarness h;
  LinkProfile dup = h.world().network().default_profile();
  dup.duplicate_probability = 1.0;
  h.world().network().set_default_profile(dup);
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> {
    EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok());
    for (int i = 0; i < 5; ++i) {
      Result<LogPosition> r = co_await h.log().Produce(tp, std::to_string(i));
      EXPECT_TRUE(r.ok());
      if (r.ok()) {
        EXPECT_EQ(r->offset, i);
      }
    }
  });
  EXPECT_EQ(h.storage().log().state().GetWatermarks(tp, h.world().scheduler().now())->high, 5);
  EXPECT_GT(h.storage().log().host().counters().duplicates_ignored, 0u);
}

TEST(SimLogBroker, ACutBetweenClientAndBrokerTimesOut) {
  SimStorageHarness h;
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> { EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok()); });
  h.world().network().Split({h.client()}, {h.storage().log_host()});
  h.Run([&]() -> Task<void> {
    Result<LogPosition> r = co_await h.log().Produce(tp, "x");
    EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  });
}

TEST(SimLogBroker, RetentionByTimeAndBySizeMovesTheLowWatermark) {
  LogBrokerState state(LogRetention{/*bytes_per_partition_max=*/10, Duration::Seconds(60)});
  ASSERT_TRUE(state.CreateTopic("t", 1).ok());
  const TopicPartition tp{"t", 0};
  const Instant t0{1'000'000'000'000};
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(state.Append(tp, "abc", t0).ok());  // 12 bytes
  EXPECT_EQ(state.GetWatermarks(tp, t0)->low, 1);                             // size: 9 bytes kept
  EXPECT_EQ(state.Read(tp, 0, 10, t0).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(state.Read(tp, 1, 10, t0)->size(), 3u);
  const Instant later = t0 + Duration::Seconds(61);
  Result<Watermarks> marks = state.GetWatermarks(tp, later);
  EXPECT_EQ(marks->low, 4);
  EXPECT_EQ(marks->high, 4);
}

TEST(SimLogBroker, ALongPollWaitsWithoutBusyLooping) {
  SimStorageHarness h;
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> { EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok()); });
  const uint64_t events_before = h.world().scheduler().events_run();
  const Instant start = h.world().scheduler().now();
  h.Run([&]() -> Task<void> {
    Result<std::unique_ptr<LogConsumer>> c = co_await h.log().Subscribe(tp, "g");
    EXPECT_TRUE(c.ok());
    if (!c.ok()) co_return;
    Result<std::vector<LogRecord>> batch = co_await (*c)->Poll(10, Duration::Seconds(30));
    EXPECT_TRUE(batch.ok() && batch->empty());
  });
  EXPECT_GE(h.world().scheduler().now() - start, Duration::Seconds(30));
  EXPECT_LT(h.world().scheduler().events_run() - events_before, 40u);
}

TEST(SimObjectStore, LatencyIsFirstByteplusSizeOverBandwidth) {
  SimStorageOptions options;
  options.object_store.first_byte_latency = Duration::Millis(5);
  options.object_store.bandwidth_bytes_per_sec = 100'000'000;
  SimStorageHarness h(options);
  (void)h.storage().object_store().state().Put("big", Bytes(10'000'000, 'x'));
  const Instant start = h.world().scheduler().now();
  h.Run([&]() -> Task<void> {
    Result<Bytes> r = co_await h.object_store().Get("big");
    EXPECT_TRUE(r.ok());
  });
  const Duration took = h.world().scheduler().now() - start;
  EXPECT_GE(took, Duration::Millis(105));  // 5 ms + 10 MB / 100 MB/s, plus the network
  EXPECT_LT(took, Duration::Millis(120));
}

TEST(SimObjectStore, ThrottlingAndSlowDownStormsAreResourceExhaustedWithoutEffect) {
  SimStorageOptions options;
  options.object_store.faults.throttle_probability = 1.0;
  SimStorageHarness h(options);
  h.Run([&]() -> Task<void> {
    Status s = co_await h.object_store().Put("k", "v");
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  });
  EXPECT_EQ(h.storage().object_store().state().object_count(), 0u);
  h.storage().object_store().host().set_faults({});
  h.storage().object_store().SlowDownStorm(Duration::Seconds(1));
  h.Run([&]() -> Task<void> {
    Status s = co_await h.object_store().Put("k", "v");
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
    co_await h.Sleep(Duration::Seconds(1));
    Status ok = co_await h.object_store().Put("k", "v");
    EXPECT_TRUE(ok.ok()) << ok.ToString();
  });
}

TEST(SimObjectStore, ALostObjectReadsAsDataLossUntilRewritten) {
  SimStorageHarness h;
  (void)h.storage().object_store().state().Put("k", "v");
  ASSERT_TRUE(h.storage().object_store().LoseObject("k"));
  h.Run([&]() -> Task<void> {
    EXPECT_EQ((co_await h.object_store().Get("k")).status().code(), StatusCode::kDataLoss);
    EXPECT_TRUE((co_await h.object_store().Put("k", "w")).ok());
    Result<Bytes> again = co_await h.object_store().Get("k");
    EXPECT_TRUE(again.ok() && *again == "w");
  });
}

TEST(SimMetaStore, AutoCompactionKeepsTheLastRevisions) {
  SimStorageOptions options;
  options.meta_store.auto_compact_retain_revisions = 10;
  SimStorageHarness h(options);
  h.Run([&]() -> Task<void> {
    for (int i = 0; i < 50; ++i) (void)co_await h.meta_store().Put("/k", std::to_string(i));
  });
  const MvccStore& store = h.storage().meta_store().store();
  EXPECT_EQ(store.revision(), 51);
  EXPECT_GE(store.compacted(), 51 - 20);
  EXPECT_LE(store.compacted(), 51 - 10);
  EXPECT_LE(store.history_versions(), 21u);
}

TEST(SimMetaStore, LeaderLossRefusesRequestsThenRecovers) {
  SimStorageHarness h;
  h.storage().meta_store().LeaderLoss(Duration::Seconds(3));
  h.Run([&]() -> Task<void> {
    Result<PutResult> r = co_await h.meta_store().Put("k", "v");
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
    co_await h.Sleep(Duration::Seconds(3));
    Result<PutResult> ok = co_await h.meta_store().Put("k", "v");
    EXPECT_TRUE(ok.ok());
    if (ok.ok()) {
      EXPECT_EQ(ok->revision, 2);  // the refused put wrote nothing
    }
  });
}

TEST(SimMetaStore, ALeaseExpiresWhenItsHolderIsCutOffFromEtcd) {
  SimStorageHarness h;
  LeaseId lease = 0;
  h.Run([&]() -> Task<void> {
    Result<LeaseId> l = co_await h.meta_store().LeaseGrant(Duration::Seconds(10));
    EXPECT_TRUE(l.ok());
    lease = l.ok() ? *l : 0;
    EXPECT_TRUE((co_await h.meta_store().Put("/session/client", "up", lease)).ok());
  });
  h.world().network().Split({h.client()}, {h.storage().meta_store_host()});
  h.Run([&]() -> Task<void> {
    for (int i = 0; i < 4; ++i) {
      Result<Duration> ka = co_await h.meta_store().LeaseKeepAlive(lease);
      EXPECT_EQ(ka.status().code(), StatusCode::kDeadlineExceeded);
    }
  });
  h.world().network().Heal();
  EXPECT_EQ(h.storage().meta_store().store().FindLease(lease), nullptr);
  h.Run([&]() -> Task<void> {
    RangeRequest request;
    request.key = "/session/client";
    Result<RangeResult> r = co_await h.meta_store().Range(request);
    EXPECT_TRUE(r.ok() && r->kvs.empty());
  });
}

TEST(SimMetaStore, LeasesDoNotExpireWhileEtcdItselfIsDown) {
  SimStorageHarness h;
  LeaseId lease = 0;
  h.Run([&]() -> Task<void> {
    Result<LeaseId> l = co_await h.meta_store().LeaseGrant(Duration::Seconds(10));
    lease = l.ok() ? *l : 0;
    EXPECT_TRUE((co_await h.meta_store().Put("/session/client", "up", lease)).ok());
  });
  h.world().Crash(h.storage().meta_store_host());
  h.world().scheduler().RunUntil(h.world().scheduler().now() + Duration::Seconds(25));
  h.world().Start(h.storage().meta_store_host());
  h.Run([&]() -> Task<void> {
    Result<Duration> ka = co_await h.meta_store().LeaseKeepAlive(lease);
    EXPECT_TRUE(ka.ok()) << ka.status().ToString();
  });
}

TEST(SimMetaStore, AForcedExpiryDeletesTheKeysAndWakesWatchers) {
  SimStorageHarness h;
  h.Run([&]() -> Task<void> {
    MetaStore& m = h.meta_store();
    Result<LeaseId> l = co_await m.LeaseGrant(Duration::Seconds(30));
    EXPECT_TRUE(l.ok());
    if (!l.ok()) co_return;
    Result<PutResult> put = co_await m.Put("/s/a", "x", *l);
    EXPECT_TRUE(put.ok());
    Result<std::unique_ptr<MetaWatch>> w = co_await m.Watch("/s/a", "", 0);
    EXPECT_TRUE(w.ok());
    if (!w.ok()) co_return;
    EXPECT_TRUE(h.storage().meta_store().ExpireLease(*l));
    Result<std::vector<WatchEvent>> events = co_await (*w)->Next();
    EXPECT_TRUE(events.ok() && events->size() == 1 &&
                (*events)[0].type == WatchEvent::Type::kDelete);
  });
}

TEST(SimMetaStore, AWatchBreaksWithUnavailableWhenEtcdCrashes) {
  SimStorageHarness h;
  h.Spawn([](SimStorageHarness* harness) -> Task<void> {
    co_await harness->Sleep(Duration::Seconds(1));
    harness->world().Crash(harness->storage().meta_store_host());
  }(&h));
  h.Run([&]() -> Task<void> {
    Result<std::unique_ptr<MetaWatch>> w = co_await h.meta_store().Watch("/k", "", 0);
    EXPECT_TRUE(w.ok());
    if (!w.ok()) co_return;
    Result<std::vector<WatchEvent>> events = co_await (*w)->Next();
    EXPECT_EQ(events.status().code(), StatusCode::kUnavailable);
  });
}

// The same seed and fault configuration give the same run, event for event.
uint64_t TraceHashOfAFaultyRun(uint64_t seed) {
  SimStorageOptions options;
  SimServiceFaults faults;
  faults.unavailable_probability = 0.1;
  faults.lost_reply_probability = 0.1;
  faults.slow_probability = 0.3;
  options.log.faults = faults;
  options.meta_store.faults = faults;
  options.object_store.faults = faults;
  SimStorageHarness h(options, seed);
  const TopicPartition tp{"ch", 0};
  h.Run([&]() -> Task<void> {
    (void)co_await h.log().CreateTopic("ch", 1);
    for (int i = 0; i < 30; ++i) {
      (void)co_await h.log().Produce(tp, std::to_string(i));
      (void)co_await h.meta_store().Put("/k/" + std::to_string(i % 5), std::to_string(i));
      (void)co_await h.object_store().Put("o/" + std::to_string(i % 7), std::to_string(i));
    }
  });
  return h.world().trace().hash();
}

TEST(SimStorage, SameSeedSameTraceHash) {
  EXPECT_EQ(TraceHashOfAFaultyRun(7), TraceHashOfAFaultyRun(7));
  EXPECT_NE(TraceHashOfAFaultyRun(7), TraceHashOfAFaultyRun(8));
}

TEST(SimStorage, AFaultPlanRunsOnSchedule) {
  SimStorageHarness h;
  const TopicPartition tp{"ch", 0};
  h.storage().Apply(
      {{StorageFault::kMetaLeaderLoss, Duration::Seconds(1), Duration::Seconds(2)},
       {StorageFault::kLogRetentionLoss, Duration::Seconds(5), Duration::Seconds(1)}});
  h.Run([&]() -> Task<void> {
    EXPECT_TRUE((co_await h.log().CreateTopic("ch", 1)).ok());
    EXPECT_TRUE((co_await h.log().Produce(tp, "old")).ok());
    co_await h.Sleep(Duration::Millis(1500));
    Result<PutResult> refused = co_await h.meta_store().Put("k", "v");
    EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
    co_await h.Sleep(Duration::Seconds(2));
    EXPECT_TRUE((co_await h.meta_store().Put("k", "v")).ok());
    co_await h.Sleep(Duration::Seconds(2));
    Result<Watermarks> marks = co_await h.log().GetWatermarks(tp);
    EXPECT_TRUE(marks.ok() && marks->low == 1 && marks->high == 1);
  });
}

TEST(SimStorage, DrawnFaultPlansDependOnlyOnTheSeed) {
  Rng a(42), b(42), c(43);
  auto plan_a = SimStorage::DrawPlan(a, Duration::Seconds(60), 8, Duration::Seconds(5), true);
  auto plan_b = SimStorage::DrawPlan(b, Duration::Seconds(60), 8, Duration::Seconds(5), true);
  auto plan_c = SimStorage::DrawPlan(c, Duration::Seconds(60), 8, Duration::Seconds(5), true);
  ASSERT_EQ(plan_a.size(), 8u);
  bool same_as_c = true;
  for (size_t i = 0; i < plan_a.size(); ++i) {
    EXPECT_EQ(plan_a[i].fault, plan_b[i].fault);
    EXPECT_EQ(plan_a[i].start, plan_b[i].start);
    EXPECT_EQ(plan_a[i].length, plan_b[i].length);
    if (i > 0) {
      EXPECT_LE(plan_a[i - 1].start, plan_a[i].start);
    }
    same_as_c = same_as_c && plan_a[i].start == plan_c[i].start;
  }
  EXPECT_FALSE(same_as_c);
}

TEST(SimStorage, InstallAddsHostNodesAndPortsForLaterNodes) {
  SimWorld world(WorldOptions{});
  std::unique_ptr<SimStorage> storage = SimStorage::Install(world, {});
  EXPECT_EQ(world.Lookup("kafka"), storage->log_host());
  EXPECT_EQ(world.Lookup("s3"), storage->object_store_host());
  EXPECT_EQ(world.Lookup("etcd"), storage->meta_store_host());
  NodeId node = world.AddNode("datanode-1", nullptr);
  world.Start(node);
  Env* env = world.EnvOf(node);
  ASSERT_NE(env, nullptr);
  EXPECT_NE(env->log, nullptr);
  EXPECT_NE(env->object_store, nullptr);
  EXPECT_NE(env->meta_store, nullptr);
  world.Shutdown();
}

}  // namespace
}  // namespace simvus::sim
