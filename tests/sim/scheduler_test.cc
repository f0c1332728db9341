#include "sim/scheduler.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

namespace simvus::sim {
namespace {

TEST(Scheduler, RunsSameTimeEventsInFifoOrder) {
  Scheduler s(Instant{0});
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) s.At(Instant{100}, [&order, i] { order.push_back(i); });
  while (s.RunOne()) {
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Scheduler, PastEventsRunNowAndTimeNeverGoesBack) {
  Scheduler s(Instant{0});
  s.RunUntil(Instant{500});
  Instant seen{-1};
  s.At(Instant{100}, [&] { seen = s.now(); });
  s.RunOne();
  EXPECT_EQ(seen, Instant{500});
}

// Property: whatever the insertion order, events run sorted by (time, insertion sequence), and
// an event scheduled from inside an event at the same time runs after those already queued.
RC_GTEST_PROP(Scheduler, RunsEventsInTimeThenSequenceOrder, (std::vector<uint8_t> times)) {
  Scheduler s(Instant{0});
  std::vector<std::pair<int64_t, size_t>> ran;
  for (size_t i = 0; i < times.size(); ++i) {
    const int64_t t = times[i];
    s.At(Instant{t}, [&ran, &s, t, i] {
      ran.push_back({t, i});
      RC_ASSERT(s.now().unix_ns == t);
    });
  }
  while (s.RunOne()) {
  }
  RC_ASSERT(ran.size() == times.size());
  for (size_t k = 1; k < ran.size(); ++k) RC_ASSERT(ran[k - 1] < ran[k]);
}

TEST(Scheduler, NestedSameTimeEventRunsAfterQueuedOnes) {
  Scheduler s(Instant{0});
  std::vector<std::string> order;
  s.At(Instant{10}, [&] {
    order.push_back("a");
    s.At(Instant{10}, [&] { order.push_back("nested"); });
  });
  s.At(Instant{10}, [&] { order.push_back("b"); });
  while (s.RunOne()) {
  }
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "nested"}));
}

TEST(Scheduler, RunUntilDoneStopsAtTheDeadline) {
  Scheduler s(Instant{0});
  int fired = 0;
  for (int i = 1; i <= 10; ++i) s.At(Instant{i * 100}, [&] { ++fired; });
  EXPECT_FALSE(s.RunUntilDone([&] { return fired >= 20; }, Instant{450}));
  EXPECT_EQ(fired, 4);
  EXPECT_TRUE(s.RunUntilDone([&] { return fired >= 6; }, Instant{10000}));
  EXPECT_EQ(fired, 6);
}

}  // namespace
}  // namespace simvus::sim
