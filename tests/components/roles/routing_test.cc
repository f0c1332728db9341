#include "components/roles/routing.h"

#include <gtest/gtest.h>

namespace simvus::roles {
namespace {

TEST(Routing, Murmur3MatchesReferenceVectors) {
  // Reference values of MurmurHash3_x86_32.
  EXPECT_EQ(Murmur3_32("", 0, 0), 0u);
  EXPECT_EQ(Murmur3_32("", 0, 1), 0x514E28B7u);
  EXPECT_EQ(Murmur3_32("hello", 5, 0), 0x248BFA47u);
  EXPECT_EQ(Murmur3_32("The quick brown fox jumps over the lazy dog", 43, 0), 0x2E4FF723u);
}

TEST(Routing, SamePkAlwaysSameShardAndShardsInRange) {
  for (int64_t pk = -1000; pk < 1000; ++pk) {
    const int32_t shard = ShardOfPk(pk, 4);
    EXPECT_GE(shard, 0);
    EXPECT_LT(shard, 4);
    EXPECT_EQ(shard, ShardOfPk(pk, 4));
  }
}

TEST(Routing, VirtualChannelNamesRoundTrip) {
  const std::string v = VirtualChannel("by-dev-rootcoord-dml_3", 4242, 1);
  EXPECT_EQ(v, "by-dev-rootcoord-dml_3_4242v1");
  EXPECT_EQ(PhysicalChannelOf(v), "by-dev-rootcoord-dml_3");
}

}  // namespace
}  // namespace simvus::roles
