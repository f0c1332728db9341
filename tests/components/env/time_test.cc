#include "components/env/time.h"

#include <gtest/gtest.h>

namespace simvus {
namespace {

TEST(Timestamp, ComposesPhysicalAndLogicalAsMilvusDoes) {
  Timestamp ts = Timestamp::Compose(1700000000123, 5);
  EXPECT_EQ(ts.value, (uint64_t{1700000000123} << 18) | 5);
  EXPECT_EQ(ts.physical_ms(), 1700000000123);
  EXPECT_EQ(ts.logical(), 5u);
}

TEST(Timestamp, AddPhysicalMovesOnlyThePhysicalPart) {
  Timestamp ts = Timestamp::Compose(10000, 7);
  Timestamp earlier = ts.AddPhysical(Duration::Millis(-5000));
  EXPECT_EQ(earlier.physical_ms(), 5000);
  EXPECT_EQ(earlier.logical(), 7u);
}

TEST(Timestamp, OrdersByPhysicalThenLogical) {
  EXPECT_LT(Timestamp::Compose(1, 100), Timestamp::Compose(2, 0));
  EXPECT_LT(Timestamp::Compose(2, 0), Timestamp::Compose(2, 1));
}

TEST(Duration, RendersAsSeconds) {
  EXPECT_EQ(ToString(Duration::Millis(1500)), "1.500000s");
  EXPECT_EQ(ToString(Duration::Micros(-3)), "-0.000003s");
}

}  // namespace
}  // namespace simvus
