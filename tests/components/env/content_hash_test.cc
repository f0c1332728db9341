#include "components/env/content_hash.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace simvus {
namespace {

// The value is part of what a run produces (the simulated object store's ETags): pinned, so that
// a change of the function, or a host reading the bytes in another order, is seen here first.
TEST(ContentHash64, IsPinned) {
  EXPECT_EQ(ContentHash64(""), ContentHash64(std::string_view()));
  EXPECT_EQ(ContentHash64("123456789"), ContentHash64(std::string("123456789")));
  EXPECT_EQ(ContentHash64("123456789"), 0x69ca4036fed38943ULL);
}

// Every single-bit change of a 100-byte string, at every position, and every length of a prefix
// gives a different value: 800 + 101 strings, no two alike.
TEST(ContentHash64, ChangesWithEveryBitAndEveryLength) {
  std::string base(100, '\0');
  for (size_t i = 0; i < base.size(); ++i) base[i] = static_cast<char>(i * 37 + 11);
  std::set<uint64_t> seen;
  for (size_t i = 0; i < base.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = base;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      EXPECT_TRUE(seen.insert(ContentHash64(flipped)).second) << "byte " << i << " bit " << bit;
    }
  }
  for (size_t n = 0; n <= base.size(); ++n) {
    EXPECT_TRUE(seen.insert(ContentHash64(std::string_view(base.data(), n))).second) << n;
  }
  // Trailing zero bytes count: a tail is not confused with a shorter string.
  EXPECT_NE(ContentHash64(std::string("ab")), ContentHash64(std::string("ab\0", 3)));
}

}  // namespace
}  // namespace simvus
