// Crc32c: CRC-32C (Castagnoli), the checksum every segment file carries. Table-driven, portable,
// deterministic. Crc32c("123456789") == 0xE3069283.
#pragma once

#include <cstdint>
#include <string_view>

namespace simvus::segment {

uint32_t Crc32c(std::string_view data);

}  // namespace simvus::segment
