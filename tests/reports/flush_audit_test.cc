#include "reports/flush_audit.h"

#include <gtest/gtest.h>

namespace simvus::reports {
namespace {

// A history of writes and one flush, each operation one second after the previous.
class Writes {
 public:
  Writes& Op(OpType type, std::vector<int64_t> pks, uint64_t ts, Outcome outcome = Outcome::kOk) {
    Operation op;
    op.client = "c1";
    op.type = type;
    op.label = std::string(OpTypeName(type)) + " " + std::to_string(ts);
    op.pks = std::move(pks);
    op.ts = outcome == Outcome::kOk ? ts : 0;
    op.invoke_at = Duration::Seconds(clock_++);
    op.complete_at = Duration::Seconds(clock_++);
    const int64_t index = history_.Invoke(op);
    history_.at(index).outcome = outcome;  // Invoke records it pending
    return *this;
  }
  Writes& Flush(uint64_t ts) { return Op(OpType::kFlush, {}, ts); }
  const History& history() const { return history_; }

 private:
  History history_;
  int64_t clock_ = 1;
};

// Segment 1 holds rows 1 and 2 (ts 10), L0 segment 2 the delete of 1 (ts 20); both legal.
StoredCollection Stored() {
  StoredCollection s;
  s.rows = {{1, 10, 1}, {2, 10, 1}};
  s.deletes = {{1, 20, 2, /*l0=*/true}};
  s.transitions = {{1, "L1", false, "", "GROWING", 3},
                   {1, "L1", false, "GROWING", "SEALED", 4},
                   {1, "L1", false, "SEALED", "FLUSHING", 5},
                   {1, "L1", false, "FLUSHING", "FLUSHED", 6},
                   {2, "L0", false, "", "FLUSHED", 7}};
  s.checkpoints = {{"v0", 1, 9, 6}, {"v0", 4, 21, 7}};
  return s;
}

Writes Written() {
  Writes w;
  w.Op(OpType::kInsert, {1, 2}, 10).Op(OpType::kDelete, {1}, 20).Flush(30);
  return w;
}

TEST(FlushAudit, ExactlyWhatWasWrittenPasses) {
  const CheckResult r = CheckFlushed(Written().history(), Stored());
  EXPECT_TRUE(r.ok) << r.invariant << ": " << r.detail;
}

TEST(FlushAudit, AnAckedRowMissingAfterFlushIsDurabilityLoss) {
  StoredCollection s = Stored();
  s.rows.pop_back();
  const CheckResult r = CheckFlushed(Written().history(), s);
  EXPECT_EQ(r.invariant, "flush-durability");
  EXPECT_NE(r.detail.find("row pk 2"), std::string::npos) << r.detail;
}

TEST(FlushAudit, AnAckedDeleteMissingAfterFlushLeavesItsRowVisible) {
  StoredCollection s = Stored();
  s.deletes.clear();
  const CheckResult r = CheckFlushed(Written().history(), s);
  EXPECT_EQ(r.invariant, "flush-delete-lost");
  EXPECT_NE(r.detail.find("row pk 1"), std::string::npos) << r.detail;
}

TEST(FlushAudit, ASegmentDeltalogHidesOnlyItsOwnSegmentsRows) {
  StoredCollection s = Stored();
  s.deletes = {{1, 20, 1}};  // L0 compaction moved the delete into segment 1's deltalog
  EXPECT_TRUE(CheckFlushed(Written().history(), s).ok);
  s.deletes = {{1, 20, 9}};  // ...into another segment's: row 1 of segment 1 stays visible
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "flush-delete-lost");
}

TEST(FlushAudit, TheSameDeleteInSeveralSegmentsDeltalogsIsNotADouble) {
  StoredCollection s = Stored();
  s.deletes = {{1, 20, 1}, {1, 20, 4}};  // two targets of one L0 compaction
  EXPECT_TRUE(CheckFlushed(Written().history(), s).ok);
  s.deletes.push_back({1, 20, 4});  // twice within segment 4
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "flush-double-apply");
}

TEST(FlushAudit, ACompactionThatDropsALiveRowIsDurabilityLoss) {
  StoredCollection s = Stored();
  s.rows = {{2, 10, 7}};  // the merged segment kept row 2 and dropped deleted row 1: fine
  EXPECT_TRUE(CheckFlushed(Written().history(), s).ok);
  s.rows.clear();  // ...and row 2 too: not fine
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "flush-durability");
}

TEST(FlushAudit, OnlyACompactionResultMayBeBornFlushed) {
  StoredCollection s = Stored();
  s.transitions.push_back({7, "L1", /*compacted=*/true, "", "FLUSHED", 8});
  EXPECT_TRUE(CheckFlushed(Written().history(), s).ok);
  s.transitions.back().compacted = false;
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "segment-state-machine");
}

TEST(FlushAudit, WritesAfterTheFlushWasInvokedMayBeUnflushed) {
  Writes w = Written();
  w.Op(OpType::kInsert, {3}, 40);  // acked after the flush: not promised
  EXPECT_TRUE(CheckFlushed(w.history(), Stored()).ok);
}

TEST(FlushAudit, NoFlushPromisesNothingButStillForbidsDoubles) {
  Writes w;
  w.Op(OpType::kInsert, {1, 2}, 10).Op(OpType::kDelete, {1}, 20);
  EXPECT_TRUE(CheckFlushed(w.history(), StoredCollection{}).ok);
  StoredCollection s = Stored();
  s.deletes.push_back({1, 20, 3, /*l0=*/true});  // a replay wrote it into a second L0 segment
  const CheckResult r = CheckFlushed(w.history(), s);
  EXPECT_EQ(r.invariant, "flush-double-apply");
  EXPECT_NE(r.detail.find("segment 3"), std::string::npos) << r.detail;
}

TEST(FlushAudit, ARowStoredTwiceIsDoubleApplyUnlessWrittenTwice) {
  StoredCollection s = Stored();
  s.rows.push_back({2, 10, 5});
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "flush-double-apply");
  Writes twice;  // insert never dedups: one request may carry pk 2 twice
  twice.Op(OpType::kInsert, {1, 2, 2}, 10).Op(OpType::kDelete, {1}, 20).Flush(30);
  EXPECT_TRUE(CheckFlushed(twice.history(), s).ok);
}

TEST(FlushAudit, ARowNobodyWroteIsAPhantomButAMaybeWriteIsAllowed) {
  StoredCollection s = Stored();
  s.rows.push_back({7, 15, 1});
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "flush-phantom");
  Writes w = Written();
  w.Op(OpType::kInsert, {7}, 0, Outcome::kInfo);  // timed out: may have been applied
  EXPECT_TRUE(CheckFlushed(w.history(), s).ok);
}

TEST(FlushAudit, SkippingFlushingIsAnIllegalTransition) {
  StoredCollection s = Stored();
  s.transitions = {{1, "L1", false, "", "GROWING", 3},
                   {1, "L1", false, "GROWING", "SEALED", 4},
                   {1, "L1", false, "SEALED", "FLUSHED", 6}};
  const CheckResult r = CheckFlushed(Written().history(), s);
  EXPECT_EQ(r.invariant, "segment-state-machine");
  EXPECT_NE(r.detail.find("SEALED -> FLUSHED"), std::string::npos) << r.detail;
}

TEST(FlushAudit, ASegmentIdCreatedTwiceIsCaught) {
  StoredCollection s = Stored();
  s.transitions.push_back({1, "L1", false, "FLUSHED", "DROPPED", 8});
  s.transitions.push_back({1, "L1", false, "DROPPED", "deleted", 9});
  s.transitions.push_back({1, "L1", false, "", "GROWING", 10});
  const CheckResult r = CheckFlushed(Written().history(), s);
  EXPECT_EQ(r.invariant, "segment-state-machine");
  EXPECT_NE(r.detail.find("created twice"), std::string::npos) << r.detail;
}

TEST(FlushAudit, ACheckpointMovingBackIsCaught) {
  StoredCollection s = Stored();
  s.checkpoints.push_back({"v0", 3, 25, 9});  // ts forward, offset back
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "checkpoint-monotone");
  s.checkpoints.back() = {"v0", 5, 20, 9};  // offset forward, ts back
  EXPECT_EQ(CheckFlushed(Written().history(), s).invariant, "checkpoint-monotone");
  s.checkpoints.back() = {"v1", 0, 0, 9};  // another vchannel has its own history
  EXPECT_TRUE(CheckFlushed(Written().history(), s).ok);
}

}  // namespace
}  // namespace simvus::reports
