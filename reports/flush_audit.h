// FlushAudit: checks what a collection's data looks like in storage alone — the object store's
// segment files and the MetaStore's segment and checkpoint history — against the History
// (semantics §13 items 12-14; seed 1.1.3 steps 8-10, 1.1.5). A pure function, like the
// consistency checker; scenarios/storage_audit.h reads the stored side from a running cluster.
//
// Storage alone answers a read at MVCC ts M by the visibility rule over the stored rows and
// deletes (an L0 segment's deletes apply to every row of the collection, an L1 segment's
// deltalog to that segment's rows). With M = the flush ts of the last successful Flush (Flush +
// GetFlushState), against the writes acknowledged before that Flush was invoked:
//   flush-durability      every row the history says is visible at M is visible in storage: it
//                         would survive the loss of the whole log, and no compaction dropped it;
//   flush-delete-lost     no row visible in storage at M is hidden by an acknowledged delete (an
//                         L0 delete that compaction lost, a deltalog GC removed);
// and, for every stored record:
//   flush-double-apply    no (pk, ts) row is stored more often than clients wrote it, and no
//                         delete more than once among the L0 segments or within one segment's
//                         deltalogs (a replay applied nothing twice);
//   flush-phantom         nothing is stored that no client wrote;
//   segment-state-machine every segment's MetaStore history is a legal path — created Growing
//                         (L1), or Flushed (L0, or an L1 compaction result), then Growing ->
//                         Sealed -> Flushing -> Flushed -> Dropped (Flushing -> Dropped when
//                         empty) -> deleted by GC — and every id is created once;
//   checkpoint-monotone   a vchannel's checkpoint never moves back (offset or ts).
// Writes whose outcome is unknown (info) may be stored or not, at any ts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/consistency_checker.h"
#include "reports/history.h"

namespace simvus::reports {

struct StoredRow {
  int64_t pk = 0;
  uint64_t ts = 0;
  int64_t segment_id = 0;
  bool l0 = false;  // deletes: from an L0 segment (applies to every segment)
};

// One MetaStore revision of a segment's value: `from` is empty when the key was created; `to`
// is "deleted" when the key was removed.
struct SegmentTransition {
  int64_t segment_id = 0;
  std::string level;       // "L0", "L1"
  bool compacted = false;  // a mix compaction's result
  std::string from;
  std::string to;
  int64_t revision = 0;
};

struct CheckpointRecord {
  std::string vchannel;
  int64_t offset = 0;
  uint64_t ts = 0;
  int64_t revision = 0;
};

struct StoredCollection {
  std::vector<StoredRow> rows;     // every row of every Flushed L1 segment
  std::vector<StoredRow> deletes;  // every (pk, ts) of every Flushed segment's deltalogs
  std::vector<SegmentTransition> transitions;  // in revision order
  std::vector<CheckpointRecord> checkpoints;   // in revision order
  int64_t flushed_segments = 0;
};

CheckResult CheckFlushed(const History& history, const StoredCollection& stored);

}  // namespace simvus::reports
