#include "components/ann/vector_index.h"

#include <gtest/gtest.h>

#include <set>

#include "components/ann/flat_search.h"
#include "tests/components/ann/clustered_data.h"

namespace simvus::ann {
namespace {

constexpr int64_t kDim = 32;
constexpr int64_t kRows = 4000;
constexpr int64_t kQueries = 50;
constexpr int64_t kTopk = 10;

struct Case {
  IndexParams build;
  IndexParams search;
  double recall_floor;
};

double Recall(const SearchHits& got, const SearchHits& truth) {
  int64_t hit = 0;
  for (int64_t q = 0; q < got.nq; ++q) {
    std::set<int64_t> want(truth.ids.begin() + q * truth.topk,
                           truth.ids.begin() + (q + 1) * truth.topk);
    for (int64_t j = 0; j < got.topk; ++j) hit += want.count(got.id(q, j));
  }
  return static_cast<double>(hit) / static_cast<double>(got.nq * got.topk);
}

class VectorIndexTest : public ::testing::TestWithParam<Case> {
 protected:
  std::vector<float> base_ = testing::ClusteredVectors(1, kRows, kDim);
  std::vector<float> queries_ = testing::ClusteredVectors(2, kQueries, kDim);
};

// Recall floors on a small seeded set: a floor, not a timing.
TEST_P(VectorIndexTest, MeetsRecallFloorAndRoundTrips) {
  const Case& c = GetParam();
  Result<IndexSpec> spec = ParseIndexSpec(c.build, kDim);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  Result<std::unique_ptr<VectorIndex>> index = VectorIndex::Build(*spec, base_.data(), kRows, {42});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  Result<SearchParams> sp = ParseSearchParams(c.search, *spec, kTopk);
  ASSERT_TRUE(sp.ok());
  Result<SearchHits> hits = (*index)->Search(queries_.data(), kQueries, kTopk, *sp);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  FlatSearchInput exact{MetricType::kL2, kDim, base_.data(), kRows, nullptr, nullptr};
  SearchHits truth = FlatSearch(exact, queries_.data(), kQueries, kTopk);
  double recall = Recall(*hits, truth);
  EXPECT_GE(recall, c.recall_floor) << spec->ToString();

  // Serialize -> Deserialize gives an index that answers identically.
  Result<Bytes> bytes = (*index)->Serialize();
  ASSERT_TRUE(bytes.ok());
  Result<std::unique_ptr<VectorIndex>> loaded = VectorIndex::Deserialize(*spec, *bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Result<SearchHits> again = (*loaded)->Search(queries_.data(), kQueries, kTopk, *sp);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ids, hits->ids);

  // The same seed on one thread builds the same bytes.
  Result<std::unique_ptr<VectorIndex>> twin = VectorIndex::Build(*spec, base_.data(), kRows, {42});
  ASSERT_TRUE(twin.ok());
  EXPECT_TRUE(*(*twin)->Serialize() == *bytes) << "same seed, different index bytes";

  // A filter is honoured: only even rows come back.
  Bitset even(kRows);
  for (int64_t i = 0; i < kRows; i += 2) even.Set(i);
  Result<SearchHits> filtered = (*index)->Search(queries_.data(), kQueries, kTopk, *sp, &even);
  ASSERT_TRUE(filtered.ok());
  for (int64_t id : filtered->ids) EXPECT_TRUE(id == -1 || id % 2 == 0) << id;
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, VectorIndexTest,
    ::testing::Values(
        Case{{{"index_type", "FLAT"}, {"metric_type", "L2"}}, {}, 1.0},
        Case{{{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlist", "32"}},
             {{"nprobe", "8"}},
             0.95},
        Case{{{"index_type", "IVF_SQ8"}, {"metric_type", "L2"}, {"nlist", "32"}},
             {{"nprobe", "8"}},
             0.90},
        Case{{{"index_type", "IVF_PQ"}, {"metric_type", "L2"}, {"nlist", "32"}, {"m", "8"}},
             {{"nprobe", "8"}},
             0.40},
        Case{
            {{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "16"}, {"efConstruction", "100"}},
            {{"ef", "64"}},
            0.80}));

TEST(VectorIndex, TooFewTrainingRowsIsAPreconditionError) {
  std::vector<float> base = testing::ClusteredVectors(1, 10, 8);
  IndexSpec spec = *ParseIndexSpec({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}}, 8);
  Result<std::unique_ptr<VectorIndex>> index = VectorIndex::Build(spec, base.data(), 10);
  EXPECT_EQ(index.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(index.status().message(),
            "nlist: 128 exceeds the 10 rows to train on; expected nlist <= rows");
}

TEST(VectorIndex, GarbageBytesAreDataLoss) {
  IndexSpec spec = *ParseIndexSpec({{"index_type", "HNSW"}, {"metric_type", "L2"}}, 8);
  Result<std::unique_ptr<VectorIndex>> index = VectorIndex::Deserialize(spec, "not an index");
  EXPECT_EQ(index.status().code(), StatusCode::kDataLoss);
}

TEST(VectorIndex, CosineIndexesNormalize) {
  std::vector<float> base = {1, 0, 0, 5, 3, 3};
  for (const char* type : {"FLAT", "HNSW"}) {
    IndexSpec spec = *ParseIndexSpec({{"index_type", type}, {"metric_type", "COSINE"}}, 2);
    auto index = VectorIndex::Build(spec, base.data(), 3);
    ASSERT_TRUE(index.ok());
    float q[2] = {0, 2};
    auto hits = (*index)->Search(q, 1, 3, *ParseSearchParams({}, spec, 3));
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->ids, (std::vector<int64_t>{1, 2, 0})) << type;
    EXPECT_NEAR(hits->scores[0], 1.0, 1e-5) << type;
  }
}

// The work a search reports is what the simulator charges: brute force computes every row's
// distance, HNSW far fewer, more at a larger ef, the same count every time for the same query.
TEST(VectorIndexWork, CountsTheDistancesItComputed) {
  const std::vector<float> base = testing::ClusteredVectors(1, kRows, kDim);
  const std::vector<float> queries = testing::ClusteredVectors(2, kQueries, kDim);
  FlatSearchInput exact{MetricType::kL2, kDim, base.data(), kRows, nullptr, nullptr};
  EXPECT_EQ(FlatSearch(exact, queries.data(), kQueries, kTopk).distances, kQueries * kRows);

  Result<IndexSpec> spec = ParseIndexSpec(
      {{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "16"}, {"efConstruction", "64"}}, kDim);
  ASSERT_TRUE(spec.ok());
  Result<std::unique_ptr<VectorIndex>> index = VectorIndex::Build(*spec, base.data(), kRows, {42});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  auto distances = [&](int64_t ef) {
    Result<SearchParams> sp = ParseSearchParams({{"ef", std::to_string(ef)}}, *spec, kTopk);
    Result<SearchHits> hits = (*index)->Search(queries.data(), kQueries, kTopk, *sp);
    return hits.ok() ? hits->distances : -1;
  };
  const int64_t at16 = distances(16);
  const int64_t at128 = distances(128);
  EXPECT_GT(at16, kQueries * kTopk);
  EXPECT_LT(at16, at128);
  EXPECT_LT(at128, kQueries * kRows);
  EXPECT_EQ(distances(16), at16);

  Result<IndexSpec> ivf =
      ParseIndexSpec({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlist", "40"}}, kDim);
  ASSERT_TRUE(ivf.ok());
  Result<std::unique_ptr<VectorIndex>> ivf_index =
      VectorIndex::Build(*ivf, base.data(), kRows, {42});
  ASSERT_TRUE(ivf_index.ok()) << ivf_index.status().ToString();
  Result<SearchParams> sp = ParseSearchParams({{"nprobe", "4"}}, *ivf, kTopk);
  Result<SearchHits> hits = (*ivf_index)->Search(queries.data(), kQueries, kTopk, *sp);
  ASSERT_TRUE(hits.ok());
  // Estimated: the 40 centroids plus 4 lists of the mean length 100.
  EXPECT_EQ(hits->distances, kQueries * (40 + 400));
}

}  // namespace
}  // namespace simvus::ann
