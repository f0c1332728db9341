#include "components/segment/bloom_filter.h"

#include <cmath>

#include "components/env/check.h"
#include "components/env/rng.h"

namespace simvus::segment {
namespace {

uint64_t HashPk(const PrimaryKey& pk) {
  if (const auto* i = std::get_if<int64_t>(&pk)) {
    char bytes[8];
    for (int b = 0; b < 8; ++b)
      bytes[b] = static_cast<char>((static_cast<uint64_t>(*i) >> (8 * b)) & 0xff);
    return Fnv1a64(std::string_view(bytes, 8));
  }
  return Fnv1a64(std::get<std::string>(pk));
}

}  // namespace

BloomFilter::BloomFilter(int64_t expected_keys, double false_positive_rate) {
  double n = static_cast<double>(expected_keys < 1 ? 1 : expected_keys);
  double m = std::ceil(-n * std::log(false_positive_rate) / (std::log(2.0) * std::log(2.0)));
  num_bits_ = static_cast<uint64_t>(m < 64 ? 64 : m);
  num_hashes_ = static_cast<uint32_t>(std::max(1.0, std::round(m / n * std::log(2.0))));
  bits_.assign((num_bits_ + 7) / 8, '\0');
}

BloomFilter::BloomFilter(std::string bits, uint64_t num_bits, uint32_t num_hashes)
    : bits_(std::move(bits)), num_bits_(num_bits), num_hashes_(num_hashes) {
  SIMVUS_CHECK(bits_.size() == (num_bits_ + 7) / 8 && num_hashes_ >= 1 && num_bits_ >= 1,
               "BloomFilter: inconsistent serialized parts");
}

void BloomFilter::Add(const PrimaryKey& pk) {
  uint64_t h = HashPk(pk);
  uint64_t h1 = h, h2 = (h >> 33) | (h << 31) | 1;
  for (uint32_t i = 0; i < num_hashes_; ++i) {
    uint64_t bit = (h1 + i * h2) % num_bits_;
    bits_[bit / 8] = static_cast<char>(bits_[bit / 8] | (1 << (bit % 8)));
  }
}

bool BloomFilter::MayContain(const PrimaryKey& pk) const {
  uint64_t h = HashPk(pk);
  uint64_t h1 = h, h2 = (h >> 33) | (h << 31) | 1;
  for (uint32_t i = 0; i < num_hashes_; ++i) {
    uint64_t bit = (h1 + i * h2) % num_bits_;
    if (!(bits_[bit / 8] & (1 << (bit % 8)))) return false;
  }
  return true;
}

}  // namespace simvus::segment
