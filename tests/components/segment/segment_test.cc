#include "components/segment/segment.h"

#include <gtest/gtest.h>

#include "tests/components/segment/test_data.h"

namespace simvus::segment {
namespace {

using testing::Query;
using testing::Rows;
using testing::TestSchema;
using testing::Ts;

std::vector<int64_t> Pks(const SearchResult& r, size_t q = 0) {
  std::vector<int64_t> out;
  for (const Hit& h : r.queries[q]) out.push_back(std::get<int64_t>(h.pk));
  return out;
}

SearchRequest Req(float value, int64_t topk, Timestamp mvcc, std::string filter = "") {
  SearchRequest r;
  r.queries = Query(4, value);
  r.nq = 1;
  r.topk = topk;
  r.mvcc_ts = mvcc;
  r.filter = std::move(filter);
  return r;
}

TEST(Segment, InsertValidatesAgainstSchema) {
  Segment seg(SegmentId{1}, TestSchema());
  InsertBatch b = Rows(seg.schema(), {1, 2}, Ts(10));
  b.columns[1].floats.pop_back();
  EXPECT_EQ(seg.Insert(b).message(),
            "insert: field 'vec': 7 floats with dim 4, expected 2 rows of dim 4");
  b = Rows(seg.schema(), {1}, Ts(10));
  b.columns[5].strings[0] = std::string(65, 'x');
  EXPECT_EQ(seg.Insert(b).message(),
            "insert: field 'name': row 0 has length 65, expected at most 64");
  b = Rows(seg.schema(), {1}, Ts(0));
  EXPECT_EQ(seg.Insert(b).message(), "insert: row 0 has timestamp 0, expected a TSO timestamp");
  EXPECT_EQ(seg.num_rows(), 0);
}

TEST(Segment, SealedSegmentRejectsInserts) {
  Segment seg(SegmentId{7}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {1}, Ts(10))).ok());
  seg.Seal();
  Status s = seg.Insert(Rows(seg.schema(), {2}, Ts(11)));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "insert: segment 7 is sealed, expected a growing segment");
}

// The rule from reference/milvus-semantics.md §6, edge by edge.
TEST(Segment, VisibilityFollowsTheStrictRule) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {1, 2, 3}, Ts(10))).ok());
  ASSERT_TRUE(seg.Delete({int64_t{1}, int64_t{2}}, {Ts(10), Ts(20)}).ok());
  EXPECT_FALSE(seg.IsVisible(0, Ts(9)));   // inserted after M
  EXPECT_TRUE(seg.IsVisible(0, Ts(10)));   // insert_ts == M is visible
  EXPECT_TRUE(seg.IsVisible(0, Ts(100)));  // delete at the insert's own ts does not hit
  EXPECT_TRUE(seg.IsVisible(1, Ts(20)));   // delete at exactly M not yet applied
  EXPECT_FALSE(seg.IsVisible(1, Ts(21)));
  EXPECT_TRUE(seg.IsVisible(2, Ts(21)));
}

TEST(Segment, UpsertKeepsTheNewVersionOnly) {
  // upsert = delete + insert at the same ts: the old row dies, the new one lives.
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {5}, Ts(10))).ok());
  ASSERT_TRUE(seg.Delete({int64_t{5}}, {Ts(20)}).ok());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {5}, Ts(20))).ok());
  EXPECT_EQ(*seg.Count("", Ts(20)), 2);  // the delete at 20 applies only to reads after 20
  EXPECT_TRUE(seg.IsVisible(0, Ts(20)));
  EXPECT_FALSE(seg.IsVisible(1, Ts(19)));
  EXPECT_EQ(*seg.Count("", Ts(21)), 1);
  EXPECT_FALSE(seg.IsVisible(0, Ts(21)));
  EXPECT_TRUE(seg.IsVisible(1, Ts(21)));
}

TEST(Segment, DeletesArriveInAnyOrderAndRepeat) {
  Segment a(SegmentId{1}, TestSchema());
  Segment b(SegmentId{2}, TestSchema());
  for (Segment* s : {&a, &b}) ASSERT_TRUE(s->Insert(Rows(s->schema(), {1, 2}, Ts(10))).ok());
  ASSERT_TRUE(a.Delete({int64_t{1}, int64_t{1}}, {Ts(30), Ts(15)}).ok());
  ASSERT_TRUE(b.Delete({int64_t{1}, int64_t{1}, int64_t{1}}, {Ts(15), Ts(30), Ts(15)}).ok());
  EXPECT_EQ(a.delete_log(), b.delete_log());
  for (uint64_t m : {10, 15, 16, 30, 31}) {
    EXPECT_EQ(a.VisibleBitset(Ts(m)).Count(), b.VisibleBitset(Ts(m)).Count()) << m;
  }
}

TEST(Segment, DeleteRejectsWrongPkType) {
  Segment seg(SegmentId{1}, TestSchema());
  EXPECT_EQ(seg.Delete({std::string("x")}, {Ts(1)}).message(),
            "delete: pk \"x\" does not match primary key 'id' of type Int64");
}

TEST(Segment, BruteForceSearchIsExactAndSorted) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Ts(10))).ok());
  Result<SearchResult> r = seg.Search(Req(4.2f, 3, Ts(10)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Pks(*r), (std::vector<int64_t>{4, 5, 3}));
  EXPECT_NEAR(r->queries[0][0].score, 4 * 0.2f * 0.2f, 1e-4);
}

TEST(Segment, SearchAppliesFilterAndMvcc) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {0, 1, 2, 3, 4}, Ts(10))).ok());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {5, 6, 7, 8, 9}, Ts(20))).ok());
  ASSERT_TRUE(seg.Delete({int64_t{4}}, {Ts(15)}).ok());
  EXPECT_EQ(Pks(*seg.Search(Req(6, 3, Ts(10)))), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(Pks(*seg.Search(Req(6, 3, Ts(16)))), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(Pks(*seg.Search(Req(6, 3, Ts(20)))), (std::vector<int64_t>{6, 5, 7}));
  EXPECT_EQ(Pks(*seg.Search(Req(6, 3, Ts(20), "flag and age > 2"))), (std::vector<int64_t>{6, 8}));
  EXPECT_EQ(Pks(*seg.Search(Req(6, 10, Ts(20), "name like \"n1%\""))), (std::vector<int64_t>{1}));
}

// What a search reports doing, for the simulator's cost model: distances over every row by
// brute force; a row walk only when visibility or a filter needs one.
TEST(Segment, SearchReportsItsWork) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {0, 1, 2, 3, 4}, Ts(10))).ok());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {5, 6, 7, 8, 9}, Ts(20))).ok());
  Result<SearchResult> all = seg.Search(Req(6, 3, Ts(20)));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->scanned_distances, 10);
  EXPECT_EQ(all->graph_distances, 0);
  EXPECT_EQ(all->rows_filtered, 0);  // every row visible, no filter: no walk
  EXPECT_EQ(seg.Search(Req(6, 3, Ts(15)))->rows_filtered, 10);  // rows newer than the read
  EXPECT_EQ(seg.Search(Req(6, 3, Ts(20), "age > 2"))->rows_filtered, 10);
  // Three queries in one brute-force search: the rows scored once per query, counted as batched
  // (each block of rows read from memory once for the three).
  SearchRequest batch = Req(6, 3, Ts(20));
  for (float v : {2.0f, 8.0f}) {
    const std::vector<float> q = Query(4, v);
    batch.queries.insert(batch.queries.end(), q.begin(), q.end());
  }
  batch.nq = 3;
  Result<SearchResult> three = seg.Search(batch);
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  EXPECT_EQ(three->batched_distances, 30);
  EXPECT_EQ(three->scanned_distances, 0);
  EXPECT_EQ(all->batched_distances, 0);
}

TEST(Segment, SearchReportsBadRequests) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {1}, Ts(10))).ok());
  SearchRequest r = Req(1, 0, Ts(10));
  EXPECT_EQ(seg.Search(r).status().message(), "search: topk 0, expected [1, 16384]");
  r = Req(1, 1, Ts(10), "age >");
  EXPECT_EQ(seg.Search(r).status().code(), StatusCode::kInvalidArgument);
  r = Req(1, 1, Ts(10));
  r.queries.pop_back();
  EXPECT_EQ(seg.Search(r).status().message(),
            "search: 3 floats for nq 1, expected nq >= 1 queries of dim 4");
}

TEST(Segment, CosineSearchUsesNormalizedScores) {
  Segment seg(SegmentId{1}, TestSchema(2, ann::MetricType::kCosine));
  InsertBatch b = Rows(seg.schema(), {1, 2, 3}, Ts(10));
  b.columns[1].floats = {1, 0, 0, 5, 3, 3};
  ASSERT_TRUE(seg.Insert(b).ok());
  SearchRequest r;
  r.queries = {0, 2};
  r.nq = 1;
  r.topk = 3;
  Result<SearchResult> res = seg.Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(Pks(*res), (std::vector<int64_t>{2, 3, 1}));
  EXPECT_NEAR(res->queries[0][0].score, 1.0, 1e-5);
  EXPECT_NEAR(res->queries[0][1].score, 0.70710678, 1e-5);
}

TEST(Segment, QueryAndCount) {
  Segment seg(SegmentId{1}, TestSchema());
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {1, 2, 3, 4}, Ts(10))).ok());
  ASSERT_TRUE(seg.Delete({int64_t{2}}, {Ts(11)}).ok());
  QueryRequest q;
  q.filter = "age >= 2";
  q.mvcc_ts = Ts(12);
  q.output_fields = {"name", "score"};
  Result<QueryResult> r = seg.Query(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->num_rows(), 2);
  EXPECT_EQ(r->pks, (std::vector<PrimaryKey>{int64_t{3}, int64_t{4}}));
  EXPECT_EQ(r->fields[0].strings, (std::vector<std::string>{"n3", "n4"}));
  EXPECT_EQ(r->fields[1].doubles, (std::vector<double>{1.5, 2.0}));
  EXPECT_EQ(*seg.Count("", Ts(12)), 3);
  EXPECT_EQ(*seg.Count("", Ts(11)), 4);
  q.output_fields = {"height"};
  EXPECT_EQ(seg.Query(q).status().code(), StatusCode::kNotFound);
}

TEST(Segment, VarCharPrimaryKey) {
  CollectionSchema s = TestSchema();
  s.fields[0].is_primary_key = false;
  s.fields[5].is_primary_key = true;
  Segment seg(SegmentId{1}, s);
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), {1, 2}, Ts(10))).ok());
  ASSERT_TRUE(seg.Delete({std::string("n1")}, {Ts(11)}).ok());
  EXPECT_EQ(*seg.Count("", Ts(12)), 1);
  EXPECT_EQ(seg.pk(1), PrimaryKey(std::string("n2")));
}

// A filtered HNSW search scans the passing rows when the graph walk cannot beat a scan (knowhere's
// thresholds: at least 93 % filtered out, or topk at least half of the passing rows), and walks
// the graph otherwise. Scanned answers are exact.
TEST(Segment, FilteredHnswSearchScansWhenFewRowsPass) {
  Segment seg(SegmentId{9}, TestSchema());
  std::vector<int64_t> pks;
  for (int64_t p = 1; p <= 400; ++p) pks.push_back(p);
  InsertBatch batch = Rows(seg.schema(), pks, Ts(10));
  // Distinct vectors: row p is (p, p/2, p/3, p/4) / 100.
  for (size_t r = 0; r < pks.size(); ++r) {
    for (int j = 0; j < 4; ++j) {
      batch.columns[1].floats[r * 4 + static_cast<size_t>(j)] =
          static_cast<float>(pks[r]) / static_cast<float>(j + 1) / 100;
    }
  }
  ASSERT_TRUE(seg.Insert(batch).ok());
  seg.Seal();
  ann::IndexSpec spec;
  spec.type = ann::IndexType::kHnsw;
  spec.dim = 4;
  spec.hnsw_m = 8;
  spec.ef_construction = 32;
  ASSERT_TRUE(seg.BuildIndex(spec).ok());
  SearchRequest r = Req(0.5f, 5, Ts(10), "age % 20 == 0");  // 20 of 400 rows pass: 95 % out
  r.params = {{"ef", "16"}};
  Result<SearchResult> few = seg.Search(r);
  ASSERT_TRUE(few.ok()) << few.status().ToString();
  EXPECT_EQ(few->graph_distances, 0);
  EXPECT_GT(few->scanned_distances, 0);
  // The exact nearest multiples of 20 to (0.5, 0.5, 0.5, 0.5), best first.
  EXPECT_EQ(Pks(*few), (std::vector<int64_t>{80, 60, 100, 40, 120}));
  r.filter = "age % 2 == 0";  // half pass, topk 5 of 200: the graph
  Result<SearchResult> many = seg.Search(r);
  ASSERT_TRUE(many.ok());
  EXPECT_GT(many->graph_distances, 0);
  EXPECT_EQ(many->scanned_distances, 0);
  r.topk = 100;  // topk at least half of the 200 passing rows: a scan
  r.params = {{"ef", "100"}};
  Result<SearchResult> wide = seg.Search(r);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->graph_distances, 0);
  EXPECT_EQ(wide->queries[0].size(), 100u);
  r.params = {{"ef", "0"}};  // bad params are refused even when the rows would be scanned
  EXPECT_FALSE(seg.Search(r).ok());
}

}  // namespace
}  // namespace simvus::segment
