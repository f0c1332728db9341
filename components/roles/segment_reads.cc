#include "components/roles/segment_reads.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include "components/ann/metric.h"
#include "components/segment/reduce.h"

namespace simvus::roles {

int32_t NqOf(const proto::ShardSearchRequest& request) { return std::max(request.nq(), 1); }

Result<QueryHits> SearchSegments(const std::vector<SegmentRef>& segments,
                                 const proto::ShardSearchRequest& request, Timestamp mvcc,
                                 bool reduce_duplicates, SearchWork* work, bool batch_offset_bug) {
  const int32_t nq = NqOf(request);
  std::vector<segment::SearchResult> parts;
  for (const SegmentRef& ref : segments) {
    segment::SearchRequest search;
    search.queries.assign(request.vector().begin(), request.vector().end());
    search.nq = nq;
    search.topk = std::min<int64_t>(request.topk() + ref.duplicate_rows,
                                    std::max<int64_t>(ref.segment->num_rows(), request.topk()));
    search.mvcc_ts = mvcc;
    search.filter = request.filter();
    search.params = ann::IndexParams(request.params().begin(), request.params().end());
    Result<segment::SearchResult> found = ref.segment->Search(search);
    if (!found.ok()) return found.status();
    if (work != nullptr) {
      work->dim = request.vector_size() / nq;
      ++work->segments;
      work->scanned_distances += found->scanned_distances;
      work->batched_distances += found->batched_distances;
      work->graph_distances += found->graph_distances;
      work->rows_filtered += found->rows_filtered;
    }
    // Injected bug "batch-answers-query-0": every query of a batch gets the first one's hits.
    if (batch_offset_bug) {
      for (auto& hits : found->queries) hits = found->queries[0];
    }
    parts.push_back(std::move(*found));
  }
  if (parts.empty()) return QueryHits(static_cast<size_t>(nq));
  if (!reduce_duplicates) {
    QueryHits hits(static_cast<size_t>(nq));
    for (const segment::SearchResult& part : parts) {
      for (size_t q = 0; q < hits.size(); ++q) {
        hits[q].insert(hits[q].end(), part.queries[q].begin(), part.queries[q].end());
      }
    }
    return hits;
  }
  Result<segment::SearchResult> merged = segment::ReduceSearchResults(parts, request.topk());
  if (!merged.ok()) return merged.status();
  return std::move(merged->queries);
}

Result<QueryAnswer> QuerySegments(const std::vector<SegmentRef>& segments,
                                  const proto::ShardQueryRequest& request, Timestamp mvcc) {
  QueryAnswer answer;
  std::vector<segment::QueryResult> parts;
  for (const SegmentRef& ref : segments) {
    if (request.count_only()) {
      Result<int64_t> n = ref.segment->Count(request.filter(), mvcc);
      if (!n.ok()) return n.status();
      answer.count += *n;
      continue;
    }
    segment::QueryRequest query{.filter = request.filter(), .mvcc_ts = mvcc};
    query.output_fields.assign(request.output_fields().begin(), request.output_fields().end());
    Result<segment::QueryResult> found = ref.segment->Query(query);
    if (!found.ok()) return found.status();
    parts.push_back(std::move(*found));
  }
  if (!parts.empty()) {
    Result<segment::QueryResult> merged = segment::ReduceQueryResults(parts, request.limit());
    if (!merged.ok()) return merged.status();
    answer.rows = std::move(*merged);
  }
  return answer;
}

segment::SearchResult SearchResultOf(const google::protobuf::RepeatedPtrField<proto::Hit>& hits,
                                     const google::protobuf::RepeatedField<int32_t>& topks,
                                     ann::MetricType metric) {
  segment::SearchResult part;
  part.metric = metric;
  // No topks: one query (an answer from before nq was sent).
  const std::vector<int32_t> counts = topks.empty()
                                          ? std::vector<int32_t>{hits.size()}
                                          : std::vector<int32_t>(topks.begin(), topks.end());
  int next = 0;
  for (int32_t count : counts) {
    std::vector<segment::Hit>& out = part.queries.emplace_back();
    out.resize(static_cast<size_t>(std::max(0, std::min(count, hits.size() - next))));
    for (segment::Hit& hit : out) {
      hit.pk = hits.Get(next).pk();
      hit.score = hits.Get(next).distance();
      ++next;
    }
  }
  return part;
}

void AddHits(const QueryHits& hits, google::protobuf::RepeatedPtrField<proto::Hit>* out,
             google::protobuf::RepeatedField<int32_t>* topks) {
  for (const std::vector<segment::Hit>& query : hits) {
    topks->Add(static_cast<int32_t>(query.size()));
    for (const segment::Hit& hit : query) {
      proto::Hit* h = out->Add();
      h->set_pk(std::get<int64_t>(hit.pk));
      h->set_distance(hit.score);
    }
  }
}

std::vector<segment::PrimaryKey> PrimaryKeysOf(const std::vector<int64_t>& pks) {
  return std::vector<segment::PrimaryKey>(pks.begin(), pks.end());
}

// Fitted by bench_cost_model (bench/README.md, "The search cost model") on 2026-12-03: default
// preset (-O2), quiet 2-core machine, 3 repetitions, medians; rounded.
const SearchCostModel& DefaultSearchCostModel() {
  static const SearchCostModel model{
      .segment_ns = 50,
      .scanned_float_ns = 0.19,
      // Fitted equal to scanned_float_ns (2026-12-06: 0.0705 vs 0.0697 ns on another host, the
      // ratio applied here): on average over the cases a float scored in a batch costs what it
      // costs alone. The batch's gain is memory traffic on segments beyond the cache (4.3x at
      // 200k x 128), which the model leaves out with cache residency (bench/README.md).
      .batched_float_ns = 0.19,
      .graph_hop_ns = 32,
      .row_filter_ns = 3.6,
  };
  return model;
}

Duration SearchCost(const SearchWork& work, const SearchCostModel& model) {
  const auto dim = static_cast<double>(work.dim);
  const double ns = static_cast<double>(model.request_ns) +
                    static_cast<double>(model.segment_ns * work.segments) +
                    static_cast<double>(work.scanned_distances) * dim * model.scanned_float_ns +
                    static_cast<double>(work.batched_distances) * dim * model.batched_float_ns +
                    static_cast<double>(work.graph_distances) *
                        (dim * model.scanned_float_ns + model.graph_hop_ns) +
                    static_cast<double>(work.rows_filtered) * model.row_filter_ns;
  return Duration::Nanos(std::llround(ns));
}

Duration QueryCost(const std::vector<SegmentRef>& segments) {
  int64_t ns = 20'000;
  for (const SegmentRef& ref : segments) ns += ref.segment->num_rows() * 10;
  return Duration::Nanos(ns);
}

}  // namespace simvus::roles
