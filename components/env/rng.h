// Rng: a seeded pseudo-random stream with named sub-streams and our own distributions.
//
// xoshiro256** seeded through SplitMix64. Fork(name) derives an independent stream from this
// stream's seed and the name only (not from how much this stream was used), so adding a draw in
// one component never shifts the randomness of another. The distributions are ours, not the
// standard library's (whose algorithms differ between implementations), so a seed means the
// same run everywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace simvus {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t seed() const { return seed_; }
  Rng Fork(std::string_view name) const;

  uint64_t NextU64();
  // Uniform in [lo, hi], inclusive. REQUIRES: lo <= hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double UniformUnit();
  bool Bernoulli(double p);
  // Exponentially distributed with the given mean (rounded to an integer).
  int64_t Exponential(int64_t mean);
  // Standard normal via Box-Muller (one value per call).
  double Normal(double mean, double stddev);

 private:
  uint64_t seed_;
  uint64_t s_[4];
};

// 64-bit FNV-1a, used to derive stream seeds from names and to hash traces.
uint64_t Fnv1a64(std::string_view data, uint64_t hash = 0xcbf29ce484222325ULL);

}  // namespace simvus
