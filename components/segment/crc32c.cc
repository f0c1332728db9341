#include "components/segment/crc32c.h"

#include <array>

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

}  // namespace

uint32_t Crc32c(std::string_view data) { return Crc32(kCastagnoli, data); }
uint32_t Crc32Ieee(std::string_view data) { return Crc32(kIeee, data); }

}  // namespace simvus::segment
