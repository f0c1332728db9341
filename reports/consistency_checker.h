// ConsistencyChecker: checks a History against what Milvus promises (semantics §13).
//
// A pure function of (history, config): the same history always gives the same verdict. It
// rebuilds the visible set with the visibility rule — a row inserted at ts i is visible at MVCC ts
// M iff i <= M and no delete of its pk has i < t_d < M — from the acknowledged mutations, treating
// indeterminate (info) mutations as "maybe", and checks every successful read (search or query).
// A read's filter is a Milvus expression over the primary key only (Operation::filter), evaluated
// with the expr library. Invariants, by the name a failure reports:
//   bad-filter               a read's filter compiles over its pk field (a malformed history);
//   tso-order                mutation and Strong-read timestamps are unique, and increase with
//                            real time: an operation that completed before another was invoked
//                            has the smaller timestamp (a read whose G was not reported, 0, is
//                            left to strong-read-stale; a multi-query search counts once);
//   read-snapshot            a read's MVCC ts M is >= its reported guarantee ts G on every shard;
//   strong-read-stale        a Strong read answers at M >= the ts of every write acked before it
//                            was invoked, by any client (§13.4);
//   session-read-your-writes a Session read answers at M >= the ts of every write its own client
//                            had acked before invoking it, and >= the G the client sent (§13.5);
//   bounded-staleness        a Bounded read answers at M >= the ts of every write acked more than
//                            CheckerConfig::bounded_staleness before it was invoked (§13.6);
//   customized-guarantee     a Customized read answers at M >= the G the user asked for;
//                            (Eventually promises no freshness; its snapshot is still checked.)
//   filter-violated          every returned pk matches the read's filter;
//   phantom-row              a read returns only rows that some insert wrote, visible at M with
//                            the returned score (nothing never written, no wrong distance);
//   deleted-row-returned     a returned pk whose every version old enough for M is hidden by an
//                            acked delete before M: the delete did not reach a segment (§13.19);
//   acked-write-lost         a read at M returns every acked matching row visible at M: a search
//                            within its top-k, an unlimited query all of them, a count at least
//                            the definitely visible versions (an acked write never disappears);
//   wrong-distance           returned scores are best first under the search's metric;
//   topk-size                a search with k or more matching visible rows returns exactly k
//                            hits; a query returns at most its limit, and fewer only when fewer
//                            matching rows are visible;
//   duplicate-pk             no search or pk query returns a pk twice (insert never dedups;
//                            reduce must);
//   single-visible-copy      count(*) is at most the number of possibly visible matching versions
//                            (a segment served as growing and sealed at once counts twice, §13.15);
//   maybe-row-flapped        an indeterminate write, once returned by a read at M, is visible at
//                            every later snapshot like an acked row (its ts is at most M);
//   ann-recall               with approximate indexes, answered searches keep a mean recall@k of
//                            at least CheckerConfig::recall_floor against exact ground truth.
// Multi-shard reads answer at one M per shard; rows are then checked against the range
// [m_lo, m_hi] of Ms, and freshness promises against m_lo. The promises are judged on M against
// the writes, never on the G the cluster reported.
#pragma once

#include <string>

#include "components/env/time.h"
#include "reports/history.h"

namespace simvus::reports {

struct CheckResult {
  bool ok = true;
  std::string invariant;  // the first violated invariant's name
  std::string detail;     // what was seen and what was expected, in plain words
  int64_t checked_reads = 0;
  // Approximate searches only: mean recall@k against exact ground truth, over this many searches.
  double mean_recall = -1;
  int64_t recall_searches = 0;
};

struct CheckerConfig {
  float distance_tolerance = 1e-3f;
  // How stale a Bounded read may be, in real time: Milvus's gracefulTime (common.gracefulTime,
  // 5 s, semantics §3) plus 1 s for the time-tick interval and the proxy's clock tolerance. A write
  // acked longer than this before a Bounded read was invoked must be visible to it.
  Duration bounded_staleness = Duration::Seconds(6);
  // Searches went through approximate indexes (HNSW, IVF with nprobe < nlist): a visible row
  // missing from the top-k is a recall loss, not a lost write, so acked-write-lost is not judged
  // for searches (every other invariant is; queries and counts stay exact).
  bool approximate_search = false;
  // With approximate_search: the mean recall@k the answered searches must keep, against the exact
  // top-k of the rows definitely visible at each one's snapshot (ann-recall). On a few hundred rows
  // HNSW (M 16, ef 64) and IVF with nprobe = nlist are exact or nearly; 0.9 leaves room for a
  // few hard queries, not for a broken index or a segment searched with the wrong parameters.
  double recall_floor = 0.9;
};

CheckResult CheckHistory(const History& history, const CheckerConfig& config = {});

}  // namespace simvus::reports
