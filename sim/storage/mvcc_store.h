// MvccStore: the data of a simulated etcd cluster — an MVCC key space with a global revision,
// a watch event history and leases — as plain synchronous operations.
//
// Invariants:
//   - revision() starts at 1 (an empty etcd) and grows by exactly one per write transaction that
//     changed something; every change of that transaction carries that revision.
//   - per key, the stored versions are in increasing mod_revision; a delete is a tombstone; a
//     key's version counts its modifications since its latest creation.
//   - events() holds every change with revision >= compacted(), in revision order; a read at
//     revision r (compacted() <= r <= revision()) sees exactly the state after revision r.
//   - a key put with a lease is in that lease's key set until it is deleted, overwritten without
//     the lease, or the lease ends (expiry or revoke deletes all its keys in one revision).
// Time comes in as arguments (lease expiry instants); the service schedules the expiry checks.
// Determinism: ordered containers only; lease ids are a counter.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "components/env/meta_store.h"
#include "components/env/result.h"
#include "components/env/time.h"

namespace simvus::sim {

// etcd's limits, which the real server enforces and the simulation must too (found by the
// conformance suite on etcd 3.4): --max-txn-ops (128 per branch and per compare list), and the
// minimum lease TTL with the default heartbeat and election timeout.
inline constexpr size_t kEtcdMaxTxnOps = 128;
inline constexpr int64_t kEtcdMinLeaseTtlSeconds = 2;

// The TTL etcd grants when asked for `asked`: whole seconds, rounded up, at least the minimum.
Duration EtcdGrantedTtl(Duration asked);
// etcd's checks of a txn before it runs: too many operations, or a key written twice in one
// branch (put twice, or put inside a range the branch deletes): kInvalidArgument.
Status CheckTxnShape(const std::vector<Compare>& compares, const std::vector<TxnOp>& success,
                     const std::vector<TxnOp>& failure);

class MvccStore {
 public:
  int64_t revision() const { return revision_; }
  int64_t compacted() const { return compacted_; }

  Result<RangeResult> Range(const RangeRequest& request) const;
  Result<PutResult> Put(const std::string& key, Bytes value, LeaseId lease);
  Result<DeleteResult> Delete(const std::string& key, const std::string& range_end);
  Result<TxnResult> Txn(const std::vector<Compare>& compares, const std::vector<TxnOp>& success,
                        const std::vector<TxnOp>& failure);
  // kOutOfRange if revision <= compacted() or > revision().
  Status Compact(int64_t revision);

  // Changes on [key, range_end) with revision >= from_revision, at most max_events (whole
  // revisions are never split unless one revision alone exceeds the cap). kOutOfRange if
  // from_revision < compacted().
  Result<std::vector<WatchEvent>> EventsSince(const std::string& key, const std::string& range_end,
                                              int64_t from_revision, size_t max_events) const;

  struct Lease {
    Duration ttl;
    Instant expiry;
    std::set<std::string> keys;
  };
  // REQUIRES: ttl > 0.
  LeaseId LeaseGrant(Duration ttl, Instant now);
  // The TTL after renewal; kNotFound if unknown (expired or revoked).
  Result<Duration> LeaseKeepAlive(LeaseId id, Instant now);
  // Deletes the lease and its keys (one revision, with delete events). kNotFound if unknown.
  Status LeaseRevoke(LeaseId id);
  const Lease* FindLease(LeaseId id) const;
  // Pushes a lease's expiry to at least `expiry` (etcd's new leader refreshes every lease).
  void ExtendLease(LeaseId id, Instant expiry);
  const std::map<LeaseId, Lease>& leases() const { return leases_; }

  // Approximate bytes held (keys, values, history), for benchmarks and reports.
  size_t history_versions() const;

 private:
  struct Version {
    int64_t mod_revision = 0;
    int64_t create_revision = 0;
    int64_t version = 0;
    LeaseId lease = 0;
    bool tombstone = false;
    Bytes value;
  };
  static bool InRange(const std::string& k, const std::string& key, const std::string& range_end);
  // The newest version of `history` at or below `revision`, or null.
  static const Version* At(const std::vector<Version>& history, int64_t revision);
  static KeyValue ToKv(const std::string& key, const Version& v);
  // The live key-value now, or nullopt.
  std::optional<KeyValue> Current(const std::string& key) const;
  bool CompareHolds(const Compare& c) const;

  // Writes at revision `rev` (the pending revision of the current transaction).
  PutResult PutAt(const std::string& key, Bytes value, LeaseId lease, int64_t rev);
  DeleteResult DeleteAt(const std::string& key, const std::string& range_end, int64_t rev);
  Result<TxnOpResult> ApplyOp(const TxnOp& op, int64_t rev, bool* wrote);
  Status CheckOp(const TxnOp& op) const;

  int64_t revision_ = 1;
  int64_t compacted_ = 0;
  std::map<std::string, std::vector<Version>> keys_;
  std::vector<WatchEvent> events_;
  std::map<LeaseId, Lease> leases_;
  LeaseId next_lease_ = 0x7e57000000000001;
};

}  // namespace simvus::sim
