// FlushAudit: checks what a collection's data looks like in storage alone — the object store's
// segment files and the MetaStore's segment and checkpoint history — against the History
// (semantics §13 items 12-14; seed 1.1.3 steps 8-10, 1.1.5). A pure function, like the
// consistency checker; scenarios/storage_audit.h reads the stored side from a running cluster.
//
//   flush-durability      after the last successful Flush (Flush + GetFlushState), every row and
//                         every delete acknowledged before that Flush was invoked is in a Flushed
//                         segment (an L1 segment's binlogs, an L0 segment's deltalog): it would
//                         survive the loss of the whole log;
//   flush-double-apply    no (pk, ts) row or delete is stored more often than clients wrote it
//                         (a replay applied nothing twice);
//   flush-phantom         nothing is stored that no client wrote;
//   segment-state-machine every segment's MetaStore history is a legal path — created Growing
//                         (L1) or Flushed (L0), then Growing -> Sealed -> Flushing -> Flushed ->
//                         Dropped (Flushing -> Dropped when empty) — and every id is created once;
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
};

// One MetaStore revision of a segment's value: `from` is empty when the key was created; `to`
// is "deleted" when the key was removed.
struct SegmentTransition {
  int64_t segment_id = 0;
  std::string level;  // "L0", "L1"
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
