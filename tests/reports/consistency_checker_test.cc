#include "reports/consistency_checker.h"

#include <gtest/gtest.h>

namespace simvus::reports {
namespace {

// Hand-made histories: the seed's timeline, then variants that must fail.
class HistoryBuilder {
 public:
  HistoryBuilder& Insert(std::string label, int64_t pk, std::vector<float> vec, uint64_t ts,
                         Outcome outcome = Outcome::kOk) {
    Operation op = Base(OpType::kInsert, std::move(label), outcome);
    op.pks = {pk};
    op.vectors = {std::move(vec)};
    op.ts = outcome == Outcome::kOk ? ts : 0;
    history_.Invoke(op);
    Complete(outcome);
    return *this;
  }
  HistoryBuilder& Upsert(std::string label, int64_t pk, std::vector<float> vec, uint64_t ts) {
    Operation op = Base(OpType::kUpsert, std::move(label), Outcome::kOk);
    op.pks = {pk};
    op.vectors = {std::move(vec)};
    op.ts = ts;
    history_.Invoke(op);
    Complete(Outcome::kOk);
    return *this;
  }
  HistoryBuilder& Delete(std::string label, int64_t pk, uint64_t ts) {
    Operation op = Base(OpType::kDelete, std::move(label), Outcome::kOk);
    op.pks = {pk};
    op.ts = ts;
    history_.Invoke(op);
    Complete(Outcome::kOk);
    return *this;
  }
  HistoryBuilder& Search(std::string label, std::vector<float> query, uint64_t guarantee,
                         uint64_t mvcc, std::vector<SearchHit> hits, int32_t topk = 10,
                         Consistency level = Consistency::kStrong, Metric metric = Metric::kL2) {
    Operation op = Base(OpType::kSearch, std::move(label), Outcome::kOk);
    op.consistency = level;
    op.metric = metric;
    op.query = std::move(query);
    op.topk = topk;
    op.guarantee_ts = guarantee;
    op.mvcc_ts = {mvcc};
    op.hits = std::move(hits);
    history_.Invoke(op);
    Complete(Outcome::kOk);
    return *this;
  }
  const History& history() const { return history_; }

 private:
  Operation Base(OpType type, std::string label, Outcome) {
    Operation op;
    op.client = "c1";
    op.type = type;
    op.label = std::move(label);
    op.invoke_at = Duration::Millis(clock_ms_++);
    return op;
  }
  void Complete(Outcome outcome) {
    Operation& op = history_.at(static_cast<int64_t>(history_.ops().size()) - 1);
    op.complete_at = Duration::Millis(clock_ms_++);
    op.outcome = outcome;
  }
  History history_;
  int64_t clock_ms_ = 0;
};

const std::vector<float> kA = {1, 0}, kB = {0, 1}, kQ = {0.5f, 0.5f};

TEST(ConsistencyChecker, AcceptsTheSeedTimeline) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  h.Search("Q1", kQ, 30, 35, {{1, 0.5f}, {2, 0.5f}});
  h.Delete("del A", 1, 40).Search("Q2", kQ, 50, 55, {{2, 0.5f}});
  CheckResult r = CheckHistory(h.history());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
  EXPECT_EQ(r.checked_reads, 2);
}

TEST(ConsistencyChecker, RejectsAReadThatMissesAnAckedWrite) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  h.Search("Q1", kQ, 30, 35, {{2, 0.5f}});
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "acked-write-lost");
}

TEST(ConsistencyChecker, RejectsAResurrectedRowAfterItsDelete) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Delete("del A", 1, 40);
  h.Search("Q2", kQ, 50, 55, {{1, 0.5f}, {2, 0.5f}});
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "phantom-row");
}

TEST(ConsistencyChecker, DeleteAtTheReadTimestampDoesNotHideTheRow) {
  // Visibility is strict: a delete at t_d hides a row only for M > t_d. (An Eventually read:
  // its guarantee is 1, so it takes no TSO timestamp of its own.)
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Delete("del A", 1, 40);
  h.Search("Q", kQ, 1, 40, {{1, 0.5f}}, 10, Consistency::kEventually);
  h.Search("Q'", kQ, 1, 41, {}, 10, Consistency::kEventually);
  CheckResult r = CheckHistory(h.history());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
}

TEST(ConsistencyChecker, RejectsAReadBelowItsGuarantee) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10);
  h.Search("Q", kQ, 30, 25, {{1, 0.5f}});
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "read-snapshot");
}

TEST(ConsistencyChecker, RejectsAPkNoInsertEverWrote) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10);
  h.Search("Q", kQ, 30, 35, {{1, 0.5f}, {99, 0.7f}});
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "phantom-row");
}

TEST(ConsistencyChecker, RejectsWrongDistances) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10);
  h.Search("Q", kQ, 30, 35, {{1, 0.1f}});
  EXPECT_EQ(CheckHistory(h.history()).invariant, "phantom-row");
}

TEST(ConsistencyChecker, RejectsTimestampsThatGoBackwardInRealTime) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 20).Insert("B", 2, kB, 10);
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "tso-order");
}

TEST(ConsistencyChecker, RejectsDuplicateTimestamps) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 10);
  EXPECT_EQ(CheckHistory(h.history()).invariant, "tso-order");
}

TEST(ConsistencyChecker, IndeterminateInsertMayOrMayNotBeSeen) {
  HistoryBuilder seen, unseen;
  seen.Insert("A", 1, kA, 0, Outcome::kInfo).Search("Q", kQ, 30, 35, {{1, 0.5f}});
  unseen.Insert("A", 1, kA, 0, Outcome::kInfo).Search("Q", kQ, 30, 35, {});
  EXPECT_TRUE(CheckHistory(seen.history()).ok);
  EXPECT_TRUE(CheckHistory(unseen.history()).ok);
}

TEST(ConsistencyChecker, RejectsTooFewHitsWhenEnoughRowsAreVisible) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  // Both rows tie at distance 0.5 with k=1: returning nothing is wrong.
  h.Search("Q", kQ, 30, 35, {}, /*topk=*/1);
  EXPECT_FALSE(CheckHistory(h.history()).ok);
}

// An upsert deletes the old version and inserts the new one at one ts: the delete does not hide
// the row inserted at its own ts (semantics §6, §12.6).
TEST(ConsistencyChecker, AnUpsertReplacesTheRowAtOneTimestamp) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Upsert("A'", 1, kB, 20);
  h.Search("Q", kQ, 30, 35, {{1, 0.5f}});  // the new version (kB) scores 0.5 against kQ too
  EXPECT_TRUE(CheckHistory(h.history()).ok);
  HistoryBuilder lost;
  lost.Insert("A", 1, kA, 10).Upsert("A'", 1, kB, 20).Search("Q", kQ, 30, 35, {});
  CheckResult r = CheckHistory(lost.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "acked-write-lost") << "the upsert's own row must stay visible";
  HistoryBuilder old;
  const std::vector<float> far = {3, 0};
  old.Insert("A", 1, far, 10).Upsert("A'", 1, kB, 20).Search("Q", kQ, 30, 35, {{1, 6.5f}});
  CheckResult stale = CheckHistory(old.history());
  EXPECT_FALSE(stale.ok) << "the replaced version is deleted at the upsert's ts";
  EXPECT_EQ(stale.invariant, "phantom-row");
}

// A pk inserted twice has two versions; a result must return it once (semantics §13.10).
TEST(ConsistencyChecker, RejectsAPkReturnedTwice) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("A again", 1, kA, 20);
  h.Search("Q", kQ, 30, 35, {{1, 0.5f}}, 10);
  EXPECT_TRUE(CheckHistory(h.history()).ok);
  HistoryBuilder twice;
  twice.Insert("A", 1, kA, 10).Insert("A again", 1, kA, 20);
  twice.Search("Q", kQ, 30, 35, {{1, 0.5f}, {1, 0.5f}}, 10);
  CheckResult r = CheckHistory(twice.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "duplicate-pk");
}

// Scores follow the search's metric: inner product and cosine are larger-is-better.
TEST(ConsistencyChecker, ChecksInnerProductAndCosineScoresAndOrder) {
  const std::vector<float> q = {1, 1, 0, 0};
  auto with = [&](Metric metric, std::vector<SearchHit> hits) {
    HistoryBuilder h;
    h.Insert("A", 1, {2, 0, 0, 0}, 10).Insert("B", 2, {1, 1, 0, 0}, 20);
    h.Search("Q", q, 30, 35, std::move(hits), 10, Consistency::kStrong, metric);
    return CheckHistory(h.history());
  };
  // IP: A = 2, B = 2 (a tie); COSINE: B = 1, A = 0.7071.
  EXPECT_TRUE(with(Metric::kIp, {{1, 2.0f}, {2, 2.0f}}).ok);
  EXPECT_TRUE(with(Metric::kCosine, {{2, 1.0f}, {1, 0.70710678f}}).ok);
  CheckResult ascending = with(Metric::kCosine, {{1, 0.70710678f}, {2, 1.0f}});
  EXPECT_FALSE(ascending.ok);
  EXPECT_EQ(ascending.invariant, "wrong-distance") << "cosine hits must be best (largest) first";
  EXPECT_TRUE(with(Metric::kIp, {{2, 2.0f}, {1, 2.0f}}).ok) << "a tie in either order";
  CheckResult wrong = with(Metric::kIp, {{1, 1.0f}, {2, 2.0f}});  // squared L2 of A, not its IP
  EXPECT_FALSE(wrong.ok);
  // With topk 1 under COSINE the best row is B: returning A alone misses it.
  HistoryBuilder h;
  h.Insert("A", 1, {2, 0, 0, 0}, 10).Insert("B", 2, {1, 1, 0, 0}, 20);
  h.Search("Q", q, 30, 35, {{1, 0.70710678f}}, 1, Consistency::kStrong, Metric::kCosine);
  CheckResult missed = CheckHistory(h.history());
  EXPECT_FALSE(missed.ok);
  EXPECT_EQ(missed.invariant, "acked-write-lost");
}

}  // namespace
}  // namespace simvus::reports
