#include "reports/flush_audit.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

namespace simvus::reports {

namespace {

using Key = std::pair<int64_t, uint64_t>;  // (pk, ts)

CheckResult Fail(std::string invariant, std::string detail) {
  CheckResult r;
  r.ok = false;
  r.invariant = std::move(invariant);
  r.detail = std::move(detail);
  return r;
}

bool Writes(OpType t) { return t == OpType::kInsert || t == OpType::kUpsert; }
bool Deletes(OpType t) { return t == OpType::kDelete || t == OpType::kUpsert; }

struct Written {
  std::map<Key, int64_t> count;  // acked (pk, ts) -> how many rows clients wrote
  std::set<int64_t> maybe;       // pks of writes with an unknown outcome
};

Written Collect(const History& history, bool deletes) {
  Written w;
  for (const Operation& op : history.ops()) {
    if (deletes ? !Deletes(op.type) : !Writes(op.type)) continue;
    if (op.outcome == Outcome::kOk) {
      for (int64_t pk : op.pks) ++w.count[{pk, op.ts}];
    } else if (op.outcome == Outcome::kInfo || op.outcome == Outcome::kPending) {
      w.maybe.insert(op.pks.begin(), op.pks.end());
    }
  }
  return w;
}

std::optional<CheckResult> CheckStoredAgainstWritten(const std::vector<StoredRow>& stored,
                                                     const Written& written, const char* what) {
  std::map<Key, int64_t> seen;
  for (const StoredRow& r : stored) {
    const int64_t n = ++seen[{r.pk, r.ts}];
    if (written.maybe.count(r.pk)) continue;
    auto w = written.count.find({r.pk, r.ts});
    if (w == written.count.end()) {
      return Fail("flush-phantom", std::string(what) + " pk " + std::to_string(r.pk) + " ts " +
                                       std::to_string(r.ts) + " in segment " +
                                       std::to_string(r.segment_id) + " was never written");
    }
    if (n > w->second) {
      return Fail("flush-double-apply", std::string(what) + " pk " + std::to_string(r.pk) + " ts " +
                                            std::to_string(r.ts) + " is stored " +
                                            std::to_string(n) + " times (again in segment " +
                                            std::to_string(r.segment_id) + ") but was written " +
                                            std::to_string(w->second) + " time(s)");
    }
  }
  return std::nullopt;
}

bool Legal(const std::string& level, bool compacted, const std::string& from,
           const std::string& to) {
  if (from == to) return true;  // a rewrite of the same state (a retried save, a new deltalog)
  if (from.empty()) return level == "L0" || compacted ? to == "FLUSHED" : to == "GROWING";
  if (from == "GROWING") return to == "SEALED" || to == "DROPPED";
  if (from == "SEALED") return to == "FLUSHING";
  if (from == "FLUSHING") return to == "FLUSHED" || to == "DROPPED";
  if (from == "FLUSHED") return to == "DROPPED";
  if (from == "DROPPED") return to == "deleted";
  return false;
}

}  // namespace

CheckResult CheckFlushed(const History& history, const StoredCollection& stored) {
  // Structure first: it explains the data findings when both are wrong.
  std::set<int64_t> created;
  for (const SegmentTransition& t : stored.transitions) {
    if (t.from.empty() && !created.insert(t.segment_id).second) {
      return Fail("segment-state-machine", "segment id " + std::to_string(t.segment_id) +
                                               " was created twice (revision " +
                                               std::to_string(t.revision) + ")");
    }
    if (!Legal(t.level, t.compacted, t.from, t.to)) {
      return Fail("segment-state-machine",
                  t.level + " segment " + std::to_string(t.segment_id) + " went " +
                      (t.from.empty() ? "(new)" : t.from) + " -> " + t.to + " at revision " +
                      std::to_string(t.revision) +
                      "; legal: Growing -> Sealed -> Flushing -> Flushed -> Dropped");
    }
  }
  std::map<std::string, CheckpointRecord> last_cp;
  for (const CheckpointRecord& cp : stored.checkpoints) {
    auto prev = last_cp.find(cp.vchannel);
    if (prev != last_cp.end() && (cp.offset < prev->second.offset || cp.ts < prev->second.ts)) {
      return Fail("checkpoint-monotone", cp.vchannel + " checkpoint moved back from offset " +
                                             std::to_string(prev->second.offset) + " ts " +
                                             std::to_string(prev->second.ts) + " to offset " +
                                             std::to_string(cp.offset) + " ts " +
                                             std::to_string(cp.ts) + " at revision " +
                                             std::to_string(cp.revision));
    }
    last_cp[cp.vchannel] = cp;
  }

  const Written rows = Collect(history, /*deletes=*/false);
  const Written deletes = Collect(history, /*deletes=*/true);
  if (auto bad = CheckStoredAgainstWritten(stored.rows, rows, "row")) return *bad;
  // Deletes: once among the L0 segments, once within each segment's deltalogs.
  std::map<int64_t, std::vector<StoredRow>> by_segment;
  std::vector<StoredRow> l0;
  for (const StoredRow& d : stored.deletes) (d.l0 ? l0 : by_segment[d.segment_id]).push_back(d);
  if (auto bad = CheckStoredAgainstWritten(l0, deletes, "L0 delete of")) return *bad;
  for (const auto& [segment, records] : by_segment) {
    if (auto bad = CheckStoredAgainstWritten(records, deletes, "delete of")) return *bad;
  }

  const Operation* flush = nullptr;
  for (const Operation& op : history.ops()) {
    if (op.type == OpType::kFlush && op.outcome == Outcome::kOk) flush = &op;
  }
  CheckResult ok;
  if (flush == nullptr) return ok;
  const uint64_t m = flush->ts;
  // The history's side: what is certain (acked before the flush was invoked) and what may be.
  std::map<int64_t, std::vector<uint64_t>> certain_deletes;  // pk -> ts
  std::set<int64_t> uncertain_delete_pks;
  std::vector<Key> certain_rows;
  for (const Operation& op : history.ops()) {
    const bool certain = op.outcome == Outcome::kOk && op.complete_at < flush->invoke_at;
    const bool maybe = !certain && op.outcome != Outcome::kFail;
    for (int64_t pk : op.pks) {
      if (Deletes(op.type)) {
        if (certain) certain_deletes[pk].push_back(op.ts);
        if (maybe) uncertain_delete_pks.insert(pk);
      }
      if (Writes(op.type) && certain && op.ts <= m) certain_rows.push_back({pk, op.ts});
    }
  }
  auto model_deleted = [&](int64_t pk, uint64_t ts) {
    auto d = certain_deletes.find(pk);
    if (d == certain_deletes.end()) return false;
    for (uint64_t t : d->second) {
      if (ts < t && t < m) return true;
    }
    return false;
  };
  // Storage's side: rows visible at m under the stored deletes.
  std::map<int64_t, std::vector<uint64_t>> l0_deletes;
  std::map<std::pair<int64_t, int64_t>, std::vector<uint64_t>> segment_deletes;  // (seg, pk)
  for (const StoredRow& d : stored.deletes) {
    (d.l0 ? l0_deletes[d.pk] : segment_deletes[{d.segment_id, d.pk}]).push_back(d.ts);
  }
  auto hides = [m](const std::vector<uint64_t>* tss, uint64_t ts) {
    if (tss == nullptr) return false;
    for (uint64_t t : *tss) {
      if (ts < t && t < m) return true;
    }
    return false;
  };
  std::set<Key> visible;
  for (const StoredRow& r : stored.rows) {
    if (r.ts > m) continue;
    auto l = l0_deletes.find(r.pk);
    auto s = segment_deletes.find({r.segment_id, r.pk});
    if (hides(l == l0_deletes.end() ? nullptr : &l->second, r.ts) ||
        hides(s == segment_deletes.end() ? nullptr : &s->second, r.ts)) {
      continue;
    }
    visible.insert({r.pk, r.ts});
    if (model_deleted(r.pk, r.ts)) {
      return Fail("flush-delete-lost",
                  "row pk " + std::to_string(r.pk) + " ts " + ToString(Timestamp{r.ts}) +
                      " (segment " + std::to_string(r.segment_id) +
                      ") is visible in storage at the flush ts " + ToString(Timestamp{m}) +
                      ", though an acknowledged delete hides it there");
    }
  }
  for (const Key& row : certain_rows) {
    if (model_deleted(row.first, row.second) || uncertain_delete_pks.count(row.first)) continue;
    if (!visible.count(row)) {
      return Fail("flush-durability",
                  "row pk " + std::to_string(row.first) + " ts " + ToString(Timestamp{row.second}) +
                      ", acked before \"" + flush->label +
                      "\" was invoked, is not visible in storage at the flush ts " +
                      ToString(Timestamp{m}) + " (lost, or dropped by a compaction)");
    }
  }
  return ok;
}

}  // namespace simvus::reports
