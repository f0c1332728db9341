#include "components/roles/tso_allocator.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "components/env/rpc.h"
#include "components/roles/root_coord.h"
#include "sim/storage/sim_meta_store.h"
#include "sim/world.h"

namespace simvus::roles {
namespace {

// A root coordinator and a caller on a simulated network with a simulated etcd.
struct TsoCluster {
  sim::SimWorld world;
  sim::NodeId etcd, root, caller;
  std::unique_ptr<sim::SimMetaStoreService> meta;
  ClusterConfig config;

  explicit TsoCluster(uint64_t seed) : world(sim::WorldOptions{.seed = seed}) {
    etcd = world.AddNode("etcd", nullptr);
    meta = std::make_unique<sim::SimMetaStoreService>(world, etcd, sim::SimMetaStoreOptions{});
    world.set_ports(
        {.meta_store = [this](const sim::NodeContext& c) { return meta->ClientFor(c); }});
    root = world.AddNode("rootcoord",
                         [this](Env& env) { return std::make_unique<RootCoord>(env, config); });
    caller = world.AddNode("caller", nullptr);
    world.Start(etcd);
    world.Start(root);
    world.Start(caller);
  }
  ~TsoCluster() { world.Shutdown(); }

  void RunFor(Duration d) { world.scheduler().RunUntil(world.scheduler().now() + d); }

  // Allocates `count` timestamps one RPC at a time; failed calls are skipped.
  std::vector<uint64_t> Allocate(int count) {
    std::vector<uint64_t> out;
    bool done = false;
    world.EnvOf(caller)->Spawn([](TsoCluster* self, int n, std::vector<uint64_t>* got,
                                  bool* finished) -> Task<void> {
      for (int i = 0; i < n; ++i) {
        proto::AllocTimestampRequest request;
        request.set_count(1);
        Result<proto::AllocTimestampResponse> r = co_await CallProto<proto::AllocTimestampResponse>(
            *self->world.EnvOf(self->caller)->transport, "rootcoord", kAllocTimestamp, request,
            Duration::Seconds(1));
        if (r.ok()) got->push_back(r->first_ts());
      }
      *finished = true;
    }(this, count, &out, &done));
    world.scheduler().RunUntilDone([&] { return done; },
                                   world.scheduler().now() + Duration::Seconds(600));
    return out;
  }
};

void ExpectStrictlyIncreasing(const std::vector<uint64_t>& ts) {
  for (size_t i = 1; i < ts.size(); ++i) {
    ASSERT_LT(ts[i - 1], ts[i]) << "at " << i << ": " << ToString(Timestamp{ts[i - 1]}) << " then "
                                << ToString(Timestamp{ts[i]});
  }
}

TEST(TsoAllocator, IssuesIncreasingTimestampsWithRealDates) {
  TsoCluster c(1);
  c.RunFor(Duration::Millis(100));
  std::vector<uint64_t> ts = c.Allocate(200);
  ASSERT_EQ(ts.size(), 200u);
  ExpectStrictlyIncreasing(ts);
  // Physical parts are milliseconds since the Unix epoch, near the world's epoch.
  EXPECT_NEAR(static_cast<double>(Timestamp{ts[0]}.physical_ms()),
              static_cast<double>(c.world.scheduler().epoch().unix_ms()), 1000.0);
}

TEST(TsoAllocator, StaysMonotoneAcrossARestartWithTheClockSetBack) {
  TsoCluster c(2);
  c.RunFor(Duration::Millis(100));
  std::vector<uint64_t> before = c.Allocate(50);
  ASSERT_FALSE(before.empty());
  // The new incarnation's clock is 10 s behind: TSO must still not go back.
  c.world.Crash(c.root);
  c.world.SetClockSkew(c.root, Duration::Seconds(-10));
  c.world.Start(c.root);
  c.RunFor(Duration::Millis(100));
  std::vector<uint64_t> after = c.Allocate(50);
  ASSERT_FALSE(after.empty());
  before.insert(before.end(), after.begin(), after.end());
  ExpectStrictlyIncreasing(before);
}

TEST(TsoAllocator, PersistsAWindowAboveEveryIssuedPhysicalTime) {
  TsoCluster c(3);
  c.RunFor(Duration::Millis(100));
  std::vector<uint64_t> ts = c.Allocate(20);
  ASSERT_FALSE(ts.empty());
  c.RunFor(Duration::Seconds(7));  // several window renewals
  std::vector<uint64_t> later = c.Allocate(20);
  ASSERT_FALSE(later.empty());
  Env* env = c.world.EnvOf(c.root);
  ASSERT_NE(env, nullptr);
  // Read the saved window straight from the meta store.
  std::optional<int64_t> window_ms;
  bool done = false;
  env->Spawn([](MetaStore* meta, std::optional<int64_t>* out, bool* finished) -> Task<void> {
    const RangeRequest read{.key = kTsoKey};
    Result<RangeResult> r = co_await meta->Range(read);
    if (r.ok() && !r->kvs.empty()) {
      int64_t ms = 0;
      for (char ch : r->kvs[0].value) ms = (ms << 8) | static_cast<uint8_t>(ch);
      *out = ms;
    }
    *finished = true;
  }(env->meta_store, &window_ms, &done));
  c.world.scheduler().RunUntilDone([&] { return done; },
                                   c.world.scheduler().now() + Duration::Seconds(5));
  ASSERT_TRUE(window_ms.has_value());
  EXPECT_GT(*window_ms, Timestamp{later.back()}.physical_ms());
}

// Property: any sequence of allocations, restarts and clock jumps keeps TSO strictly increasing.
RC_GTEST_PROP(TsoAllocator, MonotoneUnderRestartsAndClockJumps, ()) {
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  const int rounds = *rc::gen::inRange(1, 5);
  TsoCluster c(seed);
  c.RunFor(Duration::Millis(100));
  std::vector<uint64_t> all;
  for (int round = 0; round < rounds; ++round) {
    std::vector<uint64_t> got = c.Allocate(*rc::gen::inRange(1, 30));
    all.insert(all.end(), got.begin(), got.end());
    const int skew_ms = *rc::gen::inRange(-20000, 20000);
    c.world.Crash(c.root);
    c.world.SetClockSkew(c.root, Duration::Millis(skew_ms));
    c.RunFor(Duration::Millis(*rc::gen::inRange(0, 5000)));
    c.world.Start(c.root);
    c.RunFor(Duration::Millis(100));
  }
  for (size_t i = 1; i < all.size(); ++i) RC_ASSERT(all[i - 1] < all[i]);
}

}  // namespace
}  // namespace simvus::roles
