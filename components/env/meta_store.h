// MetaStore: the metadata store (etcd v3 semantics).
//
// Model:
//   - One global revision, incremented by every write transaction (put, delete that deleted
//     something, txn with writes). Each key has create_revision, mod_revision and version (number
//     of modifications since creation; a delete resets it).
//   - Range reads a key or [key, range_end) (range_end "\0" = every key >= key; PrefixEnd(p)
//     gives the end of prefix p), at the current revision or a past one until it is compacted
//     (then kOutOfRange "required revision has been compacted").
//   - Txn: if every compare holds, run the success ops, else the failure ops, atomically.
//   - Watch from a start revision delivers every event on the range in revision order; a start
//     revision below the compacted revision fails with kOutOfRange.
//   - Leases have a TTL; keys put with a lease are deleted (with delete events) when the lease
//     expires or is revoked. Node sessions are leases.
// Errors: kUnavailable (no leader), kDeadlineExceeded (a write may or may not have happened),
// kNotFound (unknown lease).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "components/env/bytes.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

using LeaseId = int64_t;  // 0 = no lease

struct KeyValue {
  std::string key;
  Bytes value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;
  LeaseId lease = 0;
  bool operator==(const KeyValue&) const = default;
};

// The smallest key greater than every key with this prefix ("\0" if none: the whole keyspace).
std::string PrefixEnd(const std::string& prefix);

struct RangeRequest {
  std::string key;
  std::string range_end;  // empty: just `key`
  int64_t revision = 0;   // 0: current
  int64_t limit = 0;      // 0: no limit
};

struct RangeResult {
  std::vector<KeyValue> kvs;
  int64_t revision = 0;  // store revision the read was served at
  int64_t count = 0;     // keys in range (may exceed kvs.size() with a limit)
  bool more = false;
};

struct PutResult {
  int64_t revision = 0;
  std::optional<KeyValue> prev;
};

struct DeleteResult {
  int64_t revision = 0;
  int64_t deleted = 0;
  std::vector<KeyValue> prev;
};

struct Compare {
  enum class Target { kValue, kVersion, kCreateRevision, kModRevision, kLease };
  enum class Op { kEqual, kNotEqual, kLess, kGreater };
  std::string key;
  Target target = Target::kValue;
  Op op = Op::kEqual;
  Bytes value;         // for kValue
  int64_t number = 0;  // for the others; a missing key has version/revisions/lease 0
};

struct TxnOp {
  enum class Kind { kRange, kPut, kDelete };
  Kind kind = Kind::kPut;
  std::string key;
  std::string range_end;  // kRange and kDelete
  Bytes value;            // kPut
  LeaseId lease = 0;      // kPut
};

struct TxnOpResult {
  RangeResult range;  // kRange
  PutResult put;      // kPut
  DeleteResult del;   // kDelete
};

struct TxnResult {
  bool succeeded = false;
  int64_t revision = 0;
  std::vector<TxnOpResult> results;
};

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  // for kDelete: key and mod_revision of the delete
  std::optional<KeyValue> prev;
};

class MetaWatch {
 public:
  virtual ~MetaWatch() = default;
  // The next events in revision order (waits until there is at least one). kOutOfRange when the
  // watch's start revision was compacted; kUnavailable when the watch was broken and must be
  // re-established from the last revision seen plus one.
  virtual Task<Result<std::vector<WatchEvent>>> Next() = 0;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;
  virtual Task<Result<RangeResult>> Range(RangeRequest request) = 0;
  virtual Task<Result<PutResult>> Put(std::string key, Bytes value, LeaseId lease = 0) = 0;
  virtual Task<Result<DeleteResult>> Delete(std::string key, std::string range_end = {}) = 0;
  virtual Task<Result<TxnResult>> Txn(std::vector<Compare> compares, std::vector<TxnOp> success,
                                      std::vector<TxnOp> failure) = 0;
  virtual Task<Result<std::unique_ptr<MetaWatch>>> Watch(std::string key, std::string range_end,
                                                         int64_t start_revision) = 0;
  virtual Task<Result<LeaseId>> LeaseGrant(Duration ttl) = 0;
  // Returns the remaining TTL after renewal; kNotFound if the lease has expired or was revoked.
  virtual Task<Result<Duration>> LeaseKeepAlive(LeaseId lease) = 0;
  virtual Task<Status> LeaseRevoke(LeaseId lease) = 0;
  virtual Task<Status> Compact(int64_t revision) = 0;
};

}  // namespace simvus
