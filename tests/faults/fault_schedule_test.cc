#include "faults/fault_schedule.h"

#include <gtest/gtest.h>

namespace simvus::faults {
namespace {

using Kind = FaultAction::Kind;

struct World {
  sim::SimWorld world{sim::WorldOptions{}};
  sim::NodeId a = world.AddNode("a", nullptr);
  sim::NodeId b = world.AddNode("b", nullptr);
  World() {
    world.Start(a);
    world.Start(b);
  }
  void RunTo(int64_t ms) {
    world.scheduler().RunUntil(world.scheduler().epoch() + Duration::Millis(ms));
  }
};

TEST(FaultSchedule, AppliesActionsAtTheirTimes) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(10), .kind = Kind::kSplit, .side_a = {"a"}, .side_b = {"b"}})
      .Add({.at = Duration::Millis(20), .kind = Kind::kCrash, .side_a = {"b"}})
      .Add({.at = Duration::Millis(30), .kind = Kind::kRestart, .side_a = {"b"}})
      .Add({.at = Duration::Millis(40), .kind = Kind::kHeal})
      .Add({.at = Duration::Millis(50),
            .kind = Kind::kClockSkew,
            .side_a = {"a"},
            .skew = Duration::Seconds(3)});
  ASSERT_TRUE(schedule.Install(w.world).ok());
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
}

TEST(FaultSchedule, OneWaySplitBlocksOneDirection) {
  World w;
  FaultSchedule schedule;
  schedule.Add(
      {.at = Duration::Millis(1), .kind = Kind::kSplitOneWay, .side_a = {"a"}, .side_b = {"b"}});
  ASSERT_TRUE(schedule.Install(w.world).ok());
  w.RunTo(2);
  EXPECT_TRUE(w.world.network().Blocked(w.a, w.b));
  EXPECT_FALSE(w.world.network().Blocked(w.b, w.a));
}

TEST(FaultSchedule, RejectsUnknownNodesAndSchedulesNothing) {
  World w;
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(1), .kind = Kind::kCrash, .side_a = {"a"}})
      .Add({.at = Duration::Millis(2), .kind = Kind::kCrash, .side_a = {"nobody"}});
  Status s = schedule.Install(w.world);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no node 'nobody'"), std::string::npos);
  w.RunTo(10);
  EXPECT_EQ(w.world.Status(w.a), sim::NodeStatus::kUp);
}

TEST(FaultSchedule, EveryFaultIsANarratedTraceEvent) {
  World w;
  w.world.trace().set_keep_events(true);
  FaultSchedule schedule;
  schedule.Add({.at = Duration::Millis(5), .kind = Kind::kPause, .side_a = {"a"}})
      .Add({.at = Duration::Millis(6), .kind = Kind::kResume, .side_a = {"a"}});
  ASSERT_TRUE(schedule.Install(w.world).ok());
  w.RunTo(10);
  int faults = 0;
  for (const auto& e : w.world.trace().events()) faults += e.event.kind == "fault";
  EXPECT_EQ(faults, 2);
}

}  // namespace
}  // namespace simvus::faults
