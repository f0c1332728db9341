// Env: the bundle of ports one node (a process in the real system) runs against.
//
// Roles receive an Env& and nothing else from the outside world: no globals, no `if (simulated)`.
// The simulator (sim/) and the real runtime (real/) each build Envs; under simulation faults/
// acts through the world and the Env's FaultPoints (buggify sites, crash points).
// Lifetime: everything an Env points to outlives the node incarnation that uses it. `scope` is
// the incarnation's TaskScope: root tasks spawned there die with the incarnation.
#pragma once

#include <string>

#include "components/env/clock.h"
#include "components/env/compute.h"
#include "components/env/executor.h"
#include "components/env/fault_points.h"
#include "components/env/log.h"
#include "components/env/meta_store.h"
#include "components/env/metrics.h"
#include "components/env/object_store.h"
#include "components/env/rng.h"
#include "components/env/task_scope.h"
#include "components/env/trace.h"
#include "components/env/transport.h"

namespace simvus {

struct Env {
  std::string node;
  ExecutorRef executor;
  TaskScope* scope = nullptr;
  Clock* clock = nullptr;
  Transport* transport = nullptr;
  Log* log = nullptr;
  ObjectStore* object_store = nullptr;
  MetaStore* meta_store = nullptr;
  Compute* compute = nullptr;
  Rng* rng = nullptr;
  Trace* trace = nullptr;
  Metrics* metrics = nullptr;
  FaultPoints* faults = nullptr;  // buggify sites and crash points; null outside simulation

  void Spawn(Task<void> task) const { scope->Spawn(std::move(task)); }
  // Records a narrated step (TraceLevel::kStep) at this node.
  void Step(std::string kind, std::string text, std::string from = {}, std::string to = {}) const {
    trace->Record({TraceLevel::kStep, node, std::move(kind), std::move(from), std::move(to),
                   std::move(text)});
  }
  void Detail(std::string kind, std::string text) const {
    trace->Record({TraceLevel::kDetail, node, std::move(kind), {}, {}, std::move(text)});
  }
};

// FoundationDB's BUGGIFY: true when this site takes its rare path now (see fault_points.h).
inline bool Buggify(const Env& env, std::string_view site) {
  return env.faults != nullptr && env.faults->Buggify(env.node, site);
}

// `co_await CrashPoint(env, "point")`: the node crashes here when a crash is armed at `point`.
inline CrashPointAwaiter CrashPoint(const Env& env, std::string_view point) {
  return CrashPointAwaiter(env.faults != nullptr && env.faults->CrashHere(env.node, point));
}

}  // namespace simvus
