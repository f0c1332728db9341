#include "sim/world.h"

#include <gtest/gtest.h>

#include "components/env/rpc.h"

namespace simvus::sim {
namespace {

// A service that answers "echo" and counts ticks of a loop; its state dies with a crash.
class EchoService : public Service {
 public:
  explicit EchoService(Env& env) : env_(env) {}
  void Start() override {
    env_.transport->Register("echo", [this](std::string, Bytes req) -> Task<Result<Bytes>> {
      ++served_;
      co_return "echo:" + req;
    });
    env_.Spawn([](EchoService* self) -> Task<void> {
      for (;;) {
        co_await self->env_.clock->Sleep(Duration::Millis(10));
        ++self->ticks_;
      }
    }(this));
  }
  int ticks_ = 0;
  int served_ = 0;

 private:
  Env& env_;
};

struct TwoNodes {
  SimWorld world{WorldOptions{}};
  NodeId client, server;
  EchoService* service = nullptr;
  TwoNodes() {
    client = world.AddNode("client", nullptr);
    server = world.AddNode("server", [this](Env& env) {
      auto s = std::make_unique<EchoService>(env);
      service = s.get();
      return s;
    });
    world.Start(client);
    world.Start(server);
  }
  // Spawns a call from the client and runs until it completes; returns its result.
  Result<Bytes> CallEcho(Duration deadline = Duration::Seconds(1)) {
    std::optional<Result<Bytes>> out;
    world.EnvOf(client)->Spawn(
        [](Env* env, Duration d, std::optional<Result<Bytes>>* o) -> Task<void> {
          o->emplace(co_await env->transport->Call("server", "echo", "hi", d));
        }(world.EnvOf(client), deadline, &out));
    world.scheduler().RunUntilDone([&] { return out.has_value(); },
                                   world.scheduler().now() + Duration::Seconds(60));
    EXPECT_TRUE(out.has_value());
    return out.value_or(Result<Bytes>(Internal("no result")));
  }
};

TEST(SimWorld, CallReachesHandlerAndReturns) {
  TwoNodes t;
  Result<Bytes> r = t.CallEcho();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "echo:hi");
}

TEST(SimWorld, CallToCrashedNodeIsRefusedAsUnavailable) {
  TwoNodes t;
  t.world.Crash(t.server);
  Result<Bytes> r = t.CallEcho();
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST(SimWorld, CallAcrossSplitTimesOutAsDeadlineExceeded) {
  TwoNodes t;
  t.world.network().Split({t.client}, {t.server});
  Result<Bytes> r = t.CallEcho(Duration::Millis(300));
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
}

TEST(SimWorld, OneWaySplitLosesTheReplyAfterTheRequestRan) {
  TwoNodes t;
  t.world.network().Split({t.server}, {t.client}, /*one_way=*/true);
  Result<Bytes> r = t.CallEcho(Duration::Millis(300));
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(t.service->served_, 1);  // indeterminate for the caller, yet it ran
}

TEST(SimWorld, CrashLosesMemoryStateAndRestartStartsFresh) {
  TwoNodes t;
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(105));
  EXPECT_EQ(t.service->ticks_, 10);
  t.world.Crash(t.server);
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(100));
  t.world.Start(t.server);
  EXPECT_EQ(t.service->ticks_, 0);  // a new service object
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(55));
  EXPECT_EQ(t.service->ticks_, 5);
  EXPECT_EQ(t.world.Incarnation(t.server), 2u);
}

TEST(SimWorld, PauseHoldsWorkAndResumeRunsItInOrder) {
  TwoNodes t;
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(35));
  EXPECT_EQ(t.service->ticks_, 3);
  t.world.Pause(t.server);
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(100));
  EXPECT_EQ(t.service->ticks_, 3);
  t.world.Resume(t.server);
  t.world.scheduler().RunUntil(t.world.scheduler().now() + Duration::Millis(1));
  EXPECT_EQ(t.service->ticks_, 4);  // the held timer fired once; the loop then sleeps again
}

TEST(SimWorld, ClockSkewShiftsNowButNotSleeps) {
  TwoNodes t;
  t.world.SetClockSkew(t.server, Duration::Seconds(-2));
  Env* env = t.world.EnvOf(t.server);
  EXPECT_EQ(env->clock->Now(), t.world.scheduler().now() - Duration::Seconds(2));
}

TEST(SimWorld, SameSeedSameTraceHash) {
  auto run = [](uint64_t seed) {
    WorldOptions options;
    options.seed = seed;
    options.link.latency_jitter_mean = Duration::Millis(1);
    SimWorld world(options);
    NodeId a = world.AddNode("a", nullptr);
    NodeId b = world.AddNode("b", nullptr);
    world.Start(a);
    world.Start(b);
    for (int i = 0; i < 20; ++i) world.network().Transmit(a, b, 10 + i, "m", [] {});
    while (world.scheduler().RunOne()) {
    }
    return world.trace().hash();
  };
  EXPECT_EQ(run(1), run(1));
  EXPECT_NE(run(1), run(2));
}

}  // namespace
}  // namespace simvus::sim
