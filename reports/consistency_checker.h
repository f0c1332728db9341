// ConsistencyChecker: checks a History against what Milvus promises (semantics §13).
//
// A pure function of (history, config). It rebuilds the visible set with the visibility rule —
// a row inserted at ts i is visible at MVCC ts M iff i <= M and no delete of its pk has
// i < t_d < M — from the acknowledged mutations, treating indeterminate (info) mutations as
// "maybe", and asserts:
//   tso-order          mutation and Strong-read timestamps are unique, and increase with real
//                      time: an operation that completed before another was invoked has the
//                      smaller timestamp;
//   read-snapshot      a read's MVCC ts M is >= its guarantee ts G on every shard;
//   acked-write-lost   a Strong read at M returns every acked row visible at M that ranks within
//                      its top-k (an acked write never disappears);
//   phantom-row        a read returns only rows that some insert wrote, visible at M (nothing
//                      deleted before M, nothing never written);
//   wrong-distance     returned scores are the exact scores under the search's metric (squared
//                      L2, inner product, cosine), best first;
//   topk-size          with k or more visible rows an exact search returns exactly k hits;
//   duplicate-pk       no result returns a pk twice (insert never dedups; reduce must).
// Multi-shard reads answer at one M per shard; rows are then checked against the range of Ms.
#pragma once

#include <string>

#include "reports/history.h"

namespace simvus::reports {

struct CheckResult {
  bool ok = true;
  std::string invariant;  // the first violated invariant's name
  std::string detail;     // what was seen and what was expected, in plain words
  int64_t checked_reads = 0;
};

struct CheckerConfig {
  float distance_tolerance = 1e-3f;
};

CheckResult CheckHistory(const History& history, const CheckerConfig& config = {});

}  // namespace simvus::reports
