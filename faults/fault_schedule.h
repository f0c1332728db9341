// FaultSchedule: an explicit timeline of faults, the one type every fault goes through.
//
// Each FaultAction fires at a time (relative to the moment the schedule is installed, normally the
// workload's first step) and is one kind of the catalogue (fault_catalogue.h): network, process,
// storage or clock. A schedule is data: a scenario file writes one, DrawFaultWindow and
// DrawExtraFaults draw one from a seed, Describe prints each action, and a Nemesis (nemesis.h)
// installs it on a simulated world, where every applied fault is a narrated trace event.
#pragma once

#include <string>
#include <vector>

#include "components/env/rng.h"
#include "components/env/time.h"
#include "faults/fault_catalogue.h"

namespace simvus::faults {

struct FaultAction {
  using Kind = FaultKind;
  Duration at;  // since the schedule was installed
  Kind kind = Kind::kHeal;
  std::vector<std::string> side_a;  // node names (for splits: one side; otherwise the targets)
  std::vector<std::string> side_b;  // the other side of a split
  Duration skew;                    // clock-skew: the offset
  Duration jump;                    // clock-jump: the delta
  Duration duration;                // storage outages, link windows, crash-at's down time
  double probability = 0;           // link-loss, link-duplicate, link-reorder
  Duration delay;                   // link-delay
  std::string point;                // crash-at
};

class FaultSchedule {
 public:
  FaultSchedule& Add(FaultAction action) {
    actions_.push_back(std::move(action));
    return *this;
  }
  const std::vector<FaultAction>& actions() const { return actions_; }
  bool empty() const { return actions_.empty(); }
  // When the last action has fired and every window it opened has closed (relative time).
  Duration End() const;

 private:
  std::vector<FaultAction> actions_;
};

std::string Describe(const FaultAction& action);

// The nodes of a drawn cluster, for draws that pick targets.
struct DrawSpace {
  int64_t span_ms = 0;  // how long the workload is expected to run
  int query_nodes = 1;
  int proxies = 1;
  int data_nodes = 1;
};

// One fault window of the swarm's first draw: a query-node pause, a proxy/rootcoord split, a
// rootcoord crash (maybe with its clock set back), a storage outage, a data-node or DataCoord
// crash, or a proxy clock skew. The draws are exactly those the swarm has always made, so every
// seed keeps its scenario.
void DrawFaultWindow(Rng& rng, int64_t span_ms, FaultSchedule& schedule);

// The faults added later to the swarm, drawn from their own stream so that older draws stay as
// they were: link loss / delay / reordering, isolation, a one-way split between a
// proxy and the log, a hold and release, clock jumps forward and back, and crashes at named points.
void DrawExtraFaults(Rng rng, const DrawSpace& space, FaultSchedule& schedule);

}  // namespace simvus::faults
