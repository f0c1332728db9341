// FaultSchedule: an explicit timeline of faults applied to a SimWorld.
//
// Each entry fires at a sim time (relative to the run's epoch) and does one thing: split or heal
// the network, crash / restart / pause / resume a node, or set a node's clock skew. Every applied
// fault is a narrated trace event, so a report shows fault windows next to what they caused.
// Schedules are data: a scenario writes one, or draws one from its seed.
#pragma once

#include <string>
#include <vector>

#include "sim/world.h"

namespace simvus::faults {

struct FaultAction {
  enum class Kind { kSplit, kSplitOneWay, kHeal, kCrash, kRestart, kPause, kResume, kClockSkew };
  Duration at;  // since the epoch
  Kind kind = Kind::kHeal;
  std::vector<std::string> side_a;  // node names (for splits: one side; otherwise the target)
  std::vector<std::string> side_b;  // the other side of a split
  Duration skew;                    // kClockSkew
};

class FaultSchedule {
 public:
  FaultSchedule& Add(FaultAction action) {
    actions_.push_back(std::move(action));
    return *this;
  }
  const std::vector<FaultAction>& actions() const { return actions_; }

  // Schedules every action on the world's scheduler. Unknown node names are reported as a
  // kInvalidArgument naming the action, and nothing is scheduled.
  Status Install(sim::SimWorld& world) const;

 private:
  std::vector<FaultAction> actions_;
};

std::string Describe(const FaultAction& action);

}  // namespace simvus::faults
