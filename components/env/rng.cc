#include "components/env/rng.h"

#include <cmath>

#include "components/env/check.h"

namespace simvus {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t Fnv1a64(std::string_view data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = SplitMix64(state);
}

Rng Rng::Fork(std::string_view name) const {
  uint64_t mixed = seed_ ^ 0x5851f42d4c957f2dULL;
  uint64_t h = Fnv1a64(name, Fnv1a64(std::string_view(reinterpret_cast<const char*>(&mixed), 8)));
  return Rng(h);
}

uint64_t Rng::NextU64() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

int64_t Rng::UniformInt(int64_t lo, int64_t hi) {
  SIMVUS_CHECK(lo <= hi, "UniformInt with lo > hi");
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (range == ~uint64_t{0}) return static_cast<int64_t>(NextU64());
  const uint64_t span = range + 1;
  // Rejection sampling: unbiased, and the number of draws depends only on the stream.
  const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % span);
  uint64_t x;
  do {
    x = NextU64();
  } while (x >= limit);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + x % span);
}

double Rng::UniformUnit() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

bool Rng::Bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return UniformUnit() < p;
}

int64_t Rng::Exponential(int64_t mean) {
  if (mean <= 0) return 0;
  const double u = 1.0 - UniformUnit();  // (0, 1]
  return static_cast<int64_t>(std::llround(-std::log(u) * static_cast<double>(mean)));
}

double Rng::Normal(double mean, double stddev) {
  const double u1 = 1.0 - UniformUnit();
  const double u2 = UniformUnit();
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace simvus
