// Scenario: a named workload with its cluster shape and its own expectations, run by the Runner.
//
// A scenario is FoundationDB-style: `setup` shapes the world for a seed (network profile, cluster
// size), `workload` drives one or more Clients as coroutines on client nodes, and `check` adds
// scenario-specific expectations on the History to the general consistency checker.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "components/roles/cluster_config.h"
#include "faults/nemesis.h"
#include "reports/consistency_checker.h"
#include "reports/history.h"
#include "scenarios/client.h"
#include "sim/storage/sim_storage.h"
#include "sim/world.h"

namespace simvus::scenarios {

struct ScenarioContext {
  // The simulator's powers: null in real mode (--backend real), where only scenarios marked
  // `real_backends` run.
  sim::SimWorld* world = nullptr;
  sim::SimStorage* storage = nullptr;  // the kafka / s3 / etcd services and their faults
  faults::Nemesis* nemesis = nullptr;  // installs fault schedules; buggify and crash points
  uint64_t seed = 0;
  // The workload's random streams, the same in both modes (the world's ForkRng for this seed).
  Rng ForkRng(std::string_view name) const { return Rng(seed).Fork(name); }
  roles::ClusterConfig config;
  reports::History* history = nullptr;
  // Every client of the run, client-1 first (Scenario::clients of them, on nodes client-1..N).
  std::vector<Client*> clients;
  // One backend down for `outage`, then back ("kafka": a broker, "etcd", "s3"); returns when it
  // is back. In the simulator: the storage services' faults (broker down, etcd leader loss, S3
  // outage). In real mode: the servers simvus started, crashed and restarted
  // (real/backends/outage); null when it uses servers it did not start.
  std::function<Task<Status>(std::string server, Duration outage)> backend_outage;
  // A cluster node (e.g. "querynode-1") crashes: its tasks and in-memory state are gone; and it
  // starts again, recovering from the backends. In the simulator: SimWorld::Crash / Start. In
  // real mode: the runtime tears the node down and builds it again from its role's factory. Null
  // when the roles run in processes of their own (--processes). An unknown or not-running node
  // is an error.
  std::function<Task<Status>(std::string node)> crash_node;
  std::function<Task<Status>(std::string node)> start_node;
  // Prints a scenario-level line (the story, above the narrated events).
  std::function<void(const std::string&)> say;
};

struct Scenario {
  std::string name;
  std::string description;
  // Shapes the world for this seed before nodes start (e.g. random network latency).
  std::function<void(sim::WorldOptions&, roles::ClusterConfig&, Rng&)> setup;
  // The workload, run on the client node "client-1"; more clients are in ScenarioContext.
  std::function<Task<Status>(Client&, ScenarioContext&)> workload;
  // Scenario expectations beyond the general checker; a failed CheckResult names the invariant.
  std::function<reports::CheckResult(const reports::History&)> check;
  // Expectations on what the cluster stored, judged after a successful workload while the
  // cluster still runs (e.g. AuditFlushed: the object store and MetaStore against the History).
  std::function<Task<reports::CheckResult>(ScenarioContext&)> audit;
  int clients = 1;  // client nodes client-1..client-N (1..8)
  // Cluster nodes not started with the others; the workload starts them (a node that joins).
  std::vector<std::string> started_later;
  // Searches use approximate indexes: the checker does not hold them to exact top-k (recall is
  // measured instead, e.g. by bench_read_path).
  bool approximate_search = false;
  // The workload needs nothing of the simulator (no world, storage or nemesis): it also runs
  // with `--backend real`, on the wall clock against real Kafka, etcd and S3.
  bool real_backends = false;
  Duration warmup = Duration::Seconds(1);  // cluster start-up before the workload
  Duration time_limit = Duration::Seconds(120);
};

const std::vector<Scenario>& AllScenarios();
const Scenario* FindScenario(const std::string& name);

}  // namespace simvus::scenarios
