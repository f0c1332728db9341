#include "reports/consistency_checker.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "components/env/time.h"

namespace simvus::reports {
namespace {

struct RowVersion {
  int64_t pk;
  uint64_t ts;  // 0 when the insert is indeterminate (ts unknown)
  const std::vector<float>* vector;
  bool maybe;  // from an indeterminate insert
};

struct Model {
  std::vector<RowVersion> rows;
  std::map<int64_t, std::vector<uint64_t>> deletes;  // acked deletes
  std::set<int64_t> maybe_deleted;                   // pks with an indeterminate delete
};

Model BuildModel(const History& history) {
  Model model;
  for (const Operation& op : history.ops()) {
    const bool acked = op.outcome == Outcome::kOk;
    const bool maybe = op.outcome == Outcome::kInfo || op.outcome == Outcome::kPending;
    if (!acked && !maybe) continue;
    if (op.type == OpType::kInsert || op.type == OpType::kUpsert) {
      for (size_t i = 0; i < op.pks.size(); ++i) {
        model.rows.push_back({op.pks[i], acked ? op.ts : 0, &op.vectors[i], maybe});
      }
    }
    if (op.type == OpType::kDelete || op.type == OpType::kUpsert) {
      for (int64_t pk : op.pks) {
        if (acked) {
          model.deletes[pk].push_back(op.ts);
        } else {
          model.maybe_deleted.insert(pk);
        }
      }
    }
  }
  return model;
}

// Visible at every M in [m_lo, m_hi] (definitely), at some M in it (possibly).
enum class Visibility { kNo, kMaybe, kYes };

Visibility VisibleIn(const Model& model, const RowVersion& row, uint64_t m_lo, uint64_t m_hi) {
  if (row.maybe) return Visibility::kMaybe;
  if (row.ts > m_hi) return Visibility::kNo;
  bool deleted_by_lo = false, deleted_by_hi = false;
  auto it = model.deletes.find(row.pk);
  if (it != model.deletes.end()) {
    for (uint64_t t_d : it->second) {
      if (row.ts < t_d && t_d < m_lo) deleted_by_lo = true;
      if (row.ts < t_d && t_d < m_hi) deleted_by_hi = true;
    }
  }
  if (deleted_by_lo) return Visibility::kNo;
  if (row.ts > m_lo || deleted_by_hi || model.maybe_deleted.count(row.pk)) {
    return Visibility::kMaybe;
  }
  return Visibility::kYes;
}

// The score Milvus reports under `metric` (history.h): squared L2, inner product, or cosine.
float Score(Metric metric, const std::vector<float>& a, const std::vector<float>& b) {
  float l2 = 0, dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    l2 += (a[i] - b[i]) * (a[i] - b[i]);
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  switch (metric) {
    case Metric::kIp:
      return dot;
    case Metric::kCosine:
      return na > 0 && nb > 0 ? dot / (std::sqrt(na) * std::sqrt(nb)) : 0;
    default:
      return l2;
  }
}

// Larger is better: the score itself for IP and COSINE, its negation for L2.
float Goodness(Metric metric, float score) { return metric == Metric::kL2 ? -score : score; }

std::string Describe(const Operation& op) {
  return "op #" + std::to_string(op.index) + " (" + op.label + ", " +
         std::string(OpTypeName(op.type)) + " by " + op.client + ")";
}

CheckResult Fail(std::string invariant, std::string detail) {
  CheckResult r;
  r.ok = false;
  r.invariant = std::move(invariant);
  r.detail = std::move(detail);
  return r;
}

std::optional<CheckResult> CheckTsoOrder(const History& history) {
  std::vector<const Operation*> stamped;
  for (const Operation& op : history.ops()) {
    if (op.outcome != Outcome::kOk) continue;
    if (op.type == OpType::kInsert || op.type == OpType::kDelete || op.type == OpType::kUpsert) {
      stamped.push_back(&op);
    }
    if (op.type == OpType::kSearch && op.consistency == Consistency::kStrong) {
      stamped.push_back(&op);
    }
  }
  auto ts_of = [](const Operation* op) {
    return op->type == OpType::kSearch ? op->guarantee_ts : op->ts;
  };
  std::map<uint64_t, const Operation*> seen;
  for (const Operation* op : stamped) {
    auto [it, inserted] = seen.emplace(ts_of(op), op);
    if (!inserted) {
      return Fail("tso-order", Describe(*op) + " and " + Describe(*it->second) +
                                   " got the same timestamp " + ToString(Timestamp{ts_of(op)}));
    }
  }
  for (const Operation* a : stamped) {
    for (const Operation* b : stamped) {
      if (a->complete_at < b->invoke_at && ts_of(a) >= ts_of(b)) {
        return Fail("tso-order", Describe(*a) + " completed before " + Describe(*b) +
                                     " was invoked, yet its timestamp " +
                                     ToString(Timestamp{ts_of(a)}) + " is not smaller than " +
                                     ToString(Timestamp{ts_of(b)}));
      }
    }
  }
  return std::nullopt;
}

std::optional<CheckResult> CheckRead(const Model& model, const Operation& op,
                                     const CheckerConfig& config) {
  if (op.mvcc_ts.empty()) return Fail("read-snapshot", Describe(op) + " reports no MVCC ts");
  const uint64_t m_lo = *std::min_element(op.mvcc_ts.begin(), op.mvcc_ts.end());
  const uint64_t m_hi = *std::max_element(op.mvcc_ts.begin(), op.mvcc_ts.end());
  if (m_lo < op.guarantee_ts) {
    return Fail("read-snapshot", Describe(op) + " answered at MVCC ts " +
                                     ToString(Timestamp{m_lo}) + " below its guarantee ts " +
                                     ToString(Timestamp{op.guarantee_ts}));
  }
  // No pk twice in one result (semantics §13.10): insert never dedups, reduce must.
  std::set<int64_t> distinct;
  for (const SearchHit& hit : op.hits) {
    if (!distinct.insert(hit.pk).second) {
      return Fail("duplicate-pk",
                  Describe(op) + " returned pk " + std::to_string(hit.pk) + " more than once");
    }
  }
  // Returned hits: best first, exact scores under the metric, each a possibly visible version
  // of its pk.
  for (size_t i = 0; i < op.hits.size(); ++i) {
    const SearchHit& hit = op.hits[i];
    if (i > 0 && Goodness(op.metric, hit.distance) >
                     Goodness(op.metric, op.hits[i - 1].distance) +
                         config.distance_tolerance * (1 + std::fabs(hit.distance))) {
      return Fail("wrong-distance", Describe(op) + " returned hits out of score order");
    }
    bool explained = false;
    float expected = 0;
    for (const RowVersion& row : model.rows) {
      if (row.pk != hit.pk || VisibleIn(model, row, m_lo, m_hi) == Visibility::kNo) continue;
      expected = Score(op.metric, *row.vector, op.query);
      if (std::fabs(expected - hit.distance) <=
          config.distance_tolerance * (1 + std::fabs(expected))) {
        explained = true;
        break;
      }
    }
    if (!explained) {
      bool written = std::any_of(model.rows.begin(), model.rows.end(),
                                 [&](const RowVersion& r) { return r.pk == hit.pk; });
      if (written) {
        return Fail("phantom-row", Describe(op) + " returned pk " + std::to_string(hit.pk) +
                                       " at distance " + std::to_string(hit.distance) +
                                       ", but no version of it is visible at MVCC ts " +
                                       ToString(Timestamp{m_lo}) + " with that distance");
      }
      return Fail("phantom-row", Describe(op) + " returned pk " + std::to_string(hit.pk) +
                                     ", which no insert ever wrote");
    }
  }
  // Every definitely visible row that ranks within the top-k must be returned.
  const float kth = op.hits.size() < static_cast<size_t>(op.topk)
                        ? -INFINITY
                        : Goodness(op.metric, op.hits.back().distance);
  std::set<int64_t> returned;
  for (const SearchHit& hit : op.hits) returned.insert(hit.pk);
  std::set<int64_t> visible_pks;
  for (const RowVersion& row : model.rows) {
    if (VisibleIn(model, row, m_lo, m_hi) != Visibility::kYes) continue;
    visible_pks.insert(row.pk);
    const float d = Score(op.metric, *row.vector, op.query);
    if (Goodness(op.metric, d) > kth + config.distance_tolerance * (1 + std::fabs(d)) &&
        !returned.count(row.pk)) {
      return Fail("acked-write-lost",
                  Describe(op) + " at MVCC ts " + ToString(Timestamp{m_lo}) + " misses pk " +
                      std::to_string(row.pk) + " (acked at ts " + ToString(Timestamp{row.ts}) +
                      ", score " + std::to_string(d) + ", not deleted before M)");
    }
  }
  const size_t definitely_visible = visible_pks.size();
  if (op.hits.size() < std::min<size_t>(definitely_visible, static_cast<size_t>(op.topk))) {
    return Fail("topk-size", Describe(op) + " returned " + std::to_string(op.hits.size()) +
                                 " hits with " + std::to_string(definitely_visible) +
                                 " rows visible and k=" + std::to_string(op.topk));
  }
  return std::nullopt;
}

}  // namespace

CheckResult CheckHistory(const History& history, const CheckerConfig& config) {
  if (auto failure = CheckTsoOrder(history)) return *failure;
  const Model model = BuildModel(history);
  CheckResult result;
  for (const Operation& op : history.ops()) {
    if (op.type != OpType::kSearch || op.outcome != Outcome::kOk) continue;
    if (auto failure = CheckRead(model, op, config)) return *failure;
    ++result.checked_reads;
  }
  return result;
}

}  // namespace simvus::reports
