#include "sim/world.h"

#include <prometheus/registry.h>

#include "sim/sim_clock.h"
#include "sim/sim_compute.h"
#include "sim/sim_executor.h"
#include "sim/sim_transport.h"

namespace simvus::sim {

// Everything that dies with a crash. Members are destroyed in reverse order: the scope (every
// suspended coroutine) goes first, then the service, then the ports the coroutines used.
struct SimWorld::LiveIncarnation {
  std::shared_ptr<SimExecutor> executor;
  std::unique_ptr<SimClock> clock;
  std::unique_ptr<SimTransport> transport;
  std::unique_ptr<SimCompute> compute;
  std::unique_ptr<Log> log;
  std::unique_ptr<ObjectStore> object_store;
  std::unique_ptr<MetaStore> meta_store;
  std::unique_ptr<Rng> rng;
  std::unique_ptr<Metrics> metrics;
  Env env;
  std::unique_ptr<Service> service;
  TaskScope scope;
};

SimWorld::SimWorld(WorldOptions options)
    : options_(options),
      scheduler_(options.epoch),
      root_rng_(options.seed),
      trace_(scheduler_),
      network_(scheduler_, root_rng_.Fork("network"),
               // Arrival work routes itself (RunOnNode / DeliverOrRefuse): a request to a down
               // node must be able to answer "connection refused".
               [](NodeId, std::function<void()> work) { work(); }),
      registry_(std::make_shared<prometheus::Registry>()) {
  network_.set_default_profile(options.link);
  network_.set_observer([this](std::string_view what, NodeId from, NodeId to,
                               const std::string& label,
                               int64_t size_bytes) { Observe(what, from, to, label, size_bytes); });
}

SimWorld::~SimWorld() { Shutdown(); }

void SimWorld::Shutdown() {
  // Tear incarnations down in node order before the scheduler and network go away.
  for (auto& node : nodes_) {
    node->live.reset();
    node->status = NodeStatus::kDown;
  }
}

NodeId SimWorld::AddNode(std::string name, ServiceFactory factory) {
  SIMVUS_CHECK(by_name_.count(name) == 0, "node added twice: " + name);
  auto node = std::make_unique<Node>();
  node->id = static_cast<NodeId>(nodes_.size());
  node->name = name;
  node->factory = std::move(factory);
  by_name_[name] = node->id;
  nodes_.push_back(std::move(node));
  return nodes_.back()->id;
}

NodeId SimWorld::Lookup(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : it->second;
}

std::vector<NodeId> SimWorld::AllNodes() const {
  std::vector<NodeId> ids;
  for (const auto& node : nodes_) ids.push_back(node->id);
  return ids;
}

Env* SimWorld::EnvOf(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  return node.live ? &node.live->env : nullptr;
}

ExecutorRef SimWorld::ExecutorOf(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  return node.live ? node.live->executor : nullptr;
}

void SimWorld::Start(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  SIMVUS_CHECK(node.status == NodeStatus::kDown, "Start of a node that is not down: " + node.name);
  node.incarnation++;
  node.status = NodeStatus::kUp;
  node.busy_until = scheduler_.now();
  auto inc = std::make_unique<LiveIncarnation>();
  inc->executor = std::make_shared<SimExecutor>(*this, id, node.incarnation);
  inc->clock = std::make_unique<SimClock>(*this, id, inc->executor);
  inc->transport = std::make_unique<SimTransport>(*this, id);
  inc->compute = std::make_unique<SimCompute>(*this, id, *inc->clock);
  NodeContext context{this, id, node.name, node.incarnation, inc->executor};
  if (ports_.log) inc->log = ports_.log(context);
  if (ports_.object_store) inc->object_store = ports_.object_store(context);
  if (ports_.meta_store) inc->meta_store = ports_.meta_store(context);
  // Each incarnation draws from its own stream: a restart does not replay the old randomness.
  inc->rng = std::make_unique<Rng>(
      root_rng_.Fork("node/" + node.name + "/" + std::to_string(node.incarnation)));
  inc->metrics = std::make_unique<Metrics>(registry_, node.name);
  Env& env = inc->env;
  env.node = node.name;
  env.executor = inc->executor;
  env.scope = &inc->scope;
  env.clock = inc->clock.get();
  env.transport = inc->transport.get();
  env.compute = inc->compute.get();
  env.log = inc->log.get();
  env.object_store = inc->object_store.get();
  env.meta_store = inc->meta_store.get();
  env.rng = inc->rng.get();
  env.trace = &trace_;
  env.metrics = inc->metrics.get();
  env.faults = fault_points_;
  node.live = std::move(inc);
  if (node.incarnation > 1)
    StepEvent(id, "node.restart",
              node.name + " restarts (incarnation " + std::to_string(node.incarnation) + ")");
  if (node.factory) {
    node.live->service = node.factory(node.live->env);
    node.live->service->Start();
  }
}

void SimWorld::Crash(NodeId id) {
  if (MarkDown(id)) nodes_[static_cast<size_t>(id)]->live.reset();
}

void SimWorld::CrashFromWithin(NodeId id) {
  if (!MarkDown(id)) return;
  // The incarnation's own code is on the stack: it is torn down by the next event instead.
  const uint64_t incarnation = nodes_[static_cast<size_t>(id)]->incarnation;
  scheduler_.After(Duration::Zero(), [this, id, incarnation] {
    Node& n = *nodes_[static_cast<size_t>(id)];
    if (n.incarnation == incarnation && n.status == NodeStatus::kDown) n.live.reset();
  });
}

bool SimWorld::MarkDown(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  if (node.status == NodeStatus::kDown) return false;
  StepEvent(id, "node.crash", node.name + " crashes: all in-memory state is lost");
  node.status = NodeStatus::kDown;
  node.held.clear();
  return true;
}

void SimWorld::Restart(NodeId id) {
  Crash(id);
  Start(id);
}

void SimWorld::Pause(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  if (node.status != NodeStatus::kUp) return;
  StepEvent(id, "node.pause", node.name + " pauses (process frozen)");
  node.status = NodeStatus::kPaused;
}

void SimWorld::Resume(NodeId id) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  if (node.status != NodeStatus::kPaused) return;
  StepEvent(id, "node.resume", node.name + " resumes");
  node.status = NodeStatus::kUp;
  auto held = std::move(node.held);
  node.held.clear();
  const uint64_t inc = node.incarnation;
  for (auto& work : held)
    scheduler_.After(Duration::Zero(),
                     [this, id, inc, w = std::move(work)] { RunOnNode(id, inc, w); });
}

void SimWorld::SetClockSkew(NodeId id, Duration skew) {
  nodes_[static_cast<size_t>(id)]->skew = skew;
}

void SimWorld::RunOnNode(NodeId id, uint64_t incarnation, std::function<void()> work) {
  Node& node = *nodes_[static_cast<size_t>(id)];
  if (node.status == NodeStatus::kDown) return;
  if (incarnation != 0 && incarnation != node.incarnation) return;
  if (node.status == NodeStatus::kPaused) {
    node.held.push_back(std::move(work));
    return;
  }
  work();
}

void SimWorld::DeliverOrRefuse(NodeId id, std::function<void()> work,
                               std::function<void()> if_down) {
  if (nodes_[static_cast<size_t>(id)]->status == NodeStatus::kDown) {
    if_down();
    return;
  }
  RunOnNode(id, 0, std::move(work));
}

void SimWorld::Observe(std::string_view what, NodeId from, NodeId to, const std::string& label,
                       int64_t size_bytes) {
  TraceEvent event;
  event.level = TraceLevel::kDetail;
  event.node = NodeName(from);
  event.kind = "net." + std::string(what);
  event.from = NodeName(from);
  event.to = NodeName(to);
  event.text = label + " (" + std::to_string(size_bytes) + " B)";
  trace_.Record(std::move(event));
  for (const SimNetwork::ObserverFn& watch : network_watchers_)
    watch(what, from, to, label, size_bytes);
}

void SimWorld::StepEvent(NodeId id, std::string kind, std::string text) {
  trace_.Record({TraceLevel::kStep, NodeName(id), std::move(kind), {}, {}, std::move(text)});
}

}  // namespace simvus::sim
