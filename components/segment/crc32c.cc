#include "components/segment/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace simvus::segment {
namespace {

using Table = std::array<uint32_t, 256>;

// The byte-at-a-time table of a reflected CRC-32 with polynomial `poly` (bit-reversed form).
constexpr Table MakeTable(uint32_t poly) {
  Table table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr Table kCastagnoli = MakeTable(0x82F63B78u);
constexpr Table kIeee = MakeTable(0xEDB88320u);

uint32_t Crc32(const Table& table, std::string_view data) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

#if defined(__x86_64__)
// SSE4.2's crc32 instruction computes exactly CRC-32C (the Castagnoli polynomial, reflected), so
// the result is bit-identical to the table: 8 bytes an instruction instead of one a lookup.
__attribute__((target("sse4.2"))) uint32_t Crc32cSse42(std::string_view data) {
  uint64_t c = 0xFFFFFFFFu;
  const char* p = data.data();
  size_t n = data.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; ++p, --n) c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*p));
  return c32 ^ 0xFFFFFFFFu;
}

bool HasSse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

}  // namespace

uint32_t Crc32c(std::string_view data) {
#if defined(__x86_64__)
  if (HasSse42()) return Crc32cSse42(data);
#endif
  return Crc32(kCastagnoli, data);
}
uint32_t Crc32cPortable(std::string_view data) { return Crc32(kCastagnoli, data); }
uint32_t Crc32Ieee(std::string_view data) { return Crc32(kIeee, data); }

}  // namespace simvus::segment
