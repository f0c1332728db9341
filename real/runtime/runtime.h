// RealRuntime: the real-mode counterpart of sim::SimWorld for one process. It runs nodes (roles,
// clients) on strands of a thread pool, each with a real Env: the wall clock, StrandCompute, the
// in-process Transport, and storage ports built per node by the caller's factories (librdkafka,
// etcd, S3 adapters: see backends.h). No role knows which runtime it is in.
//
// Threads: `strand_threads` run node work (a node's work never runs concurrently with itself);
// `io_threads` run blocking library calls (Offload); one timer thread; the libraries' own threads.
// Calls from outside any strand (main, a test) use RunOn, which blocks the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "components/env/env.h"
#include "components/env/service.h"
#include "real/runtime/in_process_transport.h"
#include "real/runtime/real_trace.h"
#include "real/runtime/strand.h"
#include "real/runtime/thread_pool.h"
#include "real/runtime/timer_service.h"
#include "real/runtime/wall_clock.h"

namespace prometheus {
class Registry;
}

namespace simvus::real {

// Builds one node's storage ports; each gets the node's strand for its completions. A null
// factory leaves that port null (a node that needs none, or a single-backend test).
struct RealPortFactories {
  std::function<std::unique_ptr<Log>(ExecutorRef)> log;
  std::function<std::unique_ptr<ObjectStore>(ExecutorRef)> object_store;
  std::function<std::unique_ptr<MetaStore>(ExecutorRef)> meta_store;
};

struct RealRuntimeOptions {
  int strand_threads = 0;  // 0: the host's hardware concurrency (at least 2)
  int io_threads = 8;
  uint64_t seed = 1;  // node Rngs: real runs are not deterministic, but jitter stays seeded
  // Nodes of other processes (real/grpc); null: every node the run talks to is in this process.
  std::shared_ptr<RemoteTransport> remote;
};

class RealRuntime {
 public:
  using ServiceFactory = std::function<std::unique_ptr<Service>(Env&)>;

  RealRuntime(RealRuntimeOptions options, RealPortFactories ports);
  ~RealRuntime();  // stops every node, then the threads
  RealRuntime(const RealRuntime&) = delete;
  RealRuntime& operator=(const RealRuntime&) = delete;

  // Builds the node's Env and service on its own strand and Start()s it; returns when started.
  // A null factory makes a node with no service (a client). `strand_of` names a running node
  // whose strand this one shares (clients of one run share a strand, and so their History).
  // REQUIRES: not running already.
  void StartNode(const std::string& name, ServiceFactory factory,
                 const std::string& strand_of = {});
  // Tears the incarnation down on its strand (root tasks, then the service, then the ports), as a
  // crash does in the simulator; returns when done. No-op for a node that is not running.
  void StopNode(const std::string& name);
  void StopAll();
  Env* EnvOf(const std::string& name);  // null if not running

  // Runs `task` as a root task on the node's strand and blocks the calling thread (never a
  // strand) until it finishes or `timeout` passes. Returns false on timeout; the task goes on.
  bool RunOn(const std::string& node, Task<void> task, Duration timeout);

  ThreadPool& io() { return io_; }
  TimerService& timers() { return timers_; }
  // The nodes of this process by name: where a server for other processes delivers (real/grpc).
  TransportHub& hub() { return hub_; }
  RealTrace& trace() { return trace_; }
  // The same registry, shared, for a MetricsEndpoint to serve (real/runtime/metrics_endpoint.h).
  std::shared_ptr<prometheus::Registry> shared_registry() const { return registry_; }
  // Every node's metrics (each series labelled with its node): /metrics, reports.
  prometheus::Registry& registry() { return *registry_; }
  Instant started() const { return started_; }

 private:
  struct Node;
  void Teardown(Node& node);

  RealRuntimeOptions options_;
  RealPortFactories ports_;
  Instant started_;
  TimerService timers_;
  ThreadPool io_;
  ThreadPool strands_;
  TransportHub hub_;
  RealTrace trace_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Node>> nodes_;
};

}  // namespace simvus::real
