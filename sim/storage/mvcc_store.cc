#include "sim/storage/mvcc_store.h"

#include <algorithm>
#include <set>
#include <utility>

namespace simvus::sim {

namespace {
const char kCompacted[] = "mvcc: required revision has been compacted";
const char kFuture[] = "mvcc: required revision is a future revision";
const char kNoLease[] = "etcdserver: requested lease not found";

template <typename T>
bool Holds(Compare::Op op, const T& a, const T& b) {
  switch (op) {
    case Compare::Op::kEqual:
      return a == b;
    case Compare::Op::kNotEqual:
      return a != b;
    case Compare::Op::kLess:
      return a < b;
    case Compare::Op::kGreater:
      return a > b;
  }
  return false;
}
}  // namespace

bool MvccStore::InRange(const std::string& k, const std::string& key,
                        const std::string& range_end) {
  if (range_end.empty()) return k == key;
  if (range_end == std::string(1, '\0')) return k >= key;
  return k >= key && k < range_end;
}

const MvccStore::Version* MvccStore::At(const std::vector<Version>& history, int64_t revision) {
  const Version* found = nullptr;
  for (const Version& v : history) {
    if (v.mod_revision > revision) break;
    found = &v;
  }
  return found;
}

KeyValue MvccStore::ToKv(const std::string& key, const Version& v) {
  return KeyValue{key, v.value, v.create_revision, v.mod_revision, v.version, v.lease};
}

std::optional<KeyValue> MvccStore::Current(const std::string& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end() || it->second.empty() || it->second.back().tombstone) return std::nullopt;
  return ToKv(key, it->second.back());
}

Result<RangeResult> MvccStore::Range(const RangeRequest& request) const {
  const int64_t rev = request.revision == 0 ? revision_ : request.revision;
  if (rev > revision_) return OutOfRange(kFuture);
  if (rev < compacted_) return OutOfRange(kCompacted);
  RangeResult result;
  result.revision = revision_;
  for (auto it = keys_.lower_bound(request.key); it != keys_.end(); ++it) {
    if (!InRange(it->first, request.key, request.range_end)) break;
    const Version* v = At(it->second, rev);
    if (v == nullptr || v->tombstone) continue;
    result.count++;
    if (request.limit == 0 || static_cast<int64_t>(result.kvs.size()) < request.limit) {
      result.kvs.push_back(ToKv(it->first, *v));
    }
  }
  result.more = result.count > static_cast<int64_t>(result.kvs.size());
  return result;
}

PutResult MvccStore::PutAt(const std::string& key, Bytes value, LeaseId lease, int64_t rev) {
  std::optional<KeyValue> prev = Current(key);
  Version v;
  v.mod_revision = rev;
  v.create_revision = prev ? prev->create_revision : rev;
  v.version = prev ? prev->version + 1 : 1;
  v.lease = lease;
  v.value = std::move(value);
  if (prev && prev->lease != 0) {
    auto old = leases_.find(prev->lease);
    if (old != leases_.end()) old->second.keys.erase(key);
  }
  if (lease != 0) leases_[lease].keys.insert(key);
  std::vector<Version>& history = keys_[key];
  WatchEvent event{WatchEvent::Type::kPut, ToKv(key, v), prev};
  if (!history.empty() && history.back().mod_revision == rev) {
    history.back() = std::move(v);
  } else {
    history.push_back(std::move(v));
  }
  events_.push_back(std::move(event));
  return PutResult{rev, std::move(prev)};
}

DeleteResult MvccStore::DeleteAt(const std::string& key, const std::string& range_end,
                                 int64_t rev) {
  DeleteResult result;
  for (auto it = keys_.lower_bound(key); it != keys_.end(); ++it) {
    if (!InRange(it->first, key, range_end)) break;
    std::vector<Version>& history = it->second;
    if (history.empty() || history.back().tombstone) continue;
    KeyValue prev = ToKv(it->first, history.back());
    if (prev.lease != 0) {
      auto lease = leases_.find(prev.lease);
      if (lease != leases_.end()) lease->second.keys.erase(it->first);
    }
    Version tomb;
    tomb.mod_revision = rev;
    tomb.tombstone = true;
    if (history.back().mod_revision == rev) {
      history.back() = tomb;
    } else {
      history.push_back(tomb);
    }
    KeyValue deleted;
    deleted.key = it->first;
    deleted.mod_revision = rev;
    events_.push_back({WatchEvent::Type::kDelete, deleted, prev});
    result.prev.push_back(std::move(prev));
    result.deleted++;
  }
  result.revision = rev;
  return result;
}

Result<PutResult> MvccStore::Put(const std::string& key, Bytes value, LeaseId lease) {
  if (key.empty()) return InvalidArgument("etcdserver: key is not provided");
  if (lease != 0 && leases_.count(lease) == 0) return NotFound(kNoLease);
  PutResult result = PutAt(key, std::move(value), lease, revision_ + 1);
  revision_++;
  return result;
}

Result<DeleteResult> MvccStore::Delete(const std::string& key, const std::string& range_end) {
  if (key.empty()) return InvalidArgument("etcdserver: key is not provided");
  DeleteResult result = DeleteAt(key, range_end, revision_ + 1);
  if (result.deleted > 0) revision_++;
  result.revision = revision_;
  return result;
}

bool MvccStore::CompareHolds(const Compare& c) const {
  std::optional<KeyValue> kv = Current(c.key);
  if (c.target == Compare::Target::kValue) {
    // etcd: a value compare on a missing key always fails.
    return kv.has_value() && Holds(c.op, kv->value, c.value);
  }
  const KeyValue zero;
  const KeyValue& k = kv ? *kv : zero;
  int64_t actual = 0;
  switch (c.target) {
    case Compare::Target::kVersion:
      actual = k.version;
      break;
    case Compare::Target::kCreateRevision:
      actual = k.create_revision;
      break;
    case Compare::Target::kModRevision:
      actual = k.mod_revision;
      break;
    case Compare::Target::kLease:
      actual = k.lease;
      break;
    case Compare::Target::kValue:
      break;
  }
  return Holds(c.op, actual, c.number);
}

Status MvccStore::CheckOp(const TxnOp& op) const {
  if (op.key.empty()) return InvalidArgument("etcdserver: key is not provided");
  if (op.kind == TxnOp::Kind::kPut && op.lease != 0 && leases_.count(op.lease) == 0) {
    return NotFound(kNoLease);
  }
  return Status::Ok();
}

Result<TxnOpResult> MvccStore::ApplyOp(const TxnOp& op, int64_t rev, bool* wrote) {
  TxnOpResult out;
  switch (op.kind) {
    case TxnOp::Kind::kRange: {
      // Reads inside a transaction see its earlier writes.
      const int64_t at = *wrote ? rev : revision_;
      RangeResult range;
      range.revision = at;
      for (auto it = keys_.lower_bound(op.key); it != keys_.end(); ++it) {
        if (!InRange(it->first, op.key, op.range_end)) break;
        const Version* v = At(it->second, at);
        if (v == nullptr || v->tombstone) continue;
        range.kvs.push_back(ToKv(it->first, *v));
        range.count++;
      }
      out.range = std::move(range);
      break;
    }
    case TxnOp::Kind::kPut:
      out.put = PutAt(op.key, op.value, op.lease, rev);
      *wrote = true;
      break;
    case TxnOp::Kind::kDelete:
      out.del = DeleteAt(op.key, op.range_end, rev);
      if (out.del.deleted > 0) *wrote = true;
      break;
  }
  return out;
}

Duration EtcdGrantedTtl(Duration asked) {
  const int64_t second = Duration::Seconds(1).ns;
  const int64_t seconds = (asked.ns + second - 1) / second;
  return Duration::Seconds(std::max<int64_t>(seconds, kEtcdMinLeaseTtlSeconds));
}

Status CheckTxnShape(const std::vector<Compare>& compares, const std::vector<TxnOp>& success,
                     const std::vector<TxnOp>& failure) {
  if (compares.size() > kEtcdMaxTxnOps || success.size() > kEtcdMaxTxnOps ||
      failure.size() > kEtcdMaxTxnOps) {
    return InvalidArgument("etcdserver: too many operations in txn request (at most " +
                           std::to_string(kEtcdMaxTxnOps) + " per branch)");
  }
  // etcd's checkIntervals, for both branches whichever runs: a key put twice, or put inside a
  // range the same branch deletes, is refused.
  for (const std::vector<TxnOp>* branch : {&success, &failure}) {
    std::set<std::string> puts;
    std::vector<std::pair<std::string, std::string>> deletes;
    for (const TxnOp& op : *branch) {
      if (op.kind == TxnOp::Kind::kPut && !puts.insert(op.key).second) {
        return InvalidArgument("etcdserver: duplicate key given in txn request: " + op.key);
      }
      if (op.kind == TxnOp::Kind::kDelete) deletes.emplace_back(op.key, op.range_end);
    }
    for (const std::string& key : puts) {
      for (const auto& [from, end] : deletes) {
        const bool inside = end.empty()                   ? key == from
                            : end == std::string(1, '\0') ? key >= from
                                                          : key >= from && key < end;
        if (inside) {
          return InvalidArgument("etcdserver: duplicate key given in txn request: " + key);
        }
      }
    }
  }
  return Status::Ok();
}

Result<TxnResult> MvccStore::Txn(const std::vector<Compare>& compares,
                                 const std::vector<TxnOp>& success,
                                 const std::vector<TxnOp>& failure) {
  SIMVUS_RETURN_IF_ERROR(CheckTxnShape(compares, success, failure));
  bool holds = true;
  for (const Compare& c : compares) holds = holds && CompareHolds(c);
  const std::vector<TxnOp>& ops = holds ? success : failure;
  for (const TxnOp& op : ops) SIMVUS_RETURN_IF_ERROR(CheckOp(op));
  const int64_t rev = revision_ + 1;
  bool wrote = false;
  TxnResult result;
  result.succeeded = holds;
  for (const TxnOp& op : ops) {
    Result<TxnOpResult> r = ApplyOp(op, rev, &wrote);
    result.results.push_back(std::move(r).value());
  }
  if (wrote) revision_ = rev;
  result.revision = revision_;
  for (TxnOpResult& r : result.results) {
    if (r.del.deleted == 0) r.del.revision = revision_;
  }
  return result;
}

Status MvccStore::Compact(int64_t revision) {
  if (revision <= compacted_) return OutOfRange(kCompacted);
  if (revision > revision_) return OutOfRange(kFuture);
  for (auto it = keys_.begin(); it != keys_.end();) {
    std::vector<Version>& history = it->second;
    size_t keep_from = history.size();
    for (size_t i = 0; i < history.size() && history[i].mod_revision <= revision; ++i) {
      keep_from = i;
    }
    if (keep_from < history.size()) {
      history.erase(history.begin(), history.begin() + static_cast<std::ptrdiff_t>(keep_from));
      if (history.front().tombstone) history.erase(history.begin());
    }
    it = history.empty() ? keys_.erase(it) : std::next(it);
  }
  std::erase_if(events_, [revision](const WatchEvent& e) { return e.kv.mod_revision < revision; });
  compacted_ = revision;
  return Status::Ok();
}

Result<std::vector<WatchEvent>> MvccStore::EventsSince(const std::string& key,
                                                       const std::string& range_end,
                                                       int64_t from_revision,
                                                       size_t max_events) const {
  if (from_revision < compacted_) return OutOfRange(kCompacted);
  auto it =
      std::lower_bound(events_.begin(), events_.end(), from_revision,
                       [](const WatchEvent& e, int64_t rev) { return e.kv.mod_revision < rev; });
  std::vector<WatchEvent> out;
  for (; it != events_.end(); ++it) {
    if (out.size() >= max_events && it->kv.mod_revision != out.back().kv.mod_revision) break;
    if (InRange(it->kv.key, key, range_end)) out.push_back(*it);
  }
  return out;
}

LeaseId MvccStore::LeaseGrant(Duration ttl, Instant now) {
  const LeaseId id = next_lease_++;
  leases_[id] = Lease{ttl, now + ttl, {}};
  return id;
}

Result<Duration> MvccStore::LeaseKeepAlive(LeaseId id, Instant now) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return NotFound(kNoLease);
  it->second.expiry = now + it->second.ttl;
  return it->second.ttl;
}

Status MvccStore::LeaseRevoke(LeaseId id) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return NotFound(kNoLease);
  const std::set<std::string> keys = it->second.keys;
  const int64_t rev = revision_ + 1;
  bool wrote = false;
  for (const std::string& key : keys) {
    if (DeleteAt(key, {}, rev).deleted > 0) wrote = true;
  }
  leases_.erase(id);
  if (wrote) revision_ = rev;
  return Status::Ok();
}

const MvccStore::Lease* MvccStore::FindLease(LeaseId id) const {
  auto it = leases_.find(id);
  return it == leases_.end() ? nullptr : &it->second;
}

void MvccStore::ExtendLease(LeaseId id, Instant expiry) {
  auto it = leases_.find(id);
  if (it != leases_.end()) it->second.expiry = std::max(it->second.expiry, expiry);
}

size_t MvccStore::history_versions() const {
  size_t n = 0;
  for (const auto& [key, history] : keys_) n += history.size();
  return n;
}

}  // namespace simvus::sim
