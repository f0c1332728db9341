// BloomFilter: the primary-key filter a segment's statslog carries, so a delete can skip segments
// that cannot hold its pk (Milvus: common.bloomFilterSize=100000, maxBloomFalsePositive=0.001).
// Sized from (expected keys, false-positive rate); double hashing over FNV-1a 64 of the pk's
// bytes; deterministic and platform-independent, so the serialized bits are stable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/segment/schema.h"

namespace simvus::segment {

class BloomFilter {
 public:
  BloomFilter(int64_t expected_keys, double false_positive_rate);
  // From serialized parts; REQUIRES bits.size() == ceil(num_bits / 8), num_hashes >= 1.
  BloomFilter(std::string bits, uint64_t num_bits, uint32_t num_hashes);

  void Add(const PrimaryKey& pk);
  bool MayContain(const PrimaryKey& pk) const;

  const std::string& bits() const { return bits_; }
  uint64_t num_bits() const { return num_bits_; }
  uint32_t num_hashes() const { return num_hashes_; }

 private:
  std::string bits_;
  uint64_t num_bits_;
  uint32_t num_hashes_;
};

}  // namespace simvus::segment
