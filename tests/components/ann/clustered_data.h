// Seeded clustered Gaussian vectors for ANN tests and benchmarks: `centers` centres drawn uniformly
// in [-1, 1]^dim, each point a centre plus N(0, spread) noise. Uniform noise makes recall
// unrealistically hard; clusters resemble real embeddings.
#pragma once

#include <cstdint>
#include <vector>

#include "components/env/rng.h"

namespace simvus::ann::testing {

inline std::vector<float> ClusteredVectors(uint64_t seed, int64_t n, int64_t dim,
                                           int64_t centers = 32, double spread = 0.15) {
  Rng rng(seed);
  std::vector<float> c(static_cast<size_t>(centers * dim));
  for (float& x : c) x = static_cast<float>(rng.UniformUnit() * 2 - 1);
  std::vector<float> out(static_cast<size_t>(n * dim));
  for (int64_t i = 0; i < n; ++i) {
    int64_t k = rng.UniformInt(0, centers - 1);
    for (int64_t j = 0; j < dim; ++j) {
      out[static_cast<size_t>(i * dim + j)] =
          c[static_cast<size_t>(k * dim + j)] + static_cast<float>(rng.Normal(0, spread));
    }
  }
  return out;
}

}  // namespace simvus::ann::testing
