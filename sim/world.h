// SimWorld: one simulated cluster — the scheduler, the network, the nodes and their lifecycles.
//
// A node has a name, a status (down, up, paused), an incarnation number and a clock skew. Start
// builds a fresh incarnation: its TaskScope, Executor, ports (Env) and Service. Crash destroys the
// incarnation (every coroutine, every byte of memory state); work addressed to a dead incarnation
// is dropped. Pause holds the node's work (deliveries, timers, resumptions) until Resume, in order.
// Storage services (log broker, object store, meta store) are nodes too, so partitions and pauses
// apply to them; their state lives outside any incarnation and survives their crashes.
//
// Determinism: nodes are indexed in the order they are added; every random draw comes from a
// stream forked off the run seed by name.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "components/env/completion.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace_recorder.h"

namespace prometheus {
class Registry;
}

namespace simvus::sim {

enum class NodeStatus { kDown, kUp, kPaused };

class SimWorld;

// What a storage port factory gets to build a client port for one node incarnation.
struct NodeContext {
  SimWorld* world = nullptr;
  NodeId id = 0;
  std::string name;
  uint64_t incarnation = 0;
  ExecutorRef executor;
};

struct PortFactories {
  std::function<std::unique_ptr<Log>(const NodeContext&)> log;
  std::function<std::unique_ptr<ObjectStore>(const NodeContext&)> object_store;
  std::function<std::unique_ptr<MetaStore>(const NodeContext&)> meta_store;
};

struct WorldOptions {
  uint64_t seed = 1;
  // 2026-01-01T00:00:00Z: TSO physical parts look like real dates.
  Instant epoch = Instant{1767225600LL * 1'000'000'000LL};
  LinkProfile link;
};

struct RemoteCallOptions {
  std::string label;  // for the trace: "etcd.Put", "AllocTimestamp", ...
  int64_t request_bytes = 64;
  Duration deadline = Duration::Seconds(5);
};

class SimWorld {
 public:
  using ServiceFactory = std::function<std::unique_ptr<Service>(Env&)>;

  explicit SimWorld(WorldOptions options);
  ~SimWorld();
  SimWorld(const SimWorld&) = delete;
  SimWorld& operator=(const SimWorld&) = delete;

  Scheduler& scheduler() { return scheduler_; }
  SimNetwork& network() { return network_; }
  TraceRecorder& trace() { return trace_; }
  // Every node's metrics (each series labelled with its node); read by reports, never by roles.
  prometheus::Registry& registry() { return *registry_; }
  const WorldOptions& options() const { return options_; }
  Rng ForkRng(std::string_view name) const { return root_rng_.Fork(name); }
  void set_ports(PortFactories ports) { ports_ = std::move(ports); }

  // REQUIRES: names are unique. A null factory makes a node without a service (a storage host).
  NodeId AddNode(std::string name, ServiceFactory factory);
  NodeId Lookup(const std::string& name) const;  // -1 if unknown
  const std::string& NodeName(NodeId id) const { return nodes_[static_cast<size_t>(id)]->name; }
  std::vector<NodeId> AllNodes() const;
  NodeStatus Status(NodeId id) const { return nodes_[static_cast<size_t>(id)]->status; }
  uint64_t Incarnation(NodeId id) const { return nodes_[static_cast<size_t>(id)]->incarnation; }
  Env* EnvOf(NodeId id);              // null if the node is down
  ExecutorRef ExecutorOf(NodeId id);  // null if the node is down

  void Start(NodeId id);
  // Ends every incarnation without trace events (end of a run, before storage services go away).
  void Shutdown();
  void Crash(NodeId id);
  void Restart(NodeId id);
  void Pause(NodeId id);
  void Resume(NodeId id);
  // Crashes a node from inside its own running code (a crash point): it is down at once, so no
  // more of its work runs, and its incarnation is torn down by the next event at this instant.
  void CrashFromWithin(NodeId id);
  void SetClockSkew(NodeId id, Duration skew);
  // Every node started from now on sees these buggify sites and crash points (null: none).
  void set_fault_points(FaultPoints* points) { fault_points_ = points; }
  // Called for every network event after the trace records it (the nemesis's network model).
  void AddNetworkWatcher(SimNetwork::ObserverFn watcher) {
    network_watchers_.push_back(std::move(watcher));
  }
  Duration ClockSkew(NodeId id) const { return nodes_[static_cast<size_t>(id)]->skew; }

  // Runs work in the node's context if it is still in `incarnation` (0: whichever is current)
  // and up; holds it while paused; drops it if the node is down or restarted.
  void RunOnNode(NodeId id, uint64_t incarnation, std::function<void()> work);
  // Runs work on a node that may be down: `if_down` runs (in the world) instead when it is.
  void DeliverOrRefuse(NodeId id, std::function<void()> work, std::function<void()> if_down);

  // Request / response between `from` (its current incarnation) and `to`. `serve` runs as a task
  // on `to`; its result travels back. A down `to` refuses (kUnavailable, after a round trip); a
  // lost request or response surfaces as kDeadlineExceeded: the caller cannot know whether `serve`
  // ran. response_bytes sizes the reply for the network's bandwidth term.
  template <typename T>
  Task<Result<T>> RemoteCall(NodeId from, NodeId to, RemoteCallOptions options,
                             std::function<Task<Result<T>>()> serve,
                             std::function<int64_t(const Result<T>&)> response_bytes);

  // Busy-time accounting for SimCompute: the instant the node's CPU is next free.
  Instant& BusyUntil(NodeId id) { return nodes_[static_cast<size_t>(id)]->busy_until; }

 private:
  struct LiveIncarnation;
  struct Node {
    NodeId id = 0;
    std::string name;
    ServiceFactory factory;
    NodeStatus status = NodeStatus::kDown;
    uint64_t incarnation = 0;
    Duration skew;
    Instant busy_until;
    std::vector<std::function<void()>> held;  // work held while paused
    std::unique_ptr<LiveIncarnation> live;
  };

  void Observe(std::string_view what, NodeId from, NodeId to, const std::string& label,
               int64_t size_bytes);
  void StepEvent(NodeId id, std::string kind, std::string text);
  // Marks an up or paused node down (traced); false if it was down already.
  bool MarkDown(NodeId id);

  WorldOptions options_;
  Scheduler scheduler_;
  Rng root_rng_;
  TraceRecorder trace_;
  SimNetwork network_;
  PortFactories ports_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, NodeId> by_name_;
  FaultPoints* fault_points_ = nullptr;
  std::vector<SimNetwork::ObserverFn> network_watchers_;
};

template <typename T>
Task<Result<T>> SimWorld::RemoteCall(NodeId from, NodeId to, RemoteCallOptions options,
                                     std::function<Task<Result<T>>()> serve,
                                     std::function<int64_t(const Result<T>&)> response_bytes) {
  ExecutorRef caller = ExecutorOf(from);
  SIMVUS_CHECK(caller != nullptr, "RemoteCall from a node that is down");
  const uint64_t caller_incarnation = Incarnation(from);
  Completion<Result<T>> done(caller);
  scheduler_.After(options.deadline, [done, label = options.label] {
    done.Set(DeadlineExceeded(label + ": no response before the deadline"));
  });
  const std::string reply_label = options.label + " reply";
  // The request lives in `serve`: shared, not copied, along the way (a duplicated request runs the
  // same function twice).
  auto serve_once = std::make_shared<const std::function<Task<Result<T>>()>>(std::move(serve));
  network_.Transmit(
      from, to, options.request_bytes, options.label,
      [this, from, to, done, serve_once, response_bytes, reply_label, caller_incarnation] {
        DeliverOrRefuse(
            to,
            [this, from, to, done, serve_once, response_bytes, reply_label, caller_incarnation] {
              Env* env = EnvOf(to);
              env->Spawn([](SimWorld* world, NodeId from_id, NodeId to_id,
                            Completion<Result<T>> completion,
                            std::shared_ptr<const std::function<Task<Result<T>>()>> serve_fn,
                            std::function<int64_t(const Result<T>&)> size_fn, std::string label,
                            uint64_t incarnation) -> Task<void> {
                // The reply is shared, not copied, on its way back (a duplicated reply delivers
                // the same object twice; the Completion keeps the first, so the first to arrive
                // may take it).
                auto result = std::make_shared<Result<T>>(co_await (*serve_fn)());
                const int64_t size = size_fn ? size_fn(*result) : 64;
                world->network().Transmit(
                    to_id, from_id, size, label, [world, from_id, completion, result, incarnation] {
                      world->RunOnNode(from_id, incarnation, [completion, result] {
                        if (!completion.is_set()) completion.Set(std::move(*result));
                      });
                    });
              }(this, from, to, done, serve_once, response_bytes, reply_label, caller_incarnation));
            },
            [this, from, to, done, reply_label, caller_incarnation] {
              // Connection refused: the refusal travels back like a reply.
              network_.Transmit(to, from, 16, reply_label + " (refused)",
                                [this, from, done, caller_incarnation, to] {
                                  RunOnNode(from, caller_incarnation, [this, done, to] {
                                    done.Set(Unavailable(NodeName(to) + " is down"));
                                  });
                                });
            });
      });
  co_return co_await done;
}

}  // namespace simvus::sim
