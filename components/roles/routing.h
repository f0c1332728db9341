// Primary-key routing to shards, exactly as Milvus's HashPK2Channels (semantics §4,
// [M] pkg/util/typeutil/hash.go):
//   int64 pk   -> murmur3_32(8 little-endian bytes, seed 0) & 0x7fffffff   (Hash32Int64)
//   varchar pk -> crc32 IEEE of the first 100 bytes, unmasked              (HashString2Uint32)
// then modulo the shard count. Inserts and deletes of one pk therefore always land on the same
// vchannel.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace simvus::roles {

uint32_t Murmur3_32(const void* data, size_t size, uint32_t seed);
// Milvus's Hash32Int64: the hash an int64 pk routes by.
uint32_t HashInt64Pk(int64_t pk);
// Milvus's HashString2Uint32: the hash a varchar pk routes by (only its first 100 bytes count).
uint32_t HashVarcharPk(std::string_view pk);
// REQUIRES: shards_num > 0.
int32_t ShardOfPk(int64_t pk, int32_t shards_num);
int32_t ShardOfVarcharPk(std::string_view pk, int32_t shards_num);
// "<pchannel>_<collection id>v<shard>"; ToPhysicalChannel strips the last "_..." part.
std::string VirtualChannel(const std::string& pchannel, int64_t collection_id, int32_t shard);
std::string PhysicalChannelOf(const std::string& vchannel);

}  // namespace simvus::roles
