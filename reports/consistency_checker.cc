#include "reports/consistency_checker.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "components/env/time.h"
#include "components/expr/predicate.h"

namespace simvus::reports {
namespace {

struct RowVersion {
  int64_t pk;
  uint64_t ts;  // 0 when the insert is indeterminate (ts unknown)
  const std::vector<float>* vector;
  bool maybe;  // from an indeterminate insert
};

struct DeleteRecord {
  uint64_t ts;
  const Operation* op;  // the delete or upsert that acked it
};

struct Model {
  std::vector<RowVersion> rows;
  std::map<int64_t, std::vector<DeleteRecord>> deletes;  // acked deletes
  std::set<int64_t> maybe_deleted;                       // pks with an indeterminate delete
  std::vector<const Operation*> acked_writes;            // inserts, deletes and upserts
};

bool IsWrite(const Operation& op) {
  return op.type == OpType::kInsert || op.type == OpType::kDelete || op.type == OpType::kUpsert;
}
bool IsRead(const Operation& op) { return op.type == OpType::kSearch || op.type == OpType::kQuery; }

Model BuildModel(const History& history) {
  Model model;
  for (const Operation& op : history.ops()) {
    const bool acked = op.outcome == Outcome::kOk;
    const bool maybe = op.outcome == Outcome::kInfo || op.outcome == Outcome::kPending;
    if (!acked && !maybe) continue;
    if (acked && IsWrite(op)) model.acked_writes.push_back(&op);
    if (op.type == OpType::kInsert || op.type == OpType::kUpsert) {
      for (size_t i = 0; i < op.pks.size(); ++i) {
        model.rows.push_back({op.pks[i], acked ? op.ts : 0, &op.vectors[i], maybe});
      }
    }
    if (op.type == OpType::kDelete || op.type == OpType::kUpsert) {
      for (int64_t pk : op.pks) {
        if (acked) {
          model.deletes[pk].push_back({op.ts, &op});
        } else {
          model.maybe_deleted.insert(pk);
        }
      }
    }
  }
  return model;
}

// The earliest acked delete that hides `row` from every M >= m_lo (row.ts < t_d < m_lo), if any.
const DeleteRecord* HidingDelete(const Model& model, const RowVersion& row, uint64_t m_lo) {
  auto it = model.deletes.find(row.pk);
  if (row.maybe || it == model.deletes.end()) return nullptr;
  const DeleteRecord* earliest = nullptr;
  for (const DeleteRecord& d : it->second) {
    if (row.ts < d.ts && d.ts < m_lo && (earliest == nullptr || d.ts < earliest->ts)) {
      earliest = &d;
    }
  }
  return earliest;
}

// Visible at every M in [m_lo, m_hi] (definitely), at some M in it (possibly).
enum class Visibility { kNo, kMaybe, kYes };

Visibility VisibleIn(const Model& model, const RowVersion& row, uint64_t m_lo, uint64_t m_hi) {
  if (row.maybe) return Visibility::kMaybe;
  if (row.ts > m_hi) return Visibility::kNo;
  if (HidingDelete(model, row, m_lo) != nullptr) return Visibility::kNo;
  bool deleted_by_hi = false;
  auto it = model.deletes.find(row.pk);
  if (it != model.deletes.end()) {
    for (const DeleteRecord& d : it->second) {
      if (row.ts < d.ts && d.ts < m_hi) deleted_by_hi = true;
    }
  }
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

std::string Ts(uint64_t ts) { return ToString(Timestamp{ts}); }

CheckResult Fail(std::string invariant, std::string detail) {
  CheckResult r;
  r.ok = false;
  r.invariant = std::move(invariant);
  r.detail = std::move(detail);
  return r;
}

// A read's filter over its primary key; matches every pk when the read has none.
class PkFilter {
 public:
  static Result<PkFilter> Compile(const Operation& op) {
    PkFilter filter;
    if (op.filter.empty()) return filter;
    Result<expr::Predicate> predicate =
        expr::Predicate::Compile(op.filter, {{op.pk_field, expr::ValueType::kInt64}});
    if (!predicate.ok()) return predicate.status();
    filter.predicate_.emplace(std::move(predicate).value());
    return filter;
  }
  bool Matches(int64_t pk) const {
    if (!predicate_) return true;
    expr::ColumnView column;
    column.type = expr::ValueType::kInt64;
    column.int64s = &pk;
    return predicate_->Evaluate({column}, 0);
  }

 private:
  std::optional<expr::Predicate> predicate_;
};

// What one successful read is judged against.
struct Read {
  const Operation& op;
  const PkFilter& filter;
  uint64_t m_lo;
  uint64_t m_hi;
};

std::optional<CheckResult> CheckTsoOrder(const History& history) {
  std::vector<const Operation*> stamped;
  for (const Operation& op : history.ops()) {
    if (op.outcome != Outcome::kOk) continue;
    if (IsWrite(op)) stamped.push_back(&op);
    // A batch's queries share its one guarantee ts: query 0 stands for the request.
    if (IsRead(op) && op.consistency == Consistency::kStrong && op.guarantee_ts != 0 &&
        op.query_in_batch == 0) {
      stamped.push_back(&op);
    }
  }
  auto ts_of = [](const Operation* op) { return IsRead(*op) ? op->guarantee_ts : op->ts; };
  std::map<uint64_t, const Operation*> seen;
  for (const Operation* op : stamped) {
    auto [it, inserted] = seen.emplace(ts_of(op), op);
    if (!inserted) {
      return Fail("tso-order", Describe(*op) + " and " + Describe(*it->second) +
                                   " got the same timestamp " + Ts(ts_of(op)));
    }
  }
  for (const Operation* a : stamped) {
    for (const Operation* b : stamped) {
      if (a->complete_at < b->invoke_at && ts_of(a) >= ts_of(b)) {
        return Fail("tso-order", Describe(*a) + " completed before " + Describe(*b) +
                                     " was invoked, yet its timestamp " + Ts(ts_of(a)) +
                                     " is not smaller than " + Ts(ts_of(b)));
      }
    }
  }
  return std::nullopt;
}

// The consistency level's freshness promise (semantics §3, §13.4-6), judged on m_lo against the
// writes acked before the read was invoked.
std::optional<CheckResult> CheckLevel(const Model& model, const Read& read,
                                      const CheckerConfig& config) {
  const Operation& op = read.op;
  std::string invariant, level;
  Duration acked_before = op.invoke_at;
  bool own_writes_only = false;
  switch (op.consistency) {
    case Consistency::kStrong:
      invariant = "strong-read-stale";
      level = "Strong";
      break;
    case Consistency::kSession:
      invariant = "session-read-your-writes";
      level = "Session";
      own_writes_only = true;
      break;
    case Consistency::kBounded:
      invariant = "bounded-staleness";
      level = "Bounded";
      acked_before = op.invoke_at - config.bounded_staleness;
      break;
    case Consistency::kCustomized:
      invariant = "customized-guarantee";
      level = "Customized";
      break;
    case Consistency::kEventually:
      return std::nullopt;
  }
  const bool uses_requested =
      op.consistency == Consistency::kSession || op.consistency == Consistency::kCustomized;
  if (uses_requested && read.m_lo < op.requested_guarantee_ts) {
    return Fail(invariant, Describe(op) + " is a " + level + " read answered at MVCC ts " +
                               Ts(read.m_lo) + ", below the guarantee ts " +
                               Ts(op.requested_guarantee_ts) + " its client asked for");
  }
  if (op.consistency == Consistency::kCustomized) return std::nullopt;
  for (const Operation* w : model.acked_writes) {
    if (own_writes_only && w->client != op.client) continue;
    if (w->complete_at < acked_before && read.m_lo < w->ts) {
      return Fail(invariant, Describe(op) + " is a " + level + " read invoked at " +
                                 ToString(op.invoke_at) + " and answered at MVCC ts " +
                                 Ts(read.m_lo) + ", below ts " + Ts(w->ts) + " of " + Describe(*w) +
                                 ", acked at " + ToString(w->complete_at));
    }
  }
  return std::nullopt;
}

// One returned pk (a search hit with its score, or a query row when `distance` is null): it
// matches the filter and is a possibly visible version. When it is not, tells a version hidden
// by an acked delete (the delete missed a segment) from a row nobody wrote.
std::optional<CheckResult> CheckReturnedPk(const Model& model, const Read& read, int64_t pk,
                                           const float* distance, const CheckerConfig& config) {
  const Operation& op = read.op;
  const std::string what = Describe(op) + " returned pk " + std::to_string(pk);
  if (!read.filter.Matches(pk)) {
    return Fail("filter-violated", what + ", which does not match its filter '" + op.filter + "'");
  }
  auto scores_as_returned = [&](const RowVersion& row) {
    if (distance == nullptr) return true;
    const float expected = Score(op.metric, *row.vector, op.query);
    return std::fabs(expected - *distance) <= config.distance_tolerance * (1 + std::fabs(expected));
  };
  bool written = false;
  const RowVersion* hidden = nullptr;  // the newest old-enough version with that score
  for (const RowVersion& row : model.rows) {
    if (row.pk != pk) continue;
    written = true;
    if (!scores_as_returned(row)) continue;
    if (VisibleIn(model, row, read.m_lo, read.m_hi) != Visibility::kNo) return std::nullopt;
    if (!row.maybe && row.ts <= read.m_hi && (hidden == nullptr || row.ts > hidden->ts)) {
      hidden = &row;
    }
  }
  const DeleteRecord* d = hidden ? HidingDelete(model, *hidden, read.m_lo) : nullptr;
  if (d != nullptr) {
    return Fail("deleted-row-returned",
                what + " at MVCC ts " + Ts(read.m_lo) + ", but its version inserted at ts " +
                    Ts(hidden->ts) + " was deleted by " + Describe(*d->op) + " at ts " + Ts(d->ts) +
                    ", before M: the delete did not reach every segment");
  }
  if (!written) return Fail("phantom-row", what + ", which no insert ever wrote");
  std::string score = distance ? " at distance " + std::to_string(*distance) : "";
  return Fail("phantom-row", what + score + ", but no version of it is visible at MVCC ts " +
                                 Ts(read.m_lo) + (distance ? " with that distance" : ""));
}

std::optional<CheckResult> CheckNoDuplicates(const Operation& op, const std::vector<int64_t>& pks) {
  std::set<int64_t> distinct;
  for (int64_t pk : pks) {
    if (!distinct.insert(pk).second) {
      return Fail("duplicate-pk",
                  Describe(op) + " returned pk " + std::to_string(pk) + " more than once");
    }
  }
  return std::nullopt;
}

std::optional<CheckResult> CheckSearch(const Model& model, const Read& read,
                                       const CheckerConfig& config) {
  const Operation& op = read.op;
  std::vector<int64_t> returned_pks;
  for (const SearchHit& hit : op.hits) returned_pks.push_back(hit.pk);
  if (auto failure = CheckNoDuplicates(op, returned_pks)) return failure;
  // Returned hits: best first, exact scores under the metric, each a possibly visible matching
  // version of its pk.
  for (size_t i = 0; i < op.hits.size(); ++i) {
    const SearchHit& hit = op.hits[i];
    if (i > 0 && Goodness(op.metric, hit.distance) >
                     Goodness(op.metric, op.hits[i - 1].distance) +
                         config.distance_tolerance * (1 + std::fabs(hit.distance))) {
      return Fail("wrong-distance", Describe(op) + " returned hits out of score order");
    }
    if (auto failure = CheckReturnedPk(model, read, hit.pk, &hit.distance, config)) {
      return failure;
    }
  }
  // Every definitely visible matching row that ranks within the top-k must be returned.
  const float kth = op.hits.size() < static_cast<size_t>(op.topk)
                        ? -INFINITY
                        : Goodness(op.metric, op.hits.back().distance);
  const std::set<int64_t> returned(returned_pks.begin(), returned_pks.end());
  std::set<int64_t> visible_pks;
  for (const RowVersion& row : model.rows) {
    if (!read.filter.Matches(row.pk)) continue;
    if (VisibleIn(model, row, read.m_lo, read.m_hi) != Visibility::kYes) continue;
    visible_pks.insert(row.pk);
    const float d = Score(op.metric, *row.vector, op.query);
    if (!config.approximate_search &&
        Goodness(op.metric, d) > kth + config.distance_tolerance * (1 + std::fabs(d)) &&
        !returned.count(row.pk)) {
      return Fail("acked-write-lost", Describe(op) + " at MVCC ts " + Ts(read.m_lo) +
                                          " misses pk " + std::to_string(row.pk) +
                                          " (acked at ts " + Ts(row.ts) + ", score " +
                                          std::to_string(d) + ", not deleted before M)");
    }
  }
  const size_t definitely_visible = visible_pks.size();
  if (op.hits.size() < std::min<size_t>(definitely_visible, static_cast<size_t>(op.topk))) {
    return Fail("topk-size", Describe(op) + " returned " + std::to_string(op.hits.size()) +
                                 " hits with " + std::to_string(definitely_visible) +
                                 " matching rows visible and k=" + std::to_string(op.topk));
  }
  return std::nullopt;
}

// count(*): every visible version counts (a pk inserted twice without a delete is two rows).
std::optional<CheckResult> CheckCount(const Model& model, const Read& read) {
  const Operation& op = read.op;
  int64_t count_min = 0, count_max = 0;
  for (const RowVersion& row : model.rows) {
    if (!read.filter.Matches(row.pk)) continue;
    const Visibility v = VisibleIn(model, row, read.m_lo, read.m_hi);
    count_min += v == Visibility::kYes;
    count_max += v != Visibility::kNo;
  }
  const std::string seen = Describe(op) + " counted " + std::to_string(op.count) +
                           " rows at MVCC ts " + Ts(read.m_lo) + ", but ";
  if (op.count > count_max) {
    return Fail("single-visible-copy",
                seen + "at most " + std::to_string(count_max) +
                    " matching row versions are visible: some row was counted more than once");
  }
  if (op.count < count_min) {
    return Fail("acked-write-lost",
                seen + std::to_string(count_min) + " acked matching row versions are visible");
  }
  return std::nullopt;
}

std::optional<CheckResult> CheckQuery(const Model& model, const Read& read,
                                      const CheckerConfig& config) {
  const Operation& op = read.op;
  if (op.count_only) return CheckCount(model, read);
  if (auto failure = CheckNoDuplicates(op, op.result_pks)) return failure;
  for (int64_t pk : op.result_pks) {
    if (auto failure = CheckReturnedPk(model, read, pk, nullptr, config)) return failure;
  }
  const std::set<int64_t> returned(op.result_pks.begin(), op.result_pks.end());
  std::set<int64_t> visible_pks;
  for (const RowVersion& row : model.rows) {
    if (!read.filter.Matches(row.pk)) continue;
    if (VisibleIn(model, row, read.m_lo, read.m_hi) != Visibility::kYes) continue;
    visible_pks.insert(row.pk);
    if (op.limit < 0 && !returned.count(row.pk)) {
      return Fail("acked-write-lost", Describe(op) + " at MVCC ts " + Ts(read.m_lo) +
                                          " misses pk " + std::to_string(row.pk) +
                                          " (acked at ts " + Ts(row.ts) +
                                          ", matches the filter, not deleted before M)");
    }
  }
  const size_t size = op.result_pks.size();
  if (op.limit >= 0 && (size > static_cast<size_t>(op.limit) ||
                        size < std::min(visible_pks.size(), static_cast<size_t>(op.limit)))) {
    return Fail("topk-size", Describe(op) + " returned " + std::to_string(size) + " pks with " +
                                 std::to_string(visible_pks.size()) +
                                 " matching pks visible and limit " + std::to_string(op.limit));
  }
  return std::nullopt;
}

std::optional<CheckResult> CheckRead(const Model& model, const Operation& op,
                                     const CheckerConfig& config) {
  Result<PkFilter> filter = PkFilter::Compile(op);
  if (!filter.ok()) {
    return Fail("bad-filter", Describe(op) + " has filter '" + op.filter + "' over field '" +
                                  op.pk_field +
                                  "', which does not compile: " + filter.status().ToString());
  }
  if (op.mvcc_ts.empty()) return Fail("read-snapshot", Describe(op) + " reports no MVCC ts");
  const Read read{op, *filter, *std::min_element(op.mvcc_ts.begin(), op.mvcc_ts.end()),
                  *std::max_element(op.mvcc_ts.begin(), op.mvcc_ts.end())};
  if (read.m_lo < op.guarantee_ts) {
    return Fail("read-snapshot", Describe(op) + " answered at MVCC ts " + Ts(read.m_lo) +
                                     " below its guarantee ts " + Ts(op.guarantee_ts));
  }
  if (auto failure = CheckLevel(model, read, config)) return failure;
  return op.type == OpType::kSearch ? CheckSearch(model, read, config)
                                    : CheckQuery(model, read, config);
}

// recall@k of one search over approximate indexes, against the exact top-k of the rows
// definitely visible at its snapshot: of the k' best such rows (k' = k minus the returned hits
// that are not definitely visible, which take slots legitimately), the share returned, a tie
// with the k'-th best counting as found. nullopt
// when no row is definitely visible.
std::optional<double> SearchRecall(const Model& model, const Operation& op,
                                   const CheckerConfig& config) {
  Result<PkFilter> filter = PkFilter::Compile(op);
  if (!filter.ok() || op.mvcc_ts.empty()) return std::nullopt;
  const Read read{op, *filter, *std::min_element(op.mvcc_ts.begin(), op.mvcc_ts.end()),
                  *std::max_element(op.mvcc_ts.begin(), op.mvcc_ts.end())};
  std::map<int64_t, float> best;  // definitely visible matching pk -> its best goodness
  for (const RowVersion& row : model.rows) {
    if (!read.filter.Matches(row.pk)) continue;
    if (VisibleIn(model, row, read.m_lo, read.m_hi) != Visibility::kYes) continue;
    const float g = Goodness(op.metric, Score(op.metric, *row.vector, op.query));
    auto [it, fresh] = best.emplace(row.pk, g);
    if (!fresh) it->second = std::max(it->second, g);
  }
  int64_t slots = op.topk;
  for (const SearchHit& hit : op.hits) slots -= best.count(hit.pk) ? 0 : 1;
  std::vector<std::pair<float, int64_t>> ranked;
  for (const auto& [pk, g] : best) ranked.emplace_back(g, pk);
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  const size_t expected = static_cast<size_t>(std::max<int64_t>(0, slots));
  if (expected == 0 || ranked.empty()) return std::nullopt;
  ranked.resize(std::min(ranked.size(), expected));
  // Rows often tie (the workloads write few distinct vectors): a returned row as good as the
  // exact k'-th best is as good an answer as the one the exact search happened to pick.
  const float kth = ranked.back().first;
  const float tolerance = config.distance_tolerance * (1 + std::fabs(kth));
  size_t found = 0;
  for (const SearchHit& hit : op.hits) {
    auto it = best.find(hit.pk);
    if (it != best.end() && it->second >= kth - tolerance) ++found;
  }
  return static_cast<double>(std::min(found, ranked.size())) / static_cast<double>(ranked.size());
}

// The pks a read returned (a search's hits, a query's rows; a count names none).
std::vector<int64_t> ReturnedPks(const Operation& op) {
  std::vector<int64_t> pks;
  if (op.type == OpType::kSearch) {
    for (const SearchHit& hit : op.hits) pks.push_back(hit.pk);
  } else if (!op.count_only) {
    pks = op.result_pks;
  }
  return pks;
}

// An indeterminate write, once a read has returned it, stays: its true ts is at most that read's
// MVCC ts, so every later snapshot must show it like an acked row (semantics §13: a "maybe" row
// is either there from some ts on, or never). Judged for the pks without deletes whose versions
// all carry one vector, when a read returned the pk below the ts of every acked version: only a
// maybe version can have been returned, so one of them is re-modelled as acked at the smallest
// MVCC ts that returned the pk, and every read is checked again.
std::optional<CheckResult> CheckMaybeRowsStay(const History& history, const Model& model,
                                              const CheckerConfig& config) {
  struct Pk {
    const std::vector<float>* vector = nullptr;
    bool one_vector = true;
    uint64_t first_acked = ~uint64_t{0};
  };
  std::map<int64_t, Pk> pks;
  for (const RowVersion& row : model.rows) {
    Pk& p = pks[row.pk];
    if (p.vector != nullptr && *p.vector != *row.vector) p.one_vector = false;
    p.vector = row.vector;
    if (!row.maybe) p.first_acked = std::min(p.first_acked, row.ts);
  }
  std::map<int64_t, uint64_t> revealed;  // pk -> smallest m_hi of a read that returned it
  for (const Operation& op : history.ops()) {
    if (!IsRead(op) || op.outcome != Outcome::kOk || op.mvcc_ts.empty()) continue;
    const uint64_t m_hi = *std::max_element(op.mvcc_ts.begin(), op.mvcc_ts.end());
    for (int64_t pk : ReturnedPks(op)) {
      auto it = revealed.find(pk);
      if (it == revealed.end() || m_hi < it->second) revealed[pk] = m_hi;
    }
  }
  Model fixed = model;
  std::set<int64_t> judged;
  for (RowVersion& row : fixed.rows) {
    auto seen = revealed.find(row.pk);
    const Pk& p = pks[row.pk];
    if (!row.maybe || judged.count(row.pk) || !p.one_vector || model.deletes.count(row.pk) ||
        model.maybe_deleted.count(row.pk) || seen == revealed.end() ||
        seen->second >= p.first_acked) {
      continue;
    }
    row.maybe = false;
    row.ts = seen->second;
    judged.insert(row.pk);
  }
  if (judged.empty()) return std::nullopt;
  for (const Operation& op : history.ops()) {
    if (!IsRead(op) || op.outcome != Outcome::kOk) continue;
    // Only what "missing" means is judged again: a re-modelled row's true ts may be below the
    // one given it, so an upper bound (single-visible-copy at an earlier M) stays pass 1's
    // (swarm seed 6407 counted a row that may have been there).
    std::optional<CheckResult> failure = CheckRead(fixed, op, config);
    if (failure && failure->invariant != "acked-write-lost" && failure->invariant != "topk-size") {
      continue;
    }
    if (failure) {
      std::string names;
      for (int64_t pk : judged) names += (names.empty() ? "" : ", ") + std::to_string(pk);
      return Fail("maybe-row-flapped",
                  "indeterminate write(s) of pk " + names +
                      " were returned by a read, so they are in from that MVCC ts on; then " +
                      failure->invariant + ": " + failure->detail);
    }
  }
  return std::nullopt;
}

}  // namespace

CheckResult CheckHistory(const History& history, const CheckerConfig& config) {
  if (auto failure = CheckTsoOrder(history)) return *failure;
  const Model model = BuildModel(history);
  CheckResult result;
  double recall_sum = 0;
  for (const Operation& op : history.ops()) {
    if (!IsRead(op) || op.outcome != Outcome::kOk) continue;
    if (auto failure = CheckRead(model, op, config)) return *failure;
    ++result.checked_reads;
    if (config.approximate_search && op.type == OpType::kSearch) {
      if (std::optional<double> recall = SearchRecall(model, op, config)) {
        recall_sum += *recall;
        ++result.recall_searches;
      }
    }
  }
  if (auto failure = CheckMaybeRowsStay(history, model, config)) return *failure;
  if (result.recall_searches > 0) {
    result.mean_recall = recall_sum / static_cast<double>(result.recall_searches);
    if (result.mean_recall < config.recall_floor) {
      return Fail("ann-recall", "mean recall@k of " + std::to_string(result.recall_searches) +
                                    " answered searches over approximate indexes is " +
                                    std::to_string(result.mean_recall) + ", below the floor " +
                                    std::to_string(config.recall_floor) +
                                    " (exact top-k of the rows definitely visible at each "
                                    "search's snapshot)");
    }
  }
  return result;
}

}  // namespace simvus::reports
