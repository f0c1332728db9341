// SimMetaStoreService: a simulated etcd cluster on one host node, and its per-node client port.
//
// The data (MvccStore) lives in the world and survives crashes of the host. Each client operation
// is a StorageHost::Call from the calling node to the host (network faults, host crash and pause,
// the service's own faults all apply; a lost reply to a Put or Txn is the indeterminate write).
//
// Watch: MetaWatch::Next asks the host for the events from its next revision; the host answers at
// once if there are some, else waits (a signal woken by every write, plus one timer) for up to
// watch_wait and answers empty, and the client asks again — no busy loop, and a watch survives
// quiet periods. A failed request breaks the watch: Next returns kUnavailable and the caller
// re-establishes it from the last revision it saw plus one (as with etcd's watch stream).
// Leases: expiry runs on sim time (one scheduler timer per grant or keep-alive). When an expiry
// comes due while the service is not serving (host down or paused, or a leader-loss window), the
// lease is refreshed for one more TTL instead — etcd's new leader refreshes every lease — so
// leases expire only while the cluster works, e.g. under a partition between client and etcd.
// Auto-compaction (optional) keeps the history bounded in long runs, as a real deployment does.
// Faults: LeaderLoss (an unavailability window), ExpireLease (a forced early expiry), the
// per-request faults of SimServiceFaults.
// Determinism: as StorageHost; watchers are woken in registration order.
#pragma once

#include <memory>
#include <vector>

#include "components/env/meta_store.h"
#include "sim/storage/mvcc_store.h"
#include "sim/storage/storage_host.h"

namespace simvus::sim {

struct SimMetaStoreOptions {
  Duration read_time = Duration::Micros(200);
  Duration write_time = Duration::Millis(1);  // raft commit and fsync on a quorum
  Duration request_timeout = Duration::Seconds(5);
  Duration watch_wait = Duration::Seconds(10);  // one server-side wait of a watch
  size_t watch_batch_max = 1000;                // events per Next, whole revisions
  // etcd's --auto-compaction-mode=revision: once the history holds 2 * N revisions, compact to
  // keep the last N (0: never; history then grows until a client calls Compact).
  int64_t auto_compact_retain_revisions = 0;
  SimServiceFaults faults;
};

class SimMetaStoreService {
 public:
  SimMetaStoreService(SimWorld& world, NodeId host, SimMetaStoreOptions options);
  SimMetaStoreService(const SimMetaStoreService&) = delete;
  SimMetaStoreService& operator=(const SimMetaStoreService&) = delete;

  // The MetaStore port of one node incarnation (PortFactories::meta_store).
  std::unique_ptr<MetaStore> ClientFor(const NodeContext& context);

  StorageHost& host() { return host_; }
  MvccStore& store() { return store_; }
  const SimMetaStoreOptions& options() const { return options_; }

  // Fault "etcd leader loss": every request in [now, now + d) fails with kUnavailable.
  void LeaderLoss(Duration d);
  // Fault: the lease expires now (its keys are deleted, with events). False if unknown.
  bool ExpireLease(LeaseId id);

  // Server side, run on the host by StorageHost::Call.
  static Task<Result<RangeResult>> ServeRange(SimMetaStoreService* self, RangeRequest request);
  static Task<Result<PutResult>> ServePut(SimMetaStoreService* self, std::string key, Bytes value,
                                          LeaseId lease);
  static Task<Result<DeleteResult>> ServeDelete(SimMetaStoreService* self, std::string key,
                                                std::string range_end);
  static Task<Result<TxnResult>> ServeTxn(SimMetaStoreService* self, std::vector<Compare> compares,
                                          std::vector<TxnOp> success, std::vector<TxnOp> failure);
  static Task<Result<int64_t>> ServeWatchCreate(SimMetaStoreService* self, int64_t start_revision);
  static Task<Result<std::vector<WatchEvent>>> ServeWatchWait(SimMetaStoreService* self,
                                                              std::string key,
                                                              std::string range_end,
                                                              int64_t from_revision);
  static Task<Result<LeaseId>> ServeLeaseGrant(SimMetaStoreService* self, Duration ttl);
  static Task<Result<Duration>> ServeLeaseKeepAlive(SimMetaStoreService* self, LeaseId id);
  static Task<Result<Unit>> ServeLeaseRevoke(SimMetaStoreService* self, LeaseId id);
  static Task<Result<Unit>> ServeCompact(SimMetaStoreService* self, int64_t revision);

 private:
  void ScheduleExpiry(LeaseId id, Instant at);
  void CheckExpiry(LeaseId id);
  void AfterWrite();

  SimWorld& world_;
  SimMetaStoreOptions options_;
  StorageHost host_;
  MvccStore store_;
  std::vector<Signal> watchers_;
};

}  // namespace simvus::sim
