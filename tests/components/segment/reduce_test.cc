#include "components/segment/reduce.h"

// GCC 12 reports a false -Wmaybe-uninitialized on initializer lists of std::variant holding a
// std::string (PrimaryKey); the values here are all initialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gtest/gtest.h>

namespace simvus::segment {
namespace {

SearchResult L2(std::vector<std::vector<Hit>> queries) {
  SearchResult r;
  r.metric = ann::MetricType::kL2;
  r.queries = std::move(queries);
  return r;
}

Hit H(int64_t pk, float score) { return {pk, score}; }

TEST(ReduceSearchResults, KeepsBestScorePerPkForL2) {
  SearchResult a = L2({{H(1, 0.5f), H(2, 1.0f), H(3, 4.0f)}});
  SearchResult b = L2({{H(2, 0.2f), H(4, 0.9f), H(1, 3.0f)}});
  Result<SearchResult> r = ReduceSearchResults({a, b}, 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queries[0], (std::vector<Hit>{H(2, 0.2f), H(1, 0.5f), H(4, 0.9f)}));
}

TEST(ReduceSearchResults, LargerIsBetterForIp) {
  SearchResult a = L2({{H(1, 0.9f), H(2, 0.1f)}});
  SearchResult b = L2({{H(2, 0.95f)}});
  a.metric = b.metric = ann::MetricType::kIP;
  Result<SearchResult> r = ReduceSearchResults({a, b}, 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queries[0], (std::vector<Hit>{H(2, 0.95f), H(1, 0.9f)}));
}

TEST(ReduceSearchResults, OffsetSkipsAfterDedupAndTiesFollowPk) {
  SearchResult a = L2({{H(3, 1.0f), H(1, 1.0f)}});
  SearchResult b = L2({{H(2, 1.0f), H(1, 1.0f)}});
  Result<SearchResult> r = ReduceSearchResults({a, b}, 2, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queries[0], (std::vector<Hit>{H(2, 1.0f), H(3, 1.0f)}));
}

TEST(ReduceSearchResults, IsAssociative) {
  SearchResult a = L2({{H(1, 0.5f), H(2, 1.0f)}, {H(9, 1.0f)}});
  SearchResult b = L2({{H(2, 0.7f), H(5, 0.6f)}, {H(8, 2.0f)}});
  SearchResult c = L2({{H(1, 0.1f), H(6, 0.9f)}, {H(9, 0.5f)}});
  auto flat = ReduceSearchResults({a, b, c}, 3);
  auto ab = ReduceSearchResults({a, b}, 3);
  auto nested = ReduceSearchResults({*ab, c}, 3);
  ASSERT_TRUE(flat.ok() && nested.ok());
  EXPECT_EQ(flat->queries, nested->queries);
}

TEST(ReduceSearchResults, RejectsMismatchedParts) {
  SearchResult a = L2({{}});
  SearchResult b = L2({{}, {}});
  EXPECT_EQ(ReduceSearchResults({a, b}, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReduceSearchResults({a}, 16384, 1).status().code(), StatusCode::kInvalidArgument);
}

QueryResult Q(std::vector<int64_t> pks, std::vector<uint64_t> tss, std::vector<std::string> names) {
  QueryResult r;
  FieldColumn c;
  c.type = DataType::kVarChar;
  for (size_t i = 0; i < pks.size(); ++i) {
    r.pks.push_back(pks[i]);
    r.timestamps.push_back(Timestamp{tss[i]});
    c.strings.push_back(names[i]);
  }
  r.field_names = {"name"};
  r.fields = {c};
  return r;
}

TEST(ReduceQueryResults, KeepsNewestVersionPerPkOrderedByPk) {
  QueryResult a = Q({3, 1}, {10, 10}, {"a3", "a1"});
  QueryResult b = Q({1, 2}, {20, 5}, {"b1", "b2"});
  Result<QueryResult> r = ReduceQueryResults({a, b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pks, (std::vector<PrimaryKey>{int64_t{1}, int64_t{2}, int64_t{3}}));
  EXPECT_EQ(r->fields[0].strings, (std::vector<std::string>{"b1", "b2", "a3"}));
  EXPECT_EQ(r->timestamps[0], Timestamp{20});
  Result<QueryResult> limited = ReduceQueryResults({a, b}, 2);
  EXPECT_EQ(limited->num_rows(), 2);
}

}  // namespace
}  // namespace simvus::segment
