// Nemesis: installs fault schedules on a simulated world and keeps what they did.
//
// One per run (the runner makes it). It
//   - applies every FaultAction of the catalogue at its time: network splits, isolation, link
//     windows, holds; crashes, restarts, pauses; storage outages (through SimStorage); clock skews
//     and jumps; and arms crash points (`crash-at`), which fire inside role code;
//   - is the world's FaultPoints: buggify sites (when enabled for the seed: each site is switched
//     on with probability 1/4 the first time it is reached, then fires 1/4 of the times it is
//     evaluated, FoundationDB's scheme) and crash points; every firing is a traced step;
//   - keeps a model of which network directions its faults blocked, and checks every message the
//     network dropped by a split or delivered against it: a drop in a direction no fault blocked
//     (or a delivery across one that is blocked) is the `split-direction` invariant — the fault
//     layer is held to its own specification like the database is;
//   - counts coverage: each fault firing against the lifecycle states the cluster was in at that
//     moment (a probe the scenario layer provides), so a swarm can show which pairs it never hit.
// Determinism: buggify draws come from the nemesis's own stream, in evaluation order.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "components/env/fault_points.h"
#include "components/env/status.h"
#include "faults/fault_schedule.h"
#include "sim/storage/sim_storage.h"
#include "sim/world.h"

namespace simvus::faults {

class Nemesis : public FaultPoints {
 public:
  // `storage` may be null (then storage faults are refused at Install).
  Nemesis(sim::SimWorld& world, sim::SimStorage* storage, Rng rng);
  ~Nemesis() override;
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  void set_buggify(bool on) { buggify_ = on; }
  bool buggify() const { return buggify_; }

  // Schedules every action, timed from now. Unknown node names, crash points that role code does
  // not declare and storage faults without storage are a kInvalidArgument naming the action, and
  // then nothing is scheduled.
  Status Install(const FaultSchedule& schedule);

  // Undoes every fault: splits heal, holds release, links and clocks go back to normal, paused
  // nodes resume, crashed nodes (except clients) start again, armed crash points are disarmed.
  void HealAll();

  // Empty while the network did what the faults asked; else what it did instead (the first time).
  const std::string& violation() const { return violation_; }

  // The lifecycle states the cluster is in now ("Growing", "Flushing", ...), for coverage.
  using LifecycleProbe = std::function<std::vector<std::string>()>;
  void set_lifecycle_probe(LifecycleProbe probe) { probe_ = std::move(probe); }
  // (fault kind, lifecycle state) -> firings; a firing with no state counts under "-".
  const std::map<std::pair<std::string, std::string>, int64_t>& coverage() const {
    return coverage_;
  }
  // The largest clock error (|skew|) the faults gave any node whose name starts with `prefix`:
  // Milvus's Bounded guarantee is the proxy's clock minus gracefulTime, so its promise stretches by
  // the proxy's clock error (semantics §13.6), and the checker's bound with it.
  Duration MaxClockError(const std::string& prefix) const;
  // Crash points and buggify sites that fired, by name -> firings.
  const std::map<std::string, int64_t>& fired_points() const { return fired_points_; }

  // FaultPoints.
  bool Buggify(const std::string& node, std::string_view site) override;
  bool CrashHere(const std::string& node, std::string_view point) override;

 private:
  struct ArmedCrash {
    sim::NodeId node;
    std::string point;
    Duration down;
    bool fired = false;
  };

  void Apply(const FaultAction& action, const std::vector<sim::NodeId>& a,
             const std::vector<sim::NodeId>& b);
  void SetLinks(const std::vector<sim::NodeId>& nodes, const sim::LinkProfile& profile);
  void ModelSplit(const std::vector<sim::NodeId>& a, const std::vector<sim::NodeId>& b,
                  bool one_way);
  void Watch(std::string_view what, sim::NodeId from, sim::NodeId to, const std::string& label);
  void Count(const std::string& kind);

  sim::SimWorld& world_;
  sim::SimStorage* storage_;
  Rng rng_;
  bool buggify_ = false;
  std::map<std::string, bool, std::less<>> sites_;  // buggify site -> enabled this run
  std::vector<ArmedCrash> armed_;
  bool watching_ = false;
  std::set<std::pair<sim::NodeId, sim::NodeId>> model_blocked_;
  std::string violation_;
  LifecycleProbe probe_;
  std::map<std::pair<std::string, std::string>, int64_t> coverage_;
  std::map<std::string, int64_t> fired_points_;
  std::map<std::string, Duration> max_clock_error_;  // node -> largest |skew| it had
  void NoteSkew(sim::NodeId id);
};

}  // namespace simvus::faults
