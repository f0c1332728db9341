// Primary-key routing to shards, exactly as Milvus's HashPK2Channels (semantics §4):
// int64 pk -> murmur3_32(8 little-endian bytes, seed 0) & 0x7fffffff, modulo the shard count.
// Inserts and deletes of one pk therefore always land on the same vchannel.
#pragma once

#include <cstdint>
#include <string>

namespace simvus::roles {

uint32_t Murmur3_32(const void* data, size_t size, uint32_t seed);
int32_t ShardOfPk(int64_t pk, int32_t shards_num);
// "<pchannel>_<collection id>v<shard>"; ToPhysicalChannel strips the last "_..." part.
std::string VirtualChannel(const std::string& pchannel, int64_t collection_id, int32_t shard);
std::string PhysicalChannelOf(const std::string& vchannel);

}  // namespace simvus::roles
