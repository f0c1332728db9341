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

bool Legal(const std::string& level, const std::string& from, const std::string& to) {
  if (from == to) return true;  // a rewrite of the same state (e.g. a retried save)
  if (from.empty()) return level == "L0" ? to == "FLUSHED" : to == "GROWING";
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
    if (!Legal(t.level, t.from, t.to)) {
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
  if (auto bad = CheckStoredAgainstWritten(stored.deletes, deletes, "delete of")) return *bad;

  const Operation* flush = nullptr;
  for (const Operation& op : history.ops()) {
    if (op.type == OpType::kFlush && op.outcome == Outcome::kOk) flush = &op;
  }
  CheckResult ok;
  if (flush == nullptr) return ok;
  std::set<Key> stored_rows, stored_deletes;
  for (const StoredRow& r : stored.rows) stored_rows.insert({r.pk, r.ts});
  for (const StoredRow& r : stored.deletes) stored_deletes.insert({r.pk, r.ts});
  for (const Operation& op : history.ops()) {
    if (op.outcome != Outcome::kOk || op.complete_at >= flush->invoke_at) continue;
    for (int64_t pk : op.pks) {
      if (Writes(op.type) && !stored_rows.count({pk, op.ts})) {
        return Fail("flush-durability",
                    "row pk " + std::to_string(pk) + " ts " + std::to_string(op.ts) + " (" +
                        op.label + ", acked at " + ToString(op.complete_at) +
                        ") is in no flushed segment, though \"" + flush->label +
                        "\" was invoked after it and completed at " + ToString(flush->complete_at));
      }
      if (Deletes(op.type) && !stored_deletes.count({pk, op.ts})) {
        return Fail("flush-durability", "delete of pk " + std::to_string(pk) + " ts " +
                                            std::to_string(op.ts) + " (" + op.label +
                                            ") is in no flushed deltalog, though \"" +
                                            flush->label + "\" was invoked after it was acked");
      }
    }
  }
  return ok;
}

}  // namespace simvus::reports
