// Datasets for the benchmarks (bench_ann and `simvus bench search`): Debian's Fashion-MNIST
// (ann-benchmarks' fashion-mnist-784-euclidean split: the 60,000 train vectors as the base, the
// 10,000 test vectors as queries), seeded clustered Gaussian sets and seeded uniform ones. Ground
// truth is exact top-k (L2) by simvus's FlatSearch, ties by the smaller row id, and can be cached
// on disk (CachedTruth), so that a large set pays for it once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/ann/bitset.h"
#include "components/env/result.h"

namespace simvus::scenarios::bench {

struct AnnDataset {
  std::string name;
  int64_t dim = 0;
  int64_t n = 0;
  int64_t nq = 0;
  std::vector<float> base;     // n x dim
  std::vector<float> queries;  // nq x dim
  int64_t k = 10;
  std::vector<int64_t> truth;  // nq x k exact neighbours (row ids); empty until computed
};

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Loads Fashion-MNIST from `dir` (IDX3 .gz files): the first `max_rows` train vectors and the
// first `max_queries` test vectors. No truth.
Result<AnnDataset> LoadFashionMnist(const std::string& dir, int64_t max_queries,
                                    int64_t max_rows = int64_t{1} << 30);
// `centers` Gaussian clusters in [-1, 1]^dim; queries drawn from the same distribution. No truth.
AnnDataset ClusteredDataset(uint64_t seed, int64_t n, int64_t dim, int64_t nq,
                            int64_t centers = 256);
// Fills truth with the exact top-k (L2).
void ComputeTruth(AnnDataset& data);
// Fills truth from the cache directory when a file there matches the data's content (a hash of
// the base, the queries and k), else computes it and writes the file. Returns a line saying
// which (and where); a cache that cannot be read or written is a warning in that line, never an
// error: the truth is computed.
std::string CachedTruth(AnnDataset& data, const std::string& cache_dir);
// $SIMVUS_CACHE_DIR, else $XDG_CACHE_HOME/simvus, else $HOME/.cache/simvus, else "" (no cache).
std::string DefaultCacheDir();
// recall@k of `ids` (nq x k, row ids) against the truth.
double RecallAtK(const AnnDataset& data, const std::vector<int64_t>& ids);
// Exact top-k (L2) of the first `nq` queries over the rows whose bit is set in `filter`
// (REQUIRES filter.size() == data.n, nq <= data.nq): nq x k row ids, -1 where fewer than k rows
// pass.
std::vector<int64_t> ComputeFilteredTruth(const AnnDataset& data, const ann::Bitset& filter,
                                          int64_t nq);
// recall@k of `ids` against `truth` (both nq x k row ids); -1 entries of the truth are not
// counted, so a filter passing fewer than k rows can still reach 1.0.
double RecallAtK(const std::vector<int64_t>& truth, const std::vector<int64_t>& ids, int64_t nq,
                 int64_t k);

}  // namespace simvus::scenarios::bench
