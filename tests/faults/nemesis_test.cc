#include "faults/nemesis.h"

#include <gtest/gtest.h>

#include <memory>

#include "components/env/service.h"

namespace simvus::faults {
namespace {

using Kind = FaultAction::Kind;

// A service that loops: sleep 10 ms, count, pass a crash point, count again.
class Looper : public Service {
 public:
  Looper(Env& env, int* before, int* after) : env_(env), before_(before), after_(after) {}
  void Start() override { env_.Spawn(Loop()); }

 private:
  Task<void> Loop() {
    for (;;) {
      co_await env_.clock->Sleep(Duration::Millis(10));
      ++*before_;
      co_await CrashPoint(env_, "datanode/sync:after-binlogs");
      ++*after_;
      if (Buggify(env_, "datanode/sync:slow")) ++buggified_;
    }
  }
  Env& env_;
  int* before_;
  int* after_;
  int buggified_ = 0;
};

struct World {
  sim::SimWorld world{sim::WorldOptions{}};
  int before = 0, after = 0;
  sim::NodeId a = world.AddNode("a", nullptr);
  sim::NodeId b = world.AddNode("b", nullptr);
  sim::NodeId loop = world.AddNode(
      "looper", [this](Env& env) { return std::make_unique<Looper>(env, &before, &after); });
  Nemesis nemesis;
  explicit World(uint64_t nemesis_seed = 7) : nemesis(world, nullptr, Rng(nemesis_seed)) {
    world.Start(a);
    world.Start(b);
    world.Start(loop);
  }
  void RunTo(int64_t ms) {
    world.scheduler().RunUntil(world.scheduler().epoch() + Duration::Millis(ms));
  }
  // Sends one message from -> to now; true when it arrives.
  std::shared_ptr<bool> Send(sim::NodeId from, sim::NodeId to) {
    auto arrived = std::make_shared<bool>(false);
    world.network().Transmit(from, to, 16, "ping", [arrived] { *arrived = true; });
    return arrived;
  }
};

TEST(Nemesis, AppliesActionsAtTheirTimes) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(10), .kind = Kind::kSplit, .side_a = {"a"}, .side_b = {"b"}})
      .Add({.at = Duration::Millis(20), .kind = Kind::kCrash, .side_a = {"b"}})
      .Add({.at = Duration::Millis(30), .kind = Kind::kRestart, .side_a = {"b"}})
      .Add({.at = Duration::Millis(40), .kind = Kind::kHeal})
      .Add({.at = Duration::Millis(50),
            .kind = Kind::kClockSkew,
            .side_a = {"a"},
            .skew = Duration::Seconds(3)})
      .Add({.at = Duration::Millis(60),
            .kind = Kind::kClockJump,
            .side_a = {"a"},
            .jump = Duration::Seconds(-5)});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(15);
  EXPECT_TRUE(w.world.network().Blocked(w.a, w.b));
  EXPECT_TRUE(w.world.network().Blocked(w.b, w.a));
  w.RunTo(25);
  EXPECT_EQ(w.world.Status(w.b), sim::NodeStatus::kDown);
  w.RunTo(35);
  EXPECT_EQ(w.world.Status(w.b), sim::NodeStatus::kUp);
  EXPECT_EQ(w.world.Incarnation(w.b), 2u);
  w.RunTo(45);
  EXPECT_FALSE(w.world.network().Blocked(w.a, w.b));
  w.RunTo(55);
  EXPECT_EQ(w.world.ClockSkew(w.a), Duration::Seconds(3));
  w.RunTo(65);
  EXPECT_EQ(w.world.ClockSkew(w.a), Duration::Seconds(-2));       // a jump is relative
  EXPECT_EQ(w.nemesis.MaxClockError("a"), Duration::Seconds(3));  // the largest it ever was
  EXPECT_EQ(w.nemesis.MaxClockError("b"), Duration::Zero());
  EXPECT_EQ(schedule.End(), Duration::Millis(60));
  EXPECT_TRUE(w.nemesis.violation().empty());
}

TEST(Nemesis, OneWaySplitBlocksOneDirectionAndTheModelAgrees) {
  World w;
  FaultSchedule schedule;
  schedule.Add(
      {.at = Duration::Millis(1), .kind = Kind::kSplitOneWay, .side_a = {"a"}, .side_b = {"b"}});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(2);
  EXPECT_TRUE(w.world.network().Blocked(w.a, w.b));
  EXPECT_FALSE(w.world.network().Blocked(w.b, w.a));
  auto lost = w.Send(w.a, w.b);
  auto arrives = w.Send(w.b, w.a);
  w.RunTo(10);
  EXPECT_FALSE(*lost);
  EXPECT_TRUE(*arrives);
  EXPECT_TRUE(w.nemesis.violation().empty()) << w.nemesis.violation();
}

TEST(Nemesis, ANetworkThatBlocksBothWaysOnAOneWaySplitIsCaught) {
  World w;
  w.world.network().set_one_way_split_blocks_both(true);  // the injected bug
  FaultSchedule schedule;
  schedule.Add(
      {.at = Duration::Millis(1), .kind = Kind::kSplitOneWay, .side_a = {"a"}, .side_b = {"b"}});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(2);
  auto should_arrive = w.Send(w.b, w.a);
  w.RunTo(10);
  EXPECT_FALSE(*should_arrive);
  EXPECT_NE(w.nemesis.violation().find("no fault blocks that direction"), std::string::npos)
      << w.nemesis.violation();
  EXPECT_NE(w.nemesis.violation().find("one-way split"), std::string::npos);
}

TEST(Nemesis, RejectsUnknownNodesAndCrashPointsAndSchedulesNothing) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(1), .kind = Kind::kCrash, .side_a = {"a"}})
      .Add({.at = Duration::Millis(2), .kind = Kind::kCrash, .side_a = {"nobody"}});
  Status s = w.nemesis.Install(schedule);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no node 'nobody'"), std::string::npos);
  FaultSchedule bad_point;
  bad_point.Add({.at = Duration::Millis(1),
                 .kind = Kind::kCrashAt,
                 .side_a = {"looper"},
                 .duration = Duration::Millis(5),
                 .point = "nowhere"});
  EXPECT_NE(w.nemesis.Install(bad_point).message().find("no crash point 'nowhere'"),
            std::string::npos);
  FaultSchedule storage;
  storage.Add(
      {.at = Duration::Millis(1), .kind = Kind::kKafkaDown, .duration = Duration::Millis(5)});
  EXPECT_NE(w.nemesis.Install(storage).message().find("no storage"), std::string::npos);
  w.RunTo(10);
  EXPECT_EQ(w.world.Status(w.a), sim::NodeStatus::kUp);
}

TEST(Nemesis, EveryFaultIsANarratedTraceEvent) {
  World w;
  w.world.trace().set_keep_events(true);
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(5), .kind = Kind::kPause, .side_a = {"a"}})
      .Add({.at = Duration::Millis(6), .kind = Kind::kResume, .side_a = {"a"}});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(10);
  int faults = 0;
  for (const auto& e : w.world.trace().events()) faults += e.event.kind == "fault";
  EXPECT_EQ(faults, 2);
  EXPECT_EQ(w.nemesis.coverage().at({"pause", "-"}), 1);
}

TEST(Nemesis, ACrashAtANamedPointStopsTheNodeThereAndRestartsIt) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(15),
                .kind = Kind::kCrashAt,
                .side_a = {"looper"},
                .duration = Duration::Millis(100),
                .point = "datanode/sync:after-binlogs"});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(15);
  EXPECT_EQ(w.before, 1);
  EXPECT_EQ(w.after, 1);
  w.RunTo(21);  // the second pass reaches the point armed since 15 ms: no `after`
  EXPECT_EQ(w.before, 2);
  EXPECT_EQ(w.after, 1);
  EXPECT_EQ(w.world.Status(w.loop), sim::NodeStatus::kDown);
  w.RunTo(119);  // down for 100 ms from the crash at 20 ms
  EXPECT_EQ(w.world.Status(w.loop), sim::NodeStatus::kDown);
  w.RunTo(121);
  EXPECT_EQ(w.world.Status(w.loop), sim::NodeStatus::kUp);
  EXPECT_EQ(w.world.Incarnation(w.loop), 2u);
  w.RunTo(200);
  EXPECT_EQ(w.before - w.after, 1);  // fired once only
  EXPECT_EQ(w.nemesis.fired_points().at("crash-at datanode/sync:after-binlogs"), 1);
}

TEST(Nemesis, LinkLossDropsForItsWindowOnly) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(1),
                .kind = Kind::kLinkLoss,
                .side_a = {"a"},
                .duration = Duration::Millis(50),
                .probability = 1.0});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(2);
  auto lost = w.Send(w.b, w.a);
  w.RunTo(60);
  auto arrives = w.Send(w.b, w.a);
  w.RunTo(70);
  EXPECT_FALSE(*lost);
  EXPECT_TRUE(*arrives);
}

TEST(Nemesis, HeldMessagesArriveOnRelease) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(1), .kind = Kind::kHold, .side_a = {"a"}})
      .Add({.at = Duration::Millis(50), .kind = Kind::kRelease, .side_a = {"a"}});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(2);
  auto held = w.Send(w.b, w.a);
  w.RunTo(49);
  EXPECT_FALSE(*held);
  w.RunTo(60);
  EXPECT_TRUE(*held);
}

TEST(Nemesis, HealAllUndoesEverything) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(1), .kind = Kind::kIsolate, .side_a = {"a"}})
      .Add({.at = Duration::Millis(1), .kind = Kind::kCrash, .side_a = {"b"}})
      .Add({.at = Duration::Millis(1), .kind = Kind::kHold, .side_a = {"looper"}})
      .Add({.at = Duration::Millis(1),
            .kind = Kind::kClockJump,
            .side_a = {"a"},
            .jump = Duration::Seconds(2)});
  ASSERT_TRUE(w.nemesis.Install(schedule).ok());
  w.RunTo(2);
  EXPECT_TRUE(w.world.network().Blocked(w.a, w.b));
  w.nemesis.HealAll();
  EXPECT_FALSE(w.world.network().Blocked(w.a, w.b));
  EXPECT_FALSE(w.world.network().Holding(w.loop));
  EXPECT_EQ(w.world.Status(w.b), sim::NodeStatus::kUp);
  EXPECT_EQ(w.world.ClockSkew(w.a), Duration::Zero());
}

TEST(Nemesis, BuggifyFiresOnlyWhenEnabledAndEachFiringIsTraced) {
  int switched_on = 0, switched_off = 0;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    for (bool enabled : {false, true}) {
      World w(seed);
      w.world.trace().set_keep_events(true);
      w.nemesis.set_buggify(enabled);
      w.RunTo(5000);  // 500 passes over the site
      int traced = 0;
      for (const auto& e : w.world.trace().events()) traced += e.event.kind == "buggify";
      const auto fired = w.nemesis.fired_points().find("buggify datanode/sync:slow");
      const int64_t count = fired == w.nemesis.fired_points().end() ? 0 : fired->second;
      EXPECT_EQ(traced, count);
      if (!enabled) {
        EXPECT_EQ(count, 0);  // never without buggify
      } else if (count == 0) {
        ++switched_off;  // the site was not switched on for this seed
      } else {
        ++switched_on;
        EXPECT_GT(count, 60);  // a quarter of 500 passes, give or take
        EXPECT_LT(count, 190);
      }
    }
  }
  EXPECT_GT(switched_on, 1);
  EXPECT_GT(switched_off, 10);
}

TEST(Catalogue, EveryKindHasANameTheFindsRoundTripAndDescribeSaysSomething) {
  std::set<std::string> names;
  for (const FaultKindInfo& info : Catalogue()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    ASSERT_NE(FindKind(info.name), nullptr);
    EXPECT_EQ(FindKind(info.name)->kind, info.kind);
    FaultAction a;
    a.kind = info.kind;
    a.side_a = {"x"};
    EXPECT_NE(Describe(a), "?");
  }
  EXPECT_EQ(names.size(), 22u);
  EXPECT_EQ(FindKind("meteor"), nullptr);
  EXPECT_TRUE(IsCrashPoint("datanode/sync:after-binlogs"));
  EXPECT_FALSE(IsCrashPoint("datanode/sync"));
}

TEST(Draws, TheSameSeedDrawsTheSameSchedule) {
  DrawSpace space{.span_ms = 2000, .query_nodes = 3, .proxies = 2, .data_nodes = 1};
  int drawn = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    FaultSchedule one, two;
    DrawExtraFaults(Rng(seed), space, one);
    DrawExtraFaults(Rng(seed), space, two);
    ASSERT_EQ(one.actions().size(), two.actions().size());
    for (size_t i = 0; i < one.actions().size(); ++i) {
      EXPECT_EQ(Describe(one.actions()[i]), Describe(two.actions()[i]));
      EXPECT_EQ(one.actions()[i].at, two.actions()[i].at);
    }
    drawn += static_cast<int>(one.actions().size());
  }
  EXPECT_GT(drawn, 20);
}

}  // namespace
}  // namespace simvus::faults
