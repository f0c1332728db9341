// SimStorage: the three simulated storage services of a run, wired into a SimWorld.
//
// Install adds three host nodes without a service — "kafka", "s3" and "etcd" (names configurable)
// — starts them, builds the services and calls world.set_ports(...), so that every node started
// afterwards (and every later incarnation) gets a Log, an ObjectStore and a MetaStore client port
// whose requests travel over the simulated network to those hosts. Crash, pause or isolate a host
// node to take its service down; its data survives (it lives here, not in the incarnation).
//
// Lifetime: SimStorage must outlive every run of the world's scheduler (its services are captured
// by scheduled events and by client ports). Declare it after the SimWorld it is installed into.
// Determinism: the services' fault streams are forked from the world's seed by service name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/storage/sim_log.h"
#include "sim/storage/sim_meta_store.h"
#include "sim/storage/sim_object_store.h"

namespace simvus::sim {

struct SimStorageOptions {
  std::string log_host = "kafka";
  std::string object_store_host = "s3";
  std::string meta_store_host = "etcd";
  SimLogOptions log;
  SimObjectStoreOptions object_store;
  SimMetaStoreOptions meta_store;
};

// A timed storage fault, for scenario timelines and swarm runs. `start` is relative to the moment
// the plan is applied; `length` is the window (or, for retention loss, the age of the records
// that survive).
enum class StorageFault {
  kLogBrokerDown,        // Kafka refuses every request (kUnavailable) for `length`
  kLogRetentionLoss,     // every partition loses the records older than `length`
  kObjectStoreOutage,    // S3 answers 503 ServiceUnavailable (kUnavailable) for `length`
  kObjectStoreSlowDown,  // S3 answers 503 SlowDown (kResourceExhausted) for `length`
  kMetaLeaderLoss,       // etcd has no leader (kUnavailable) for `length`
  kMetaLeaseExpiry,      // every etcd lease expires at `start` (keys deleted, events emitted)
};
std::string_view StorageFaultName(StorageFault fault);

struct StorageFaultEvent {
  StorageFault fault = StorageFault::kLogBrokerDown;
  Duration start;
  Duration length;
};

// Per-request fault probabilities for all three services at once.
struct SimStorageFaults {
  SimServiceFaults log;
  SimServiceFaults object_store;
  SimServiceFaults meta_store;
};

class SimStorage {
 public:
  // REQUIRES: the host names are not yet nodes of `world`.
  static std::unique_ptr<SimStorage> Install(SimWorld& world, const SimStorageOptions& options);

  SimLogBroker& log() { return *log_; }
  SimObjectStoreService& object_store() { return *object_store_; }
  SimMetaStoreService& meta_store() { return *meta_store_; }
  NodeId log_host() const { return log_host_; }
  NodeId object_store_host() const { return object_store_host_; }
  NodeId meta_store_host() const { return meta_store_host_; }

  // Replaces the per-request fault probabilities of every service.
  void SetFaults(const SimStorageFaults& faults);
  // Schedules every event of `plan` on the world's scheduler (each one is traced as a step when
  // it begins). Events of the plan never corrupt acknowledged data, except kLogRetentionLoss,
  // the named data-loss fault of the log.
  void Apply(const std::vector<StorageFaultEvent>& plan);
  // A seeded plan of `count` events within [0, horizon), each window at most `length_max`,
  // sorted by start. Every draw comes from `rng`.
  static std::vector<StorageFaultEvent> DrawPlan(Rng& rng, Duration horizon, int count,
                                                 Duration length_max, bool allow_data_loss);

 private:
  SimStorage() = default;
  void Begin(const StorageFaultEvent& event);

  SimWorld* world_ = nullptr;

  NodeId log_host_ = -1;
  NodeId object_store_host_ = -1;
  NodeId meta_store_host_ = -1;
  std::unique_ptr<SimLogBroker> log_;
  std::unique_ptr<SimObjectStoreService> object_store_;
  std::unique_ptr<SimMetaStoreService> meta_store_;
};

}  // namespace simvus::sim
