// CRC-32 checksums, deterministic: the same bytes give the same value on every host.
//   Crc32c     CRC-32C (Castagnoli), the checksum every segment file carries.
//              Crc32c("123456789") == 0xE3069283. SSE4.2's crc32 instruction where the CPU has
//              it (chosen at run time), else the table; both give the same value.
//   Crc32cPortable  the table version alone (for tests that the two agree).
//   Crc32Ieee  CRC-32 with the IEEE 802.3 polynomial (zlib's crc32, Go's crc32.ChecksumIEEE), which
//              Milvus uses to route varchar primary keys. Crc32Ieee("123456789") == 0xCBF43926.
#pragma once

#include <cstdint>
#include <string_view>

namespace simvus::segment {

uint32_t Crc32c(std::string_view data);
uint32_t Crc32cPortable(std::string_view data);
uint32_t Crc32Ieee(std::string_view data);

}  // namespace simvus::segment
