#include "components/env/content_hash.h"

namespace simvus {
namespace {

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;

uint64_t LoadLittleEndian(const unsigned char* p, size_t n) {
  uint64_t word = 0;
  for (size_t i = 0; i < n; ++i) word |= static_cast<uint64_t>(p[i]) << (8 * i);
  return word;
}

uint64_t Finalize(uint64_t h) {  // splitmix64's output function
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t ContentHash64(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  uint64_t h = Finalize(static_cast<uint64_t>(n) ^ kMul);
  for (; n >= 8; p += 8, n -= 8) {
    h = (h ^ LoadLittleEndian(p, 8)) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    h = (h ^ LoadLittleEndian(p, n)) * kMul;
    h ^= h >> 29;
  }
  return Finalize(h);
}

}  // namespace simvus
