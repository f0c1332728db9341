#include "sim/storage/sim_storage.h"

#include <algorithm>

namespace simvus::sim {

std::unique_ptr<SimStorage> SimStorage::Install(SimWorld& world, const SimStorageOptions& options) {
  std::unique_ptr<SimStorage> storage(new SimStorage());
  storage->world_ = &world;
  storage->log_host_ = world.AddNode(options.log_host, nullptr);
  storage->object_store_host_ = world.AddNode(options.object_store_host, nullptr);
  storage->meta_store_host_ = world.AddNode(options.meta_store_host, nullptr);
  storage->log_ = std::make_unique<SimLogBroker>(world, storage->log_host_, options.log);
  storage->object_store_ = std::make_unique<SimObjectStoreService>(
      world, storage->object_store_host_, options.object_store);
  storage->meta_store_ =
      std::make_unique<SimMetaStoreService>(world, storage->meta_store_host_, options.meta_store);
  SimStorage* s = storage.get();
  PortFactories ports;
  ports.log = [s](const NodeContext& c) { return s->log_->ClientFor(c); };
  ports.object_store = [s](const NodeContext& c) { return s->object_store_->ClientFor(c); };
  ports.meta_store = [s](const NodeContext& c) { return s->meta_store_->ClientFor(c); };
  world.set_ports(std::move(ports));
  world.Start(storage->log_host_);
  world.Start(storage->object_store_host_);
  world.Start(storage->meta_store_host_);
  return storage;
}

std::string_view StorageFaultName(StorageFault fault) {
  switch (fault) {
    case StorageFault::kLogBrokerDown:
      return "log_broker_down";
    case StorageFault::kLogRetentionLoss:
      return "log_retention_loss";
    case StorageFault::kObjectStoreOutage:
      return "object_store_outage";
    case StorageFault::kObjectStoreSlowDown:
      return "object_store_slowdown";
    case StorageFault::kMetaLeaderLoss:
      return "meta_leader_loss";
    case StorageFault::kMetaLeaseExpiry:
      return "meta_lease_expiry";
  }
  return "unknown";
}

void SimStorage::SetFaults(const SimStorageFaults& faults) {
  log_->host().set_faults(faults.log);
  object_store_->host().set_faults(faults.object_store);
  meta_store_->host().set_faults(faults.meta_store);
}

void SimStorage::Apply(const std::vector<StorageFaultEvent>& plan) {
  for (const StorageFaultEvent& event : plan) {
    world_->scheduler().After(event.start, [this, event] { Begin(event); });
  }
}

void SimStorage::Begin(const StorageFaultEvent& event) {
  NodeId host = log_host_;
  std::string text;
  switch (event.fault) {
    case StorageFault::kLogBrokerDown:
      log_->BrokerDown(event.length);
      text = "kafka broker down for " + ToString(event.length);
      break;
    case StorageFault::kLogRetentionLoss: {
      const int64_t removed =
          log_->state().RemoveAppendedBefore(world_->scheduler().now() - event.length);
      text = "kafka retention loss: " + std::to_string(removed) + " records older than " +
             ToString(event.length) + " removed";
      break;
    }
    case StorageFault::kObjectStoreOutage:
      host = object_store_host_;
      object_store_->Outage(event.length);
      text = "s3 unavailable for " + ToString(event.length);
      break;
    case StorageFault::kObjectStoreSlowDown:
      host = object_store_host_;
      object_store_->SlowDownStorm(event.length);
      text = "s3 throttles (503 SlowDown) for " + ToString(event.length);
      break;
    case StorageFault::kMetaLeaderLoss:
      host = meta_store_host_;
      meta_store_->LeaderLoss(event.length);
      text = "etcd leader loss for " + ToString(event.length);
      break;
    case StorageFault::kMetaLeaseExpiry: {
      host = meta_store_host_;
      std::vector<LeaseId> ids;
      for (const auto& [id, lease] : meta_store_->store().leases()) ids.push_back(id);
      for (LeaseId id : ids) meta_store_->ExpireLease(id);
      text = "every etcd lease expires (" + std::to_string(ids.size()) + ")";
      break;
    }
  }
  world_->trace().Record({TraceLevel::kStep,
                          world_->NodeName(host),
                          "fault." + std::string(StorageFaultName(event.fault)),
                          {},
                          {},
                          std::move(text)});
}

std::vector<StorageFaultEvent> SimStorage::DrawPlan(Rng& rng, Duration horizon, int count,
                                                    Duration length_max, bool allow_data_loss) {
  std::vector<StorageFault> kinds = {StorageFault::kLogBrokerDown, StorageFault::kObjectStoreOutage,
                                     StorageFault::kObjectStoreSlowDown,
                                     StorageFault::kMetaLeaderLoss, StorageFault::kMetaLeaseExpiry};
  if (allow_data_loss) kinds.push_back(StorageFault::kLogRetentionLoss);
  std::vector<StorageFaultEvent> plan;
  for (int i = 0; i < count; ++i) {
    StorageFaultEvent event;
    event.fault =
        kinds[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(kinds.size()) - 1))];
    event.start = Duration::Nanos(rng.UniformInt(0, horizon.ns - 1));
    event.length = Duration::Nanos(rng.UniformInt(1, length_max.ns));
    plan.push_back(event);
  }
  std::stable_sort(
      plan.begin(), plan.end(),
      [](const StorageFaultEvent& a, const StorageFaultEvent& b) { return a.start < b.start; });
  return plan;
}

}  // namespace simvus::sim
