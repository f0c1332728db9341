#include "components/roles/segment_reads.h"

#include <gtest/gtest.h>

#include "components/env/rng.h"

namespace simvus::roles {
namespace {

constexpr int64_t kDim = 16;

segment::CollectionSchema Schema(ann::MetricType metric) {
  segment::CollectionSchema s;
  s.name = "c";
  s.fields = {
      {segment::FieldId{100}, "pk", segment::DataType::kInt64, true},
      {segment::FieldId{101}, "vec", segment::DataType::kFloatVector, false, kDim, metric},
  };
  return s;
}

// A growing segment of `rows` random rows with pks first_pk.., inserted at ts 10 + row.
std::shared_ptr<const segment::Segment> RandomSegment(int64_t id, int64_t first_pk, int64_t rows,
                                                      ann::MetricType metric, Rng& rng) {
  auto seg = std::make_shared<segment::Segment>(segment::SegmentId{id}, Schema(metric));
  segment::InsertBatch batch;
  for (const segment::FieldSchema& f : seg->schema().fields) {
    batch.columns.push_back(segment::FieldColumn::Empty(f));
  }
  for (int64_t r = 0; r < rows; ++r) {
    batch.timestamps.push_back(Timestamp{static_cast<uint64_t>(10 + r)});
    batch.columns[0].int64s.push_back(first_pk + r);
    for (int64_t j = 0; j < kDim; ++j) {
      batch.columns[1].floats.push_back(static_cast<float>(rng.UniformUnit()));
    }
  }
  EXPECT_TRUE(seg->Insert(batch).ok());
  return seg;
}

proto::ShardSearchRequest Request(const std::vector<std::vector<float>>& queries, int32_t topk,
                                  std::string filter) {
  proto::ShardSearchRequest request;
  for (const std::vector<float>& q : queries) request.mutable_vector()->Add(q.begin(), q.end());
  request.set_nq(static_cast<int32_t>(queries.size()));
  request.set_topk(topk);
  request.set_filter(std::move(filter));
  return request;
}

// A batch of nq queries answers each of them exactly as a search of that query alone would, on
// every metric, with and without a filter, across segments whose pks overlap (the reduce keeps
// the best copy per query), and counts nq times the distances of one query.
TEST(SearchSegments, ABatchAnswersEachQueryAsItsOwnSearch) {
  for (ann::MetricType metric :
       {ann::MetricType::kL2, ann::MetricType::kIP, ann::MetricType::kCosine}) {
    for (const std::string& filter : {std::string(), std::string("pk % 3 != 0")}) {
      Rng rng(7);
      // 301 rows (odd: the batch kernel's unpaired last row) and 200 more, pks 250..449
      // overlapping the first segment's 250..300.
      const std::vector<SegmentRef> segments = {
          SegmentRef{RandomSegment(1, 0, 301, metric, rng)},
          SegmentRef{RandomSegment(2, 250, 200, metric, rng)}};
      std::vector<std::vector<float>> queries;
      for (int q = 0; q < 5; ++q) {
        std::vector<float>& query = queries.emplace_back();
        for (int64_t j = 0; j < kDim; ++j) query.push_back(static_cast<float>(rng.UniformUnit()));
      }
      SearchWork batch_work;
      Result<QueryHits> batch = SearchSegments(segments, Request(queries, 10, filter),
                                               Timestamp::Max(), true, &batch_work);
      ASSERT_TRUE(batch.ok()) << batch.status().ToString();
      ASSERT_EQ(batch->size(), queries.size());
      int64_t single_distances = 0;
      for (size_t q = 0; q < queries.size(); ++q) {
        SearchWork work;
        Result<QueryHits> one = SearchSegments(segments, Request({queries[q]}, 10, filter),
                                               Timestamp::Max(), true, &work);
        ASSERT_TRUE(one.ok()) << one.status().ToString();
        ASSERT_EQ(one->size(), 1u);
        EXPECT_EQ((*batch)[q], (*one)[0])
            << "query " << q << ", metric " << static_cast<int>(metric) << ", filter " << filter;
        EXPECT_EQ((*one)[0].size(), 10u);
        single_distances += work.scanned_distances;
        EXPECT_EQ(work.dim, kDim);
      }
      // The batch computes the distances the single queries do; brute-force scans of several
      // queries are counted as batched (each block read once for all of them).
      EXPECT_EQ(batch_work.scanned_distances + batch_work.batched_distances, single_distances);
      EXPECT_EQ(batch_work.dim, kDim);
    }
  }
}

// The injected bug "batch-answers-query-0" gives every query the first one's hits.
TEST(SearchSegments, TheBatchBugAnswersEveryQueryWithTheFirst) {
  Rng rng(3);
  const std::vector<SegmentRef> segments = {
      SegmentRef{RandomSegment(1, 0, 100, ann::MetricType::kL2, rng)}};
  const std::vector<std::vector<float>> queries = {std::vector<float>(kDim, 0.1f),
                                                   std::vector<float>(kDim, 0.9f)};
  Result<QueryHits> right =
      SearchSegments(segments, Request(queries, 5, ""), Timestamp::Max(), true, nullptr, false);
  Result<QueryHits> wrong =
      SearchSegments(segments, Request(queries, 5, ""), Timestamp::Max(), true, nullptr, true);
  ASSERT_TRUE(right.ok() && wrong.ok());
  EXPECT_NE((*right)[0], (*right)[1]);
  EXPECT_EQ((*wrong)[1], (*right)[0]);
}

// On the wire a batch's hits go query after query with topks; an answer without topks is one
// query's (as every answer was before nq).
TEST(SearchWire, HitsRoundTripPerQuery) {
  const QueryHits hits = {{{.pk = int64_t{1}, .score = 0.5f}, {.pk = int64_t{2}, .score = 0.7f}},
                          {},
                          {{.pk = int64_t{3}, .score = 0.1f}}};
  proto::ShardSearchResponse response;
  AddHits(hits, response.mutable_hits(), response.mutable_topks());
  ASSERT_EQ(response.topks_size(), 3);
  EXPECT_EQ(response.hits_size(), 3);
  segment::SearchResult back =
      SearchResultOf(response.hits(), response.topks(), ann::MetricType::kL2);
  EXPECT_EQ(back.queries, hits);
  response.clear_topks();
  back = SearchResultOf(response.hits(), response.topks(), ann::MetricType::kL2);
  ASSERT_EQ(back.queries.size(), 1u);
  EXPECT_EQ(back.queries[0].size(), 3u);
}

}  // namespace
}  // namespace simvus::roles
