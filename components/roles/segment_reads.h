// SegmentReads: one shard read over a set of segments at one MVCC ts, as a delegator runs it over
// its growing data and a worker over its sealed segments (semantics §9, per-segment level).
//
//   SearchSegments  one search per segment with the request's filter and search params; k is
//                   widened by the rows whose pk repeats within the segment (insert never
//                   dedups), so that k distinct pks survive the reduce; results are reduced to
//                   one hit per pk, best first, top-k (the per-node reduce level).
//   QuerySegments   a query (filter, output fields, newest version per pk, limit) or count(*)
//                   (every visible version counts, as Milvus's does) per segment, merged.
// The cost functions are the simulator's charge for the CPU work (env.compute).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "components/env/result.h"
#include "components/env/time.h"
#include "components/protocol/simvus.pb.h"
#include "components/segment/query_result.h"
#include "components/segment/search_result.h"
#include "components/segment/segment.h"

namespace simvus::roles {

struct SegmentRef {
  std::shared_ptr<const segment::Segment> segment;
  int64_t duplicate_rows = 0;  // rows whose pk was already in the segment
};

// What one shard search did, summed over its segments (segment::SearchResult's counts): what
// SearchCost charges.
struct SearchWork {
  int64_t dim = 0;
  int64_t segments = 0;
  int64_t scanned_distances = 0;
  int64_t batched_distances = 0;  // scanned for a batch of queries at once (nq > 1, brute force)
  int64_t graph_distances = 0;
  int64_t rows_filtered = 0;
};

// Hits per query of a request: nq lists, each best first.
using QueryHits = std::vector<std::vector<segment::Hit>>;

// The request's number of query vectors (nq, 0 meaning 1).
int32_t NqOf(const proto::ShardSearchRequest& request);

// All nq queries of the request in one search per segment (a batch: segments scan their rows once
// for all of them), reduced per query. `reduce_duplicates` false is the injected bug
// "reduce-keeps-duplicates": every copy stays; `batch_offset_bug` the injected bug
// "batch-answers-query-0". The work done is added to *work when it is not null.
Result<QueryHits> SearchSegments(const std::vector<SegmentRef>& segments,
                                 const proto::ShardSearchRequest& request, Timestamp mvcc,
                                 bool reduce_duplicates = true, SearchWork* work = nullptr,
                                 bool batch_offset_bug = false);

struct QueryAnswer {
  segment::QueryResult rows;  // query: reduced, newest version per pk, ordered by pk
  int64_t count = 0;          // count(*)
};
Result<QueryAnswer> QuerySegments(const std::vector<SegmentRef>& segments,
                                  const proto::ShardQueryRequest& request, Timestamp mvcc);

// Hits on the wire (int64 pks) and back, as one result part scored by `metric`. Out of line on
// purpose: GCC 12 at -O3 warns (maybe-uninitialized, a false positive) on a variant pk built
// inline inside a coroutine.
// Hits arrive query after query, topks[q] of them for query q (no topks: all for one query).
segment::SearchResult SearchResultOf(const google::protobuf::RepeatedPtrField<proto::Hit>& hits,
                                     const google::protobuf::RepeatedField<int32_t>& topks,
                                     ann::MetricType metric);
void AddHits(const QueryHits& hits, google::protobuf::RepeatedPtrField<proto::Hit>* out,
             google::protobuf::RepeatedField<int32_t>* topks);
// pks as the segment's primary-key values.
std::vector<segment::PrimaryKey> PrimaryKeysOf(const std::vector<int64_t>& pks);

// The simulator's charge for a shard search, from the work it did: per request, per segment,
// per float of a scanned distance, per float of a distance scanned for a batch (the block of rows
// read once for every query of it: the float's compute without its memory traffic), per graph
// distance (its floats plus a hop: a cache miss and the beam's heap work) and per row whose
// bitset bit was evaluated. The constants are measured on the host (bench/README.md, "The search
// cost model": `bench_ann
// --benchmark_filter=cost_model/` prints each case's measured and modelled time), so that sim
// time is in host units. Not modelled: dim-dependent SIMD efficiency, cache residency (a segment
// that fits in cache scans faster), IVF_SQ8 / IVF_PQ codes being cheaper than full floats.
struct SearchCostModel {
  int64_t request_ns = 20'000;  // RPC decode, reduce, encode: not measured by the benchmark
  int64_t segment_ns;
  double scanned_float_ns;
  double batched_float_ns;
  double graph_hop_ns;
  double row_filter_ns;
};
const SearchCostModel& DefaultSearchCostModel();
Duration SearchCost(const SearchWork& work,
                    const SearchCostModel& model = DefaultSearchCostModel());
// ~10 ns per row for the filter, plus 20 us.
Duration QueryCost(const std::vector<SegmentRef>& segments);

}  // namespace simvus::roles
