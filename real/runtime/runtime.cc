#include "real/runtime/runtime.h"

#include <prometheus/registry.h>

#include <condition_variable>
#include <future>
#include <thread>

#include "components/env/check.h"
#include "real/runtime/strand_compute.h"

namespace simvus::real {

namespace {

int StrandThreads(int asked) {
  if (asked > 0) return asked;
  const int hardware = static_cast<int>(std::thread::hardware_concurrency());
  return hardware < 2 ? 2 : hardware;
}

// Runs `work` on `strand` and waits for it (the caller is not on the strand). A stopped strand
// runs nothing more, so the work then runs here.
void RunAndWait(Strand& strand, std::function<void()> work) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  if (!strand.TryPost([&work, &done] {
        work();
        done.set_value();
      })) {
    work();
    return;
  }
  finished.wait();
}

}  // namespace

struct RealRuntime::Node {
  std::string name;
  std::shared_ptr<Strand> strand;
  bool owns_strand = true;
  std::shared_ptr<Endpoint> endpoint;
  std::unique_ptr<TaskScope> scope;
  std::unique_ptr<WallClock> clock;
  std::unique_ptr<StrandCompute> compute;
  std::unique_ptr<InProcessTransport> transport;
  std::unique_ptr<Rng> rng;
  std::unique_ptr<Metrics> metrics;
  std::unique_ptr<Log> log;
  std::unique_ptr<ObjectStore> object_store;
  std::unique_ptr<MetaStore> meta_store;
  Env env;
  std::unique_ptr<Service> service;
};

RealRuntime::RealRuntime(RealRuntimeOptions options, RealPortFactories ports)
    : options_(options),
      ports_(std::move(ports)),
      started_(WallNow()),
      io_("io", options.io_threads),
      strands_("strand", StrandThreads(options.strand_threads)),
      hub_(timers_),
      trace_(started_),
      registry_(std::make_shared<prometheus::Registry>()) {
  hub_.SetRemote(options_.remote);
}

RealRuntime::~RealRuntime() { StopAll(); }

void RealRuntime::StartNode(const std::string& name, ServiceFactory factory,
                            const std::string& strand_of) {
  auto node = std::make_unique<Node>();
  Node* n = node.get();
  n->name = name;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SIMVUS_CHECK(nodes_.count(name) == 0, "node started twice: " + name);
    if (strand_of.empty()) {
      n->strand = std::make_shared<Strand>(strands_);
    } else {
      auto owner = nodes_.find(strand_of);
      SIMVUS_CHECK(owner != nodes_.end(), "StartNode: no node " + strand_of + " to share with");
      n->strand = owner->second->strand;
      n->owns_strand = false;
    }
    nodes_.emplace(name, std::move(node));
  }
  RunAndWait(*n->strand, [this, n, &factory] {
    n->scope = std::make_unique<TaskScope>();
    n->endpoint = std::make_shared<Endpoint>();
    n->endpoint->executor = n->strand;
    n->endpoint->scope = n->scope.get();
    n->clock = std::make_unique<WallClock>(timers_, n->strand);
    n->compute = std::make_unique<StrandCompute>();
    n->transport = std::make_unique<InProcessTransport>(hub_, n->name, n->endpoint);
    n->rng = std::make_unique<Rng>(Rng(options_.seed).Fork("node/" + n->name));
    n->metrics = std::make_unique<Metrics>(registry_, n->name);
    if (ports_.log) n->log = ports_.log(n->strand);
    if (ports_.object_store) n->object_store = ports_.object_store(n->strand);
    if (ports_.meta_store) n->meta_store = ports_.meta_store(n->strand);
    n->env = Env{.node = n->name,
                 .executor = n->strand,
                 .scope = n->scope.get(),
                 .clock = n->clock.get(),
                 .transport = n->transport.get(),
                 .log = n->log.get(),
                 .object_store = n->object_store.get(),
                 .meta_store = n->meta_store.get(),
                 .compute = n->compute.get(),
                 .rng = n->rng.get(),
                 .trace = &trace_,
                 .metrics = n->metrics.get(),
                 .faults = nullptr};
    hub_.Attach(n->name, n->endpoint);
    if (factory) {
      n->service = factory(n->env);
      n->service->Start();
    }
  });
}

void RealRuntime::Teardown(Node& n) {
  RunAndWait(*n.strand, [this, &n] {
    hub_.Detach(n.name);
    // As a crash in the simulator: the root tasks (and every Task they await) first, then the
    // service, then the ports the tasks were using. Later work for this strand is dropped.
    n.scope.reset();
    n.service.reset();
    n.log.reset();
    n.object_store.reset();
    n.meta_store.reset();
    if (n.owns_strand) n.strand->Stop();
  });
}

void RealRuntime::StopNode(const std::string& name) {
  std::unique_ptr<Node> node;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = nodes_.find(name);
    if (it == nodes_.end()) return;
    node = std::move(it->second);
    nodes_.erase(it);
  }
  Teardown(*node);
}

void RealRuntime::StopAll() {
  // Every node's tasks die before any port they use, and ports are per node. Nodes sharing a
  // strand go before the strand's owner, which stops it.
  std::map<std::string, std::unique_ptr<Node>> nodes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    nodes.swap(nodes_);
  }
  for (auto& [name, node] : nodes) {
    if (!node->owns_strand) Teardown(*node);
  }
  for (auto& [name, node] : nodes) {
    if (node->owns_strand) Teardown(*node);
  }
}

Env* RealRuntime::EnvOf(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : &it->second->env;
}

bool RealRuntime::RunOn(const std::string& node, Task<void> task, Duration timeout) {
  Env* env = EnvOf(node);
  SIMVUS_CHECK(env != nullptr, "RunOn: node " + node + " is not running");
  struct Done {
    std::mutex mutex;
    std::condition_variable cv;
    bool finished = false;
  };
  auto done = std::make_shared<Done>();
  auto holder = std::make_shared<Task<void>>(std::move(task));
  TaskScope* scope = env->scope;
  env->executor->Post([scope, holder, done] {
    scope->Spawn([](std::shared_ptr<Task<void>> t, std::shared_ptr<Done> d) -> Task<void> {
      co_await std::move(*t);
      std::lock_guard<std::mutex> lock(d->mutex);
      d->finished = true;
      d->cv.notify_all();
    }(holder, done));
  });
  std::unique_lock<std::mutex> lock(done->mutex);
  return done->cv.wait_for(lock, std::chrono::nanoseconds(timeout.ns),
                           [&done] { return done->finished; });
}

}  // namespace simvus::real
