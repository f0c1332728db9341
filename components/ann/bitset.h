// Bitset: one bit per row of a segment, packed LSB-first in bytes.
//
// The layout is exactly what faiss::IDSelectorBitmap reads (bit i%8 of byte i/8), so a search
// bitset (filter AND visible at MVCC ts) is handed to FAISS without a copy. A set bit means the
// row may be returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace simvus::ann {

class Bitset {
 public:
  Bitset() = default;
  explicit Bitset(int64_t size, bool value = false)
      : size_(size), bytes_(static_cast<size_t>((size + 7) / 8), value ? 0xff : 0x00) {
    ClearTail();
  }

  int64_t size() const { return size_; }
  bool Test(int64_t i) const { return (bytes_[static_cast<size_t>(i >> 3)] >> (i & 7)) & 1; }
  void Set(int64_t i, bool value = true) {
    uint8_t mask = static_cast<uint8_t>(1u << (i & 7));
    uint8_t& b = bytes_[static_cast<size_t>(i >> 3)];
    b = value ? static_cast<uint8_t>(b | mask) : static_cast<uint8_t>(b & ~mask);
  }
  int64_t Count() const {
    int64_t n = 0;
    for (uint8_t b : bytes_) n += __builtin_popcount(b);
    return n;
  }
  bool All() const { return Count() == size_; }
  // this &= other. REQUIRES: same size.
  void And(const Bitset& other) {
    for (size_t i = 0; i < bytes_.size(); ++i) bytes_[i] &= other.bytes_[i];
  }
  const uint8_t* data() const { return bytes_.data(); }
  size_t size_bytes() const { return bytes_.size(); }

 private:
  void ClearTail() {
    if (size_ % 8 != 0 && !bytes_.empty())
      bytes_.back() &= static_cast<uint8_t>((1u << (size_ % 8)) - 1);
  }

  int64_t size_ = 0;
  std::vector<uint8_t> bytes_;
};

}  // namespace simvus::ann
