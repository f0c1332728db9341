#include "faults/fault_schedule.h"

namespace simvus::faults {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return "{" + out + "}";
}

}  // namespace

std::string Describe(const FaultAction& a) {
  using K = FaultAction::Kind;
  switch (a.kind) {
    case K::kSplit:
      return "network split " + Join(a.side_a) + " | " + Join(a.side_b);
    case K::kSplitOneWay:
      return "one-way split " + Join(a.side_a) + " -> " + Join(a.side_b);
    case K::kHeal:
      return "network heals";
    case K::kCrash:
      return "crash " + Join(a.side_a);
    case K::kRestart:
      return "restart " + Join(a.side_a);
    case K::kPause:
      return "pause " + Join(a.side_a);
    case K::kResume:
      return "resume " + Join(a.side_a);
    case K::kClockSkew:
      return "clock skew " + ToString(a.skew) + " on " + Join(a.side_a);
  }
  return "?";
}

Status FaultSchedule::Install(sim::SimWorld& world) const {
  std::vector<std::pair<std::vector<sim::NodeId>, std::vector<sim::NodeId>>> resolved;
  for (const FaultAction& action : actions_) {
    std::vector<sim::NodeId> a, b;
    for (const std::string& name : action.side_a) {
      const sim::NodeId id = world.Lookup(name);
      if (id < 0)
        return InvalidArgument("fault '" + Describe(action) + "': no node '" + name + "'");
      a.push_back(id);
    }
    for (const std::string& name : action.side_b) {
      const sim::NodeId id = world.Lookup(name);
      if (id < 0)
        return InvalidArgument("fault '" + Describe(action) + "': no node '" + name + "'");
      b.push_back(id);
    }
    resolved.emplace_back(std::move(a), std::move(b));
  }
  for (size_t i = 0; i < actions_.size(); ++i) {
    const FaultAction action = actions_[i];
    // Named copies, not a structured binding: lambdas capture bindings only from C++20
    // compilers newer than clang 14 (the fuzz preset's).
    const std::vector<sim::NodeId> a = resolved[i].first;
    const std::vector<sim::NodeId> b = resolved[i].second;
    sim::SimWorld* w = &world;
    world.scheduler().At(world.scheduler().epoch() + action.at, [w, action, a, b] {
      using K = FaultAction::Kind;
      w->trace().Record({TraceLevel::kStep, "nemesis", "fault", {}, {}, Describe(action)});
      switch (action.kind) {
        case K::kSplit:
          w->network().Split(a, b);
          break;
        case K::kSplitOneWay:
          w->network().Split(a, b, /*one_way=*/true);
          break;
        case K::kHeal:
          w->network().Heal();
          break;
        case K::kCrash:
          for (auto id : a) w->Crash(id);
          break;
        case K::kRestart:
          for (auto id : a) {
            if (w->Status(id) == sim::NodeStatus::kDown) {
              w->Start(id);
            } else {
              w->Restart(id);
            }
          }
          break;
        case K::kPause:
          for (auto id : a) w->Pause(id);
          break;
        case K::kResume:
          for (auto id : a) w->Resume(id);
          break;
        case K::kClockSkew:
          for (auto id : a) w->SetClockSkew(id, action.skew);
          break;
      }
    });
  }
  return Status::Ok();
}

}  // namespace simvus::faults
