// SimObjectStoreService: a simulated S3 bucket on one host node, and its per-node client port.
//
// The data (ObjectStoreState) lives in the world and survives crashes of the host. Each client
// operation is a StorageHost::Call from the calling node to the host, whose service time is
// first_byte_latency + bytes / bandwidth (the bytes written or read), on top of the network.
// Faults: the per-request faults of SimServiceFaults (throttle_probability is S3's 503 SlowDown,
// a lost Put reply is the indeterminate Put), outage windows (Outage, SlowDownStorm) and the
// explicit data-loss fault (LoseObject).
// Determinism: as StorageHost.
#pragma once

#include <memory>

#include "components/env/object_store.h"
#include "sim/storage/object_store_state.h"
#include "sim/storage/storage_host.h"

namespace simvus::sim {

struct SimObjectStoreOptions {
  Duration first_byte_latency = Duration::Millis(5);
  int64_t bandwidth_bytes_per_sec = 200'000'000;  // per request
  Duration request_timeout = Duration::Seconds(30);
  SimServiceFaults faults;
};

class SimObjectStoreService {
 public:
  SimObjectStoreService(SimWorld& world, NodeId host, SimObjectStoreOptions options);
  SimObjectStoreService(const SimObjectStoreService&) = delete;
  SimObjectStoreService& operator=(const SimObjectStoreService&) = delete;

  // The ObjectStore port of one node incarnation (PortFactories::object_store).
  std::unique_ptr<ObjectStore> ClientFor(const NodeContext& context);

  StorageHost& host() { return host_; }
  ObjectStoreState& state() { return state_; }
  const SimObjectStoreOptions& options() const { return options_; }
  // first_byte_latency + bytes / bandwidth.
  Duration ServiceTime(int64_t bytes) const;

  // Fault: every request in [now, now + d) fails with kUnavailable (503 ServiceUnavailable).
  void Outage(Duration d);
  // Fault: every request in [now, now + d) is throttled: kResourceExhausted (503 SlowDown).
  void SlowDownStorm(Duration d);
  // Fault "data loss": the object's bytes are gone (kDataLoss on read). False if missing.
  bool LoseObject(const std::string& key) { return state_.Lose(key); }

 private:
  SimWorld& world_;
  SimObjectStoreOptions options_;
  StorageHost host_;
  ObjectStoreState state_;
};

}  // namespace simvus::sim
