// RealRunner: one scenario on the wall clock against real Kafka, etcd and S3 (`simvus run
// <scenario> --backend real`).
//
// The same roles, built by the same factories as in the simulator, run as nodes of one process
// on a RealRuntime (real/runtime): each on its own strand, talking through the in-process
// transport, each with its own Log / ObjectStore / MetaStore adapter. Or, with `remote_roles`,
// each in a `simvus serve` process of its own, over gRPC (`--processes`). The workload, the
// History, the consistency checker and the storage audit are the simulator's, unchanged. Only
// scenarios marked `real_backends` run (they need no world, storage faults or nemesis).
//
// Each run gets its own namespace on the backends: pchannel topics "simvus-<run>-rootcoord-dml_N"
// and objects under "runs/<run>/files"; the MetaStore keys are Milvus's fixed ones, so the runner
// refuses an etcd that already holds them (see real_backends_check). A real run is not
// deterministic: the report has no trace hash.
#pragma once

#include <string>

#include "real/runtime/runtime.h"
#include "scenarios/runner.h"

namespace simvus::scenarios {

struct RealRunOptions {
  RunOptions run;                 // seed (workload streams), injected bug, narration callbacks
  std::string run_id;             // the namespace on the backends
  real::RealPortFactories ports;  // one Log / ObjectStore / MetaStore per node
  // Takes a backend server down for the duration and brings it back (blocking: it runs on a
  // thread of its own); null when the servers are not ours to crash.
  std::function<Status(const std::string& server, Duration outage)> outage;
  // Roles in other processes (`--processes`): started by the caller from RealRunConfig, reached
  // through this transport; the runner then starts only the clients. Null: every role runs in
  // this process.
  std::shared_ptr<real::RemoteTransport> remote_roles;
};

// The cluster config of a real run: the scenario's setup for the seed, the injected bug, and the
// run's own namespace on the backends.
roles::ClusterConfig RealRunConfig(const Scenario& scenario, const RealRunOptions& options);

RunReport RunScenarioReal(const Scenario& scenario, const RealRunOptions& options);

}  // namespace simvus::scenarios
