// Real mode's runtime: strands serialize a node's work, the in-process transport answers,
// refuses and times out as the simulated one does, sleeps last at least their duration.
#include "real/runtime/runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "real/runtime/strand.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {
namespace {

TEST(StrandTest, RunsPostedWorkInOrderAndNeverConcurrently) {
  ThreadPool pool("test", 4);
  auto strand = std::make_shared<Strand>(pool);
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::vector<int> order;  // touched only on the strand
  std::atomic<int> done{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        strand->Post([&, t, i] {
          if (inside.fetch_add(1) != 0) overlapped = true;
          order.push_back(t * 1000 + i);
          inside.fetch_sub(1);
          done.fetch_add(1);
        });
      }
    });
  }
  for (std::thread& p : posters) p.join();
  while (done.load() < 2000) std::this_thread::yield();
  EXPECT_FALSE(overlapped.load());
  ASSERT_EQ(order.size(), 2000u);
  // Per poster, post order is kept.
  std::vector<int> last(4, -1);
  for (int v : order) {
    EXPECT_GT(v % 1000, last[v / 1000]);
    last[v / 1000] = v % 1000;
  }
}

TEST(StrandTest, StoppedStrandDropsWork) {
  ThreadPool pool("test", 2);
  auto strand = std::make_shared<Strand>(pool);
  strand->Stop();
  EXPECT_FALSE(strand->TryPost([] { FAIL() << "ran on a stopped strand"; }));
}

class EchoService : public Service {
 public:
  explicit EchoService(Env& env) : env_(env) {}
  void Start() override {
    env_.transport->Register("echo", [](std::string from, Bytes request) -> Task<Result<Bytes>> {
      co_return from + ":" + request;
    });
    Env* env = &env_;
    env_.transport->Register("slow", [env](std::string, Bytes) -> Task<Result<Bytes>> {
      co_await env->clock->Sleep(Duration::Seconds(2));
      co_return Bytes("late");
    });
  }

 private:
  Env& env_;
};

TEST(InProcessTransportTest, CallsAnswerRefuseAndTimeOut) {
  RealRuntime runtime({.strand_threads = 2}, {});
  runtime.StartNode("server", [](Env& env) { return std::make_unique<EchoService>(env); });
  runtime.StartNode("client", nullptr);
  Env* client = runtime.EnvOf("client");
  std::vector<Result<Bytes>> answers;
  const bool finished = runtime.RunOn(
      "client",
      [](Env* env, std::vector<Result<Bytes>>* out) -> Task<void> {
        out->push_back(co_await env->transport->Call("server", "echo", "hi", Duration::Seconds(5)));
        out->push_back(co_await env->transport->Call("nobody", "echo", "hi", Duration::Seconds(5)));
        out->push_back(
            co_await env->transport->Call("server", "nothing", "", Duration::Seconds(5)));
        out->push_back(co_await env->transport->Call("server", "slow", "", Duration::Millis(100)));
      }(client, &answers),
      Duration::Seconds(10));
  ASSERT_TRUE(finished);
  ASSERT_EQ(answers.size(), 4u);
  ASSERT_TRUE(answers[0].ok()) << answers[0].status().ToString();
  EXPECT_EQ(*answers[0], "client:hi");
  EXPECT_EQ(answers[1].status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(answers[2].status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(answers[3].status().code(), StatusCode::kDeadlineExceeded);
}

TEST(InProcessTransportTest, AStoppedNodeRefusesCalls) {
  RealRuntime runtime({.strand_threads = 2}, {});
  runtime.StartNode("server", [](Env& env) { return std::make_unique<EchoService>(env); });
  runtime.StartNode("client", nullptr);
  runtime.StopNode("server");
  Result<Bytes> answer = Bytes();
  ASSERT_TRUE(runtime.RunOn(
      "client",
      [](Env* env, Result<Bytes>* out) -> Task<void> {
        *out = co_await env->transport->Call("server", "echo", "hi", Duration::Seconds(5));
      }(runtime.EnvOf("client"), &answer),
      Duration::Seconds(10)));
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
}

TEST(WallClockTest, SleepLastsAtLeastItsDuration) {
  RealRuntime runtime({.strand_threads = 2}, {});
  runtime.StartNode("node", nullptr);
  Env* env = runtime.EnvOf("node");
  Duration slept;
  ASSERT_TRUE(runtime.RunOn(
      "node",
      [](Env* e, Duration* out) -> Task<void> {
        const Instant before = e->clock->Now();
        co_await e->clock->Sleep(Duration::Millis(50));
        *out = e->clock->Now() - before;
      }(env, &slept),
      Duration::Seconds(5)));
  EXPECT_GE(slept, Duration::Millis(50));
}

}  // namespace
}  // namespace simvus::real
