#include "components/roles/segment_reads.h"

#include <algorithm>
#include <variant>

#include "components/ann/metric.h"
#include "components/segment/reduce.h"

namespace simvus::roles {

Result<std::vector<segment::Hit>> SearchSegments(const std::vector<SegmentRef>& segments,
                                                 const proto::ShardSearchRequest& request,
                                                 Timestamp mvcc, bool reduce_duplicates) {
  std::vector<segment::SearchResult> parts;
  for (const SegmentRef& ref : segments) {
    segment::SearchRequest search;
    search.queries.assign(request.vector().begin(), request.vector().end());
    search.nq = 1;
    search.topk = std::min<int64_t>(request.topk() + ref.duplicate_rows,
                                    std::max<int64_t>(ref.segment->num_rows(), request.topk()));
    search.mvcc_ts = mvcc;
    search.filter = request.filter();
    search.params = ann::IndexParams(request.params().begin(), request.params().end());
    Result<segment::SearchResult> found = ref.segment->Search(search);
    if (!found.ok()) return found.status();
    parts.push_back(std::move(*found));
  }
  if (parts.empty()) return std::vector<segment::Hit>{};
  if (!reduce_duplicates) {
    std::vector<segment::Hit> hits;
    for (const segment::SearchResult& part : parts) {
      hits.insert(hits.end(), part.queries[0].begin(), part.queries[0].end());
    }
    return hits;
  }
  Result<segment::SearchResult> merged = segment::ReduceSearchResults(parts, request.topk());
  if (!merged.ok()) return merged.status();
  return std::move(merged->queries[0]);
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
                                     ann::MetricType metric) {
  segment::SearchResult part;
  part.metric = metric;
  part.queries.emplace_back();
  std::vector<segment::Hit>& out = part.queries[0];
  out.resize(static_cast<size_t>(hits.size()));
  for (int i = 0; i < hits.size(); ++i) {
    out[static_cast<size_t>(i)].pk = hits.Get(i).pk();
    out[static_cast<size_t>(i)].score = hits.Get(i).distance();
  }
  return part;
}

void AddHits(const std::vector<segment::Hit>& hits,
             google::protobuf::RepeatedPtrField<proto::Hit>* out) {
  for (const segment::Hit& hit : hits) {
    proto::Hit* h = out->Add();
    h->set_pk(std::get<int64_t>(hit.pk));
    h->set_distance(hit.score);
  }
}

std::vector<segment::PrimaryKey> PrimaryKeysOf(const std::vector<int64_t>& pks) {
  return std::vector<segment::PrimaryKey>(pks.begin(), pks.end());
}

Duration SearchCost(const std::vector<SegmentRef>& segments, int64_t dim) {
  int64_t ns = 20'000;
  for (const SegmentRef& ref : segments) {
    const int64_t rows = ref.segment->num_rows();
    ns += (ref.segment->index() ? rows / 16 : rows) * dim;
  }
  return Duration::Nanos(ns);
}

Duration QueryCost(const std::vector<SegmentRef>& segments) {
  int64_t ns = 20'000;
  for (const SegmentRef& ref : segments) ns += ref.segment->num_rows() * 10;
  return Duration::Nanos(ns);
}

}  // namespace simvus::roles
