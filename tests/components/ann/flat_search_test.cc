#include "components/ann/flat_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <numeric>

#include "tests/components/ann/clustered_data.h"

namespace simvus::ann {
namespace {

// Naive reference: score every row, sort by (score, id).
std::vector<int64_t> Naive(MetricType metric, const std::vector<float>& base, int64_t dim,
                           const float* q, int64_t k, const Bitset* filter) {
  int64_t n = static_cast<int64_t>(base.size()) / dim;
  std::vector<std::pair<double, int64_t>> all;
  for (int64_t i = 0; i < n; ++i) {
    if (filter && !filter->Test(i)) continue;
    double s = 0;
    for (int64_t j = 0; j < dim; ++j) {
      double a = base[static_cast<size_t>(i * dim + j)];
      s += metric == MetricType::kL2 ? (a - q[j]) * (a - q[j]) : a * q[j];
    }
    all.push_back({metric == MetricType::kL2 ? s : -s, i});
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> out;
  for (int64_t j = 0; j < k && j < static_cast<int64_t>(all.size()); ++j)
    out.push_back(all[j].second);
  return out;
}

class FlatSearchTest : public ::testing::TestWithParam<std::tuple<MetricType, int64_t>> {};

TEST_P(FlatSearchTest, MatchesNaiveOnEveryIsa) {
  auto [metric, dim] = GetParam();
  const int64_t n = 1500, nq = 5, k = 10;
  std::vector<float> base = testing::ClusteredVectors(7, n, dim);
  std::vector<float> queries = testing::ClusteredVectors(8, nq, dim);
  Bitset filter(n);
  for (int64_t i = 0; i < n; i += 3) filter.Set(i);
  FlatSearchInput input{metric, dim, base.data(), n, nullptr, nullptr};
  std::vector<KernelIsa> isas = {KernelIsa::kScalar};
  if (DetectedKernelIsa() == KernelIsa::kAvx2Fma) isas.push_back(KernelIsa::kAvx2Fma);
  for (KernelIsa isa : isas) {
    for (const Bitset* f : std::vector<const Bitset*>{nullptr, &filter}) {
      input.filter = f;
      SearchHits hits = FlatSearchWithIsa(input, queries.data(), nq, k, isa);
      for (int64_t q = 0; q < nq; ++q) {
        std::vector<int64_t> want = Naive(metric, base, dim, &queries[q * dim], k, f);
        std::vector<int64_t> got(hits.ids.begin() + q * k, hits.ids.begin() + (q + 1) * k);
        EXPECT_EQ(got, want) << "isa " << static_cast<int>(isa) << " q " << q;
        for (int64_t j = 1; j < k; ++j) {
          EXPECT_FALSE(IsBetter(metric, hits.score(q, j), hits.score(q, j - 1)));
        }
      }
    }
  }
}

// A 1,024-row block in which fewer than half the rows pass the filter is read row by row, passing
// rows only; a denser block is scanned whole. SearchHits::distances counts what was computed, the
// same on one thread or two, and the answer is the naive one either way.
TEST(FlatSearch, SparseFilteredBlocksComputeOnlyThePassingRows) {
  const int64_t n = 70'000, dim = 8, k = 10;
  std::vector<float> base = testing::ClusteredVectors(3, n, dim);
  std::vector<float> query = testing::ClusteredVectors(4, 1, dim);
  Bitset filter(n);
  for (int64_t i = 0; i < n; ++i) filter.Set(i, i < 40'000 ? i % 10 == 0 : i % 4 != 0);
  int64_t expected = 0;  // the rule, block by block
  for (int64_t start = 0; start < n; start += 1024) {
    const int64_t rows = std::min<int64_t>(1024, n - start);
    int64_t passing = 0;
    for (int64_t i = start; i < start + rows; ++i) passing += filter.Test(i) ? 1 : 0;
    expected += passing * 2 < rows ? passing : rows;
  }
  EXPECT_LT(expected, n);
  std::vector<KernelIsa> isas = {KernelIsa::kScalar};
  if (DetectedKernelIsa() == KernelIsa::kAvx2Fma) isas.push_back(KernelIsa::kAvx2Fma);
  for (KernelIsa isa : isas) {
    for (int threads : {1, 2}) {
      FlatSearchInput input{MetricType::kL2, dim, base.data(), n, nullptr, &filter, threads};
      SearchHits hits = FlatSearchWithIsa(input, query.data(), 1, k, isa);
      EXPECT_EQ(hits.distances, expected) << "isa " << static_cast<int>(isa) << ", " << threads;
      EXPECT_EQ(hits.ids, Naive(MetricType::kL2, base, dim, query.data(), k, &filter));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, FlatSearchTest,
                         ::testing::Combine(::testing::Values(MetricType::kL2, MetricType::kIP),
                                            ::testing::Values(1, 7, 16, 37, 128)));

// A batch (nq >= 2) takes the blocked multi-query path; every query's ids and scores must be
// bitwise those of searching it alone, for odd and even row counts (the unpaired last row), dims
// with and without a tail, more queries than one pass holds, filters, both ISAs and threads.
void ExpectBatchMatchesSingles(MetricType metric, int64_t n, int64_t dim, int64_t nq,
                               const Bitset* filter, KernelIsa isa, int threads) {
  const int64_t k = 7;
  std::vector<float> base = testing::ClusteredVectors(11, n, dim);
  std::vector<float> queries = testing::ClusteredVectors(12, nq, dim);
  std::vector<float> norms(static_cast<size_t>(n));
  ComputeNorms(base.data(), n, dim, norms.data());
  FlatSearchInput input{metric, dim, base.data(), n, norms.data(), filter};
  input.num_threads = threads;
  SearchHits batch = FlatSearchWithIsa(input, queries.data(), nq, k, isa);
  int64_t single_distances = 0;  // a batch computes what its queries alone do, sparse windows too
  for (int64_t q = 0; q < nq; ++q) {
    SearchHits one = FlatSearchWithIsa(input, &queries[static_cast<size_t>(q * dim)], 1, k, isa);
    single_distances += one.distances;
    for (int64_t j = 0; j < k; ++j) {
      ASSERT_EQ(batch.id(q, j), one.id(0, j))
          << "metric " << static_cast<int>(metric) << " n " << n << " dim " << dim << " nq " << nq
          << " q " << q << " slot " << j << " isa " << static_cast<int>(isa);
      // Bitwise: the same float, not merely close.
      ASSERT_EQ(std::bit_cast<uint32_t>(batch.score(q, j)),
                std::bit_cast<uint32_t>(one.score(0, j)))
          << "metric " << static_cast<int>(metric) << " n " << n << " dim " << dim << " nq " << nq
          << " q " << q << " slot " << j << " isa " << static_cast<int>(isa);
    }
  }
  ASSERT_EQ(batch.distances, single_distances);
  if (filter == nullptr) {
    ASSERT_EQ(batch.distances, nq * n);
  }
}

TEST(FlatSearch, ABatchAnswersBitwiseAsOneQueryAtATime) {
  std::vector<KernelIsa> isas = {KernelIsa::kScalar};
  if (DetectedKernelIsa() == KernelIsa::kAvx2Fma) isas.push_back(KernelIsa::kAvx2Fma);
  for (KernelIsa isa : isas) {
    for (MetricType metric : {MetricType::kL2, MetricType::kIP, MetricType::kCosine}) {
      for (int64_t dim : {1, 7, 8, 16, 17, 33, 128}) {
        for (int64_t n : {1, 1023, 2049}) {
          // A third passing (sparse windows: only those rows are scored; the last row too, the
          // unpaired one of an odd count) and two thirds (dense).
          Bitset sparse(n), dense(n);
          for (int64_t i = 0; i < n; ++i) {
            sparse.Set(i, i % 3 == 0 || i == n - 1);
            dense.Set(i, i % 3 != 0);
          }
          for (int64_t nq : {2, 5, 70}) {
            for (const Bitset* f : std::vector<const Bitset*>{nullptr, &sparse, &dense}) {
              ExpectBatchMatchesSingles(metric, n, dim, nq, f, isa, 1);
              if (::testing::Test::HasFatalFailure()) return;
            }
          }
        }
      }
    }
  }
}

TEST(FlatSearch, ABatchOnTwoThreadsAnswersBitwiseAsOneQueryAtATime) {
  const int64_t n = 70001;
  Bitset mixed(n);  // sparse windows below 40,000, dense above
  for (int64_t i = 0; i < n; ++i) mixed.Set(i, i < 40'000 ? i % 10 == 0 : i % 4 != 0);
  for (MetricType metric : {MetricType::kL2, MetricType::kIP}) {
    ExpectBatchMatchesSingles(metric, n, 17, 6, nullptr, DetectedKernelIsa(), 2);
    ExpectBatchMatchesSingles(metric, n, 17, 6, &mixed, DetectedKernelIsa(), 2);
  }
}

TEST(FlatSearch, FewerCandidatesThanTopkLeaveEmptySlots) {
  std::vector<float> base = {0, 0, 1, 1, 2, 2};
  Bitset filter(3);
  filter.Set(2);
  FlatSearchInput input{MetricType::kL2, 2, base.data(), 3, nullptr, &filter};
  float q[2] = {0, 0};
  SearchHits hits = FlatSearch(input, q, 1, 3);
  EXPECT_EQ(hits.ids, (std::vector<int64_t>{2, -1, -1}));
  EXPECT_EQ(hits.scores[0], 8.0f);
  EXPECT_EQ(hits.scores[1], WorstScore(MetricType::kL2));
}

TEST(FlatSearch, ThreadCountDoesNotChangeTheAnswer) {
  const int64_t n = 140000, dim = 4, nq = 3, k = 20;
  std::vector<float> base = testing::ClusteredVectors(3, n, dim, 4, 0.5);
  // Duplicate rows across thread slices so that ties between threads occur.
  for (int64_t i = 0; i < 1000; ++i) {
    std::copy_n(&base[i * dim], dim, &base[(n - 1 - i) * dim]);
  }
  std::vector<float> queries = testing::ClusteredVectors(4, nq, dim);
  FlatSearchInput input{MetricType::kL2, dim, base.data(), n, nullptr, nullptr};
  SearchHits one = FlatSearch(input, queries.data(), nq, k);
  for (int threads : {2, 3, 4}) {
    input.num_threads = threads;
    SearchHits many = FlatSearch(input, queries.data(), nq, k);
    EXPECT_EQ(many.ids, one.ids) << threads;
    EXPECT_EQ(many.scores, one.scores) << threads;
  }
}

TEST(FlatSearch, TiesGoToTheSmallerId) {
  std::vector<float> base = {1, 1, 1, 1, 1, 1, 1, 1};
  FlatSearchInput input{MetricType::kL2, 2, base.data(), 4, nullptr, nullptr};
  float q[2] = {0, 0};
  EXPECT_EQ(FlatSearch(input, q, 1, 2).ids, (std::vector<int64_t>{0, 1}));
}

}  // namespace
}  // namespace simvus::ann
