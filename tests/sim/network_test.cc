#include "sim/network.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <vector>

namespace simvus::sim {
namespace {

// A bare network over a scheduler: deliveries are counted per (from, to, message id).
struct Harness {
  Scheduler scheduler{Instant{0}};
  std::map<std::pair<NodeId, NodeId>, std::vector<int>> received;
  SimNetwork network{scheduler, Rng(1), [](NodeId, std::function<void()> work) { work(); }};

  explicit Harness(uint64_t seed, LinkProfile profile = {})
      : network(scheduler, Rng(seed), [](NodeId, std::function<void()> work) { work(); }) {
    network.set_default_profile(profile);
  }
  void Send(NodeId from, NodeId to, int id) {
    network.Transmit(from, to, 100, "m", [this, from, to, id] {
      received[{from, to}].push_back(id);
    });
  }
  std::vector<int>& Got(NodeId from, NodeId to) { return received[{from, to}]; }
  void Drain() {
    while (scheduler.RunOne()) {
    }
  }
};

RC_GTEST_PROP(SimNetwork, SplitDropsEverythingAcrossIt, (uint64_t seed)) {
  LinkProfile profile;
  profile.latency_jitter_mean = Duration::Millis(2);
  profile.duplicate_probability = 0.3;
  Harness h(seed, profile);
  h.network.Split({0, 1}, {2, 3});
  for (int i = 0; i < 50; ++i) {
    for (NodeId a = 0; a < 4; ++a) {
      for (NodeId b = 0; b < 4; ++b) {
        if (a != b) h.Send(a, b, i);
      }
    }
  }
  h.Drain();
  for (const auto& [pair, ids] : h.received) {
    const bool across = (pair.first < 2) != (pair.second < 2);
    RC_ASSERT(!across);
  }
  RC_ASSERT(!h.Got(0, 1).empty());
  RC_ASSERT(!h.Got(3, 2).empty());
}

RC_GTEST_PROP(SimNetwork, OneWaySplitBlocksOnlyOneDirection, (uint64_t seed)) {
  Harness h(seed);
  h.network.Split({0}, {1}, /*one_way=*/true);
  for (int i = 0; i < 20; ++i) {
    h.Send(0, 1, i);
    h.Send(1, 0, i);
  }
  h.Drain();
  RC_ASSERT(h.Got(0, 1).empty());
  RC_ASSERT(h.Got(1, 0).size() == 20u);
}

TEST(SimNetwork, MessagesInFlightWhenASplitStartsAreDropped) {
  Harness h(3);
  h.Send(0, 1, 1);
  h.network.Split({0}, {1});
  h.Drain();
  EXPECT_TRUE(h.Got(0, 1).empty());
  h.network.Heal();
  h.Send(0, 1, 2);
  h.Drain();
  EXPECT_EQ(h.Got(0, 1), std::vector<int>{2});
}

RC_GTEST_PROP(SimNetwork, NothingIsDeliveredTwiceWithoutDuplication, (uint64_t seed)) {
  LinkProfile profile;
  profile.latency_jitter_mean = Duration::Millis(3);
  profile.drop_probability = 0.2;
  profile.reorder_probability = 0.5;
  Harness h(seed, profile);
  for (int i = 0; i < 200; ++i) h.Send(0, 1, i);
  h.Drain();
  std::map<int, int> count;
  for (int id : h.Got(0, 1)) count[id]++;
  for (const auto& [id, n] : count) RC_ASSERT(n == 1);
  RC_ASSERT(h.Got(0, 1).size() < 200u);  // some were lost at 20% loss
}

TEST(SimNetwork, DuplicationDeliversSomeMessagesTwice) {
  LinkProfile profile;
  profile.duplicate_probability = 0.5;
  Harness h(11, profile);
  for (int i = 0; i < 100; ++i) h.Send(0, 1, i);
  h.Drain();
  EXPECT_GT(h.Got(0, 1).size(), 120u);
  EXPECT_EQ(h.network.counters().duplicated, h.Got(0, 1).size() - 100);
}

TEST(SimNetwork, JitterReordersAndFixedLatencyKeepsOrder) {
  Harness fixed(5);
  for (int i = 0; i < 50; ++i) fixed.Send(0, 1, i);
  fixed.Drain();
  EXPECT_TRUE(std::is_sorted(fixed.Got(0, 1).begin(), fixed.Got(0, 1).end()));

  LinkProfile profile;
  profile.reorder_probability = 0.5;
  Harness jittery(5, profile);
  for (int i = 0; i < 50; ++i) {
    jittery.Send(0, 1, i);
    jittery.scheduler.RunUntil(jittery.scheduler.now() + Duration::Micros(10));
  }
  jittery.Drain();
  EXPECT_FALSE(std::is_sorted(jittery.Got(0, 1).begin(), jittery.Got(0, 1).end()));
}

TEST(SimNetwork, LatencyGrowsWithMessageSize) {
  Harness h(1);
  Instant small_at, big_at;
  h.network.Transmit(0, 1, 100, "small", [&] { small_at = h.scheduler.now(); });
  h.network.Transmit(0, 1, 100'000'000, "big", [&] { big_at = h.scheduler.now(); });
  h.Drain();
  // 100 MB at 10 Gbit/s is 80 ms on top of the base latency.
  EXPECT_EQ((big_at - small_at).ns, (100'000'000LL - 100) * 1'000'000'000LL / 1'250'000'000LL);
}

}  // namespace
}  // namespace simvus::sim
