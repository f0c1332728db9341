#include "components/roles/routing.h"

#include <cstring>

#include "components/env/check.h"
#include "components/segment/crc32c.h"

namespace simvus::roles {

uint32_t Murmur3_32(const void* data, size_t size, uint32_t seed) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
  uint32_t h = seed;
  const size_t blocks = size / 4;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t k;
    std::memcpy(&k, bytes + i * 4, 4);  // little-endian hosts only, as Milvus's Go code
    k *= c1;
    k = (k << 15) | (k >> 17);
    k *= c2;
    h ^= k;
    h = (h << 13) | (h >> 19);
    h = h * 5 + 0xe6546b64;
  }
  uint32_t k = 0;
  const uint8_t* tail = bytes + blocks * 4;
  switch (size & 3) {
    case 3:
      k ^= static_cast<uint32_t>(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k ^= static_cast<uint32_t>(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k ^= tail[0];
      k *= c1;
      k = (k << 15) | (k >> 17);
      k *= c2;
      h ^= k;
  }
  h ^= static_cast<uint32_t>(size);
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

uint32_t HashInt64Pk(int64_t pk) { return Murmur3_32(&pk, sizeof(pk), 0) & 0x7fffffff; }

uint32_t HashVarcharPk(std::string_view pk) {
  constexpr size_t kSubstringLengthForCrc = 100;  // Milvus's substringLengthForCRC
  return segment::Crc32Ieee(pk.substr(0, kSubstringLengthForCrc));
}

int32_t ShardOfPk(int64_t pk, int32_t shards_num) {
  SIMVUS_CHECK(shards_num > 0, "ShardOfPk: shards_num must be positive");
  return static_cast<int32_t>(HashInt64Pk(pk) % static_cast<uint32_t>(shards_num));
}

int32_t ShardOfVarcharPk(std::string_view pk, int32_t shards_num) {
  SIMVUS_CHECK(shards_num > 0, "ShardOfVarcharPk: shards_num must be positive");
  return static_cast<int32_t>(HashVarcharPk(pk) % static_cast<uint32_t>(shards_num));
}

std::string VirtualChannel(const std::string& pchannel, int64_t collection_id, int32_t shard) {
  return pchannel + "_" + std::to_string(collection_id) + "v" + std::to_string(shard);
}

std::string PhysicalChannelOf(const std::string& vchannel) {
  const size_t pos = vchannel.rfind('_');
  return pos == std::string::npos ? vchannel : vchannel.substr(0, pos);
}

}  // namespace simvus::roles
