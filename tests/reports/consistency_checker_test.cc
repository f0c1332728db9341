#include "reports/consistency_checker.h"

#include <gtest/gtest.h>

namespace simvus::reports {
namespace {

// Hand-made histories: the seed's timeline, then variants that must fail. Operations run one
// after another, 1 ms each, by the current client; Wait moves the clock, As switches clients, and
// Last() tweaks the newest operation (a filter, shard timestamps, a concurrent invoke time).
class HistoryBuilder {
 public:
  HistoryBuilder& Insert(std::string label, int64_t pk, std::vector<float> vec, uint64_t ts,
                         Outcome outcome = Outcome::kOk) {
    Operation op = Base(OpType::kInsert, std::move(label));
    op.pks = {pk};
    op.vectors = {std::move(vec)};
    op.ts = outcome == Outcome::kOk ? ts : 0;
    return Record(std::move(op), outcome);
  }
  HistoryBuilder& Upsert(std::string label, int64_t pk, std::vector<float> vec, uint64_t ts) {
    Operation op = Base(OpType::kUpsert, std::move(label));
    op.pks = {pk};
    op.vectors = {std::move(vec)};
    op.ts = ts;
    return Record(std::move(op), Outcome::kOk);
  }
  HistoryBuilder& Delete(std::string label, int64_t pk, uint64_t ts) {
    Operation op = Base(OpType::kDelete, std::move(label));
    op.pks = {pk};
    op.ts = ts;
    return Record(std::move(op), Outcome::kOk);
  }
  HistoryBuilder& Search(std::string label, std::vector<float> query, uint64_t guarantee,
                         uint64_t mvcc, std::vector<SearchHit> hits, int32_t topk = 10,
                         Consistency level = Consistency::kStrong, Metric metric = Metric::kL2) {
    Operation op = Read(OpType::kSearch, std::move(label), guarantee, mvcc, level);
    op.metric = metric;
    op.query = std::move(query);
    op.topk = topk;
    op.hits = std::move(hits);
    return Record(std::move(op), Outcome::kOk);
  }
  // A query returning pks (limit -1: no limit).
  HistoryBuilder& Query(std::string label, uint64_t guarantee, uint64_t mvcc,
                        std::vector<int64_t> pks, int64_t limit = -1,
                        Consistency level = Consistency::kStrong) {
    Operation op = Read(OpType::kQuery, std::move(label), guarantee, mvcc, level);
    op.result_pks = std::move(pks);
    op.limit = limit;
    return Record(std::move(op), Outcome::kOk);
  }
  // A count(*) query.
  HistoryBuilder& Count(std::string label, uint64_t guarantee, uint64_t mvcc, int64_t count,
                        Consistency level = Consistency::kStrong) {
    Operation op = Read(OpType::kQuery, std::move(label), guarantee, mvcc, level);
    op.count_only = true;
    op.count = count;
    return Record(std::move(op), Outcome::kOk);
  }
  HistoryBuilder& As(std::string client) {
    client_ = std::move(client);
    return *this;
  }
  HistoryBuilder& Wait(Duration d) {
    clock_ += d;
    return *this;
  }
  Operation& Last() { return history_.at(static_cast<int64_t>(history_.ops().size()) - 1); }
  const History& history() const { return history_; }

 private:
  Operation Base(OpType type, std::string label) {
    Operation op;
    op.client = client_;
    op.type = type;
    op.label = std::move(label);
    return op;
  }
  Operation Read(OpType type, std::string label, uint64_t guarantee, uint64_t mvcc,
                 Consistency level) {
    Operation op = Base(type, std::move(label));
    op.consistency = level;
    op.guarantee_ts = guarantee;
    op.mvcc_ts = {mvcc};
    return op;
  }
  HistoryBuilder& Record(Operation op, Outcome outcome) {
    op.invoke_at = clock_;
    clock_ += Duration::Millis(1);
    history_.Invoke(std::move(op));
    Last().complete_at = clock_;
    Last().outcome = outcome;
    clock_ += Duration::Millis(1);
    return *this;
  }
  History history_;
  std::string client_ = "c1";
  Duration clock_;
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
  EXPECT_EQ(r.invariant, "deleted-row-returned");
  EXPECT_NE(r.detail.find("del A"), std::string::npos) << r.detail;
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
  EXPECT_EQ(stale.invariant, "deleted-row-returned");
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

// Consistency levels (semantics §3, §13.4-6): the promise is judged on the MVCC ts against the
// writes acked before the read was invoked, not on the G the cluster reported.

TEST(ConsistencyChecker, RejectsAStrongReadBelowAnEarlierAckedWrite) {
  // G 0: the cluster did not report the read's guarantee ts, so only its M can be judged.
  HistoryBuilder stale;
  stale.Insert("A", 1, kA, 10).As("c2").Search("Q", kQ, 0, 5, {});
  CheckResult r = CheckHistory(stale.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "strong-read-stale") << "any client's acked write binds a Strong read";
  HistoryBuilder fresh;
  fresh.Insert("A", 1, kA, 10).As("c2").Search("Q", kQ, 0, 15, {{1, 0.5f}});
  EXPECT_TRUE(CheckHistory(fresh.history()).ok);
  // A write still in flight when the read was invoked may be missed.
  HistoryBuilder concurrent;
  concurrent.Insert("A", 1, kA, 10).As("c2").Search("Q", kQ, 0, 5, {});
  concurrent.Last().invoke_at = Duration::Zero();
  CheckResult c = CheckHistory(concurrent.history());
  EXPECT_TRUE(c.ok) << c.invariant << ": " << c.detail;
}

TEST(ConsistencyChecker, JudgesAMultiShardStrongReadOnItsLowestShard) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Query("Q", 0, 15, {1});
  h.Last().mvcc_ts = {15, 5};
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "strong-read-stale");
}

TEST(ConsistencyChecker, ASessionReadSeesItsOwnClientsWrites) {
  HistoryBuilder own;
  own.Insert("A", 1, kA, 10).Search("Q", kQ, 1, 5, {}, 10, Consistency::kSession);
  CheckResult r = CheckHistory(own.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "session-read-your-writes");
  EXPECT_NE(r.detail.find("(A, insert by c1)"), std::string::npos) << r.detail;
  HistoryBuilder other;
  other.Insert("A", 1, kA, 10).As("c2").Search("Q", kQ, 1, 5, {}, 10, Consistency::kSession);
  CheckResult o = CheckHistory(other.history());
  EXPECT_TRUE(o.ok) << "c2 never wrote, so c1's write binds it only eventually: " << o.detail;
  EXPECT_EQ(o.checked_reads, 1);
}

TEST(ConsistencyChecker, ASessionReadHonoursTheGuaranteeItsClientSent) {
  // c2 learnt ts 10 (say from c1) and sent it; the cluster reported G 1 and answered at 5.
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).As("c2").Query("Q", 1, 5, {}, -1, Consistency::kSession);
  h.Last().requested_guarantee_ts = 10;
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "session-read-your-writes");
}

TEST(ConsistencyChecker, ABoundedReadIsAtMostSixSecondsStale) {
  HistoryBuilder late;
  late.Insert("A", 1, kA, 10).Wait(Duration::Seconds(10));
  late.As("c2").Search("Q", kQ, 1, 5, {}, 10, Consistency::kBounded);
  CheckResult r = CheckHistory(late.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "bounded-staleness");
  CheckerConfig lenient;
  lenient.bounded_staleness = Duration::Seconds(15);
  EXPECT_TRUE(CheckHistory(late.history(), lenient).ok) << "the staleness bound is the config's";
  HistoryBuilder soon;
  soon.Insert("A", 1, kA, 10).Wait(Duration::Seconds(2));
  soon.As("c2").Search("Q", kQ, 1, 5, {}, 10, Consistency::kBounded);
  CheckResult s = CheckHistory(soon.history());
  EXPECT_TRUE(s.ok) << s.invariant << ": " << s.detail;
}

TEST(ConsistencyChecker, ACustomizedReadHonoursTheRequestedGuarantee) {
  // The user asked for ts 50; the cluster reported G 1, as if it had dropped the request.
  auto read_at = [](uint64_t mvcc) {
    HistoryBuilder h;
    h.Insert("A", 1, kA, 10).Count("Q", 1, mvcc, 1, Consistency::kCustomized);
    h.Last().requested_guarantee_ts = 50;
    return CheckHistory(h.history());
  };
  CheckResult below = read_at(40);
  EXPECT_FALSE(below.ok);
  EXPECT_EQ(below.invariant, "customized-guarantee");
  CheckResult above = read_at(55);
  EXPECT_TRUE(above.ok) << above.invariant << ": " << above.detail;
}

TEST(ConsistencyChecker, AnEventuallyReadMayBeStaleButNotInconsistent) {
  HistoryBuilder stale;
  stale.Insert("A", 1, kA, 10).Wait(Duration::Seconds(60));
  stale.Search("Q", kQ, 1, 5, {}, 10, Consistency::kEventually);
  CheckResult r = CheckHistory(stale.history());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
  HistoryBuilder future;  // a row inserted after its snapshot
  future.Insert("A", 1, kA, 10).Search("Q", kQ, 1, 5, {{1, 0.5f}}, 10, Consistency::kEventually);
  EXPECT_EQ(CheckHistory(future.history()).invariant, "phantom-row");
}

// Strong queries take a TSO timestamp like Strong searches.
TEST(ConsistencyChecker, RejectsAStrongQueryStampedBeforeAnEarlierWrite) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Query("Q", 5, 15, {1});
  EXPECT_EQ(CheckHistory(h.history()).invariant, "tso-order");
}

// Filters over the primary key.

TEST(ConsistencyChecker, ASearchReturnsOnlyRowsMatchingItsFilter) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  h.Search("Q", kQ, 30, 35, {{2, 0.5f}});
  h.Last().filter = "pk % 2 == 0";
  CheckResult r = CheckHistory(h.history());
  EXPECT_TRUE(r.ok) << "pk 1 does not match, so neither lost nor owed to top-k: " << r.detail;
  HistoryBuilder bad;
  bad.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  bad.Search("Q", kQ, 30, 35, {{1, 0.5f}, {2, 0.5f}});
  bad.Last().filter = "pk % 2 == 0";
  CheckResult v = CheckHistory(bad.history());
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.invariant, "filter-violated");
  // Only matching rows are owed: k=2 with one matching row.
  HistoryBuilder lost;
  lost.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20);
  lost.Search("Q", kQ, 30, 35, {}, 2);
  lost.Last().filter = "pk < 2";
  EXPECT_EQ(CheckHistory(lost.history()).invariant, "acked-write-lost");
}

TEST(ConsistencyChecker, AQueryReturnsOnlyPksMatchingItsFilter) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Query("Q", 30, 35, {2});
  h.Last().filter = "id in [2, 3]";
  h.Last().pk_field = "id";
  CheckResult r = CheckHistory(h.history());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
  h.Last().result_pks = {1, 2};
  EXPECT_EQ(CheckHistory(h.history()).invariant, "filter-violated");
}

TEST(ConsistencyChecker, RejectsAFilterThatDoesNotCompile) {
  for (const char* filter : {"pk +", "age > 3", "pk like \"a%\""}) {
    HistoryBuilder h;
    h.Insert("A", 1, kA, 10).Query("Q", 30, 35, {1});
    h.Last().filter = filter;
    CheckResult r = CheckHistory(h.history());
    EXPECT_FALSE(r.ok) << filter;
    EXPECT_EQ(r.invariant, "bad-filter") << filter;
  }
}

// Queries returning pks.

TEST(ConsistencyChecker, AnUnlimitedQueryReturnsEveryVisibleMatchingPk) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Query("Q1", 30, 35, {2, 1});
  h.Delete("del A", 1, 40).Query("Q2", 50, 55, {2});
  CheckResult r = CheckHistory(h.history());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
  EXPECT_EQ(r.checked_reads, 2);
  HistoryBuilder lost;
  lost.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Query("Q", 30, 35, {2});
  CheckResult l = CheckHistory(lost.history());
  EXPECT_FALSE(l.ok);
  EXPECT_EQ(l.invariant, "acked-write-lost");
}

TEST(ConsistencyChecker, RejectsQueryPksReturnedTwiceOrNeverWritten) {
  HistoryBuilder twice;
  twice.Insert("A", 1, kA, 10).Insert("A again", 1, kA, 20).Query("Q", 30, 35, {1, 1});
  EXPECT_EQ(CheckHistory(twice.history()).invariant, "duplicate-pk");
  HistoryBuilder phantom;
  phantom.Insert("A", 1, kA, 10).Query("Q", 30, 35, {1, 7});
  EXPECT_EQ(CheckHistory(phantom.history()).invariant, "phantom-row");
  HistoryBuilder future;  // written, but after the snapshot
  future.Insert("A", 1, kA, 10).Query("Q", 1, 5, {1}, -1, Consistency::kEventually);
  EXPECT_EQ(CheckHistory(future.history()).invariant, "phantom-row");
}

TEST(ConsistencyChecker, AQueryWithALimitReturnsAtMostThatMany) {
  auto query = [](std::vector<int64_t> pks) {
    HistoryBuilder h;
    h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Query("Q", 30, 35, std::move(pks), 1);
    return CheckHistory(h.history());
  };
  EXPECT_TRUE(query({2}).ok) << "any one of the matching pks";
  CheckResult over = query({1, 2});
  EXPECT_FALSE(over.ok);
  EXPECT_EQ(over.invariant, "topk-size");
  CheckResult none = query({});
  EXPECT_FALSE(none.ok) << "two rows are visible, so limit 1 owes one";
  EXPECT_EQ(none.invariant, "topk-size");
}

// Deletes must reach every segment holding their pk (semantics §13.19).
TEST(ConsistencyChecker, RejectsAQueryReturningARowDeletedBeforeItsSnapshot) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 20).Delete("del A", 1, 40);
  h.Query("Q", 50, 55, {1, 2});
  CheckResult r = CheckHistory(h.history());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.invariant, "deleted-row-returned");
  EXPECT_NE(r.detail.find("(del A, delete by c1)"), std::string::npos) << r.detail;
  HistoryBuilder at_delete;  // strict: a delete at t_d hides the row only for M > t_d
  at_delete.Insert("A", 1, kA, 10).Delete("del A", 1, 40);
  at_delete.Query("Q", 1, 40, {1}, -1, Consistency::kEventually);
  EXPECT_TRUE(CheckHistory(at_delete.history()).ok);
  HistoryBuilder reinserted;  // deleted, then inserted again: the new version is visible
  reinserted.Insert("A", 1, kA, 10).Delete("del A", 1, 40).Insert("A again", 1, kA, 45);
  reinserted.Query("Q", 50, 55, {1});
  EXPECT_TRUE(CheckHistory(reinserted.history()).ok);
}

// count(*): every visible version counts, and each exactly once (semantics §6, §13.15).

TEST(ConsistencyChecker, ACountSeesEveryVisibleVersionOnce) {
  auto count = [](int64_t n, std::string filter = "") {
    HistoryBuilder h;
    h.Insert("A", 1, kA, 10).Insert("A again", 1, kA, 20).Insert("B", 2, kB, 30);
    h.Count("Q", 40, 45, n);
    h.Last().filter = std::move(filter);
    return CheckHistory(h.history());
  };
  CheckResult three = count(3);
  EXPECT_TRUE(three.ok) << "a pk inserted twice is two rows: " << three.detail;
  CheckResult doubled = count(4);
  EXPECT_FALSE(doubled.ok);
  EXPECT_EQ(doubled.invariant, "single-visible-copy");
  CheckResult lost = count(2);
  EXPECT_FALSE(lost.ok);
  EXPECT_EQ(lost.invariant, "acked-write-lost");
  EXPECT_TRUE(count(2, "pk == 1").ok);
  EXPECT_EQ(count(3, "pk == 1").invariant, "single-visible-copy");
}

TEST(ConsistencyChecker, ACountAllowsIndeterminateWritesEitherWay) {
  auto count = [](int64_t n) {
    HistoryBuilder h;
    h.Insert("A", 1, kA, 10).Insert("B", 2, kB, 0, Outcome::kInfo).Count("Q", 30, 35, n);
    return CheckHistory(h.history());
  };
  EXPECT_TRUE(count(1).ok);
  EXPECT_TRUE(count(2).ok);
  EXPECT_EQ(count(0).invariant, "acked-write-lost");
  EXPECT_EQ(count(3).invariant, "single-visible-copy");
}

TEST(ConsistencyChecker, ACountAfterAnUpsertSeesOneRow) {
  HistoryBuilder h;
  h.Insert("A", 1, kA, 10).Upsert("A'", 1, kB, 20).Count("Q", 30, 35, 1);
  EXPECT_TRUE(CheckHistory(h.history()).ok);
  h.Last().count = 2;  // the replaced version counted too
  EXPECT_EQ(CheckHistory(h.history()).invariant, "single-visible-copy");
}

// An indeterminate write, once a read returned it, is in from that snapshot on.
TEST(ConsistencyChecker, AMaybeRowSeenOnceStaysVisible) {
  HistoryBuilder stays, flaps, never;
  stays.Insert("A", 1, kA, 0, Outcome::kInfo).Insert("B", 2, kB, 20);
  stays.Search("Q1", kQ, 30, 35, {{1, 0.5f}, {2, 0.5f}})
      .Search("Q2", kQ, 40, 45, {{1, 0.5f}, {2, 0.5f}});
  CheckResult ok = CheckHistory(stays.history());
  EXPECT_TRUE(ok.ok) << ok.invariant << ": " << ok.detail;

  flaps.Insert("A", 1, kA, 0, Outcome::kInfo).Insert("B", 2, kB, 20);
  flaps.Search("Q1", kQ, 30, 35, {{1, 0.5f}, {2, 0.5f}}).Search("Q2", kQ, 40, 45, {{2, 0.5f}});
  CheckResult r = CheckHistory(flaps.history());
  EXPECT_EQ(r.invariant, "maybe-row-flapped") << r.detail;
  EXPECT_NE(r.detail.find("pk 1"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("acked-write-lost"), std::string::npos) << r.detail;

  // The SDK retried it and the retry was acked later: between the first sighting and the retry's
  // ts only the maybe version can be there, so it must not vanish in between.
  HistoryBuilder retried;
  retried.Insert("A", 1, kA, 0, Outcome::kInfo).Insert("B", 2, kB, 20);
  retried.Search("Q1", kQ, 30, 35, {{1, 0.5f}, {2, 0.5f}}).Search("Q2", kQ, 40, 45, {{2, 0.5f}});
  retried.Insert("A again", 1, kA, 50).Search("Q3", kQ, 60, 65, {{1, 0.5f}, {2, 0.5f}});
  EXPECT_EQ(CheckHistory(retried.history()).invariant, "maybe-row-flapped");

  // Counted before any read named it: its ts may be below that count's snapshot (seed 6407).
  HistoryBuilder counted;
  counted.Insert("A", 1, kA, 0, Outcome::kInfo).Count("count", 30, 35, 1);
  counted.Search("Q", kQ, 40, 45, {{1, 0.5f}});
  CheckResult c = CheckHistory(counted.history());
  EXPECT_TRUE(c.ok) << c.invariant << ": " << c.detail;

  // Unseen first and seen later is allowed (its ts may be above the first read's snapshot), and
  // so is a query that drops it after a later delete.
  never.Insert("A", 1, kA, 0, Outcome::kInfo);
  never.Query("all", 30, 35, {}).Query("all again", 40, 45, {1});
  EXPECT_TRUE(CheckHistory(never.history()).ok);
  HistoryBuilder deleted;
  deleted.Insert("A", 1, kA, 0, Outcome::kInfo).Query("all", 30, 35, {1});
  deleted.Delete("del A", 1, 40).Query("all again", 50, 55, {});
  EXPECT_TRUE(CheckHistory(deleted.history()).ok);
}

// Over approximate indexes the top-k need not be exact, but recall@k has a floor.
TEST(ConsistencyChecker, ApproximateSearchesKeepTheirRecallFloor) {
  const std::vector<float> near = {0.5f, 0.5f}, mid = {0.6f, 0.4f}, far = {1, 0};
  CheckerConfig approximate;
  approximate.approximate_search = true;
  HistoryBuilder good, bad;
  for (HistoryBuilder* h : {&good, &bad}) {
    h->Insert("near", 1, near, 10).Insert("mid", 2, mid, 11).Insert("far", 3, far, 12);
  }
  // Exact: {1, 2}. One search misses pk 2 for pk 3 (recall 0.5), three are exact: mean 0.875.
  good.Search("Q1", kQ, 20, 25, {{1, 0}, {3, 0.5f}}, 2);
  for (uint64_t i = 0; i < 3; ++i)
    good.Search("Q", kQ, 30 + 10 * i, 35 + 10 * i, {{1, 0}, {2, 0.02f}}, 2);
  CheckResult fine = CheckHistory(good.history(), approximate);
  EXPECT_FALSE(fine.ok);  // 0.875 < 0.9
  approximate.recall_floor = 0.85;
  fine = CheckHistory(good.history(), approximate);
  EXPECT_TRUE(fine.ok) << fine.invariant << ": " << fine.detail;
  EXPECT_EQ(fine.recall_searches, 4);
  EXPECT_NEAR(fine.mean_recall, 0.875, 1e-9);
  // Every search returns the worst rows: recall 0.5; exact mode calls it a lost write instead.
  for (uint64_t i = 0; i < 4; ++i)
    bad.Search("Q", kQ, 30 + 10 * i, 35 + 10 * i, {{1, 0}, {3, 0.5f}}, 2);
  CheckResult r = CheckHistory(bad.history(), approximate);
  EXPECT_EQ(r.invariant, "ann-recall") << r.detail;
  EXPECT_EQ(CheckHistory(bad.history()).invariant, "acked-write-lost");
}

}  // namespace
}  // namespace simvus::reports
