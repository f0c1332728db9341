#include "scenarios/bench/datasets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace simvus::scenarios::bench {
namespace {

class CachedTruthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/simvus_truth_cache_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Computed once, read back the next time, equal to a fresh computation.
TEST_F(CachedTruthTest, ComputesOnceThenReadsTheSameTruth) {
  AnnDataset data = ClusteredDataset(5, 2000, 16, 20, 8);
  AnnDataset fresh = data;
  ComputeTruth(fresh);
  EXPECT_NE(CachedTruth(data, dir_).find("computed and cached"), std::string::npos);
  EXPECT_EQ(data.truth, fresh.truth);
  AnnDataset again = ClusteredDataset(5, 2000, 16, 20, 8);
  EXPECT_NE(CachedTruth(again, dir_).find("read from the cache"), std::string::npos);
  EXPECT_EQ(again.truth, fresh.truth);
}

// Other data (another seed) is another file; a damaged file is recomputed, not trusted.
TEST_F(CachedTruthTest, OtherDataOrADamagedFileIsRecomputed) {
  AnnDataset a = ClusteredDataset(5, 1000, 8, 10, 8);
  CachedTruth(a, dir_);
  AnnDataset b = ClusteredDataset(6, 1000, 8, 10, 8);
  EXPECT_NE(CachedTruth(b, dir_).find("computed and cached"), std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/truth")) {
    std::filesystem::resize_file(entry.path(), 20);
  }
  AnnDataset c = ClusteredDataset(5, 1000, 8, 10, 8);
  EXPECT_NE(CachedTruth(c, dir_).find("computed and cached"), std::string::npos);
  EXPECT_EQ(c.truth, a.truth);
}

// No cache directory: computed, and the line says how to get one.
TEST(CachedTruth, WithoutADirectoryComputes) {
  AnnDataset data = ClusteredDataset(5, 500, 8, 5, 4);
  EXPECT_NE(CachedTruth(data, "").find("SIMVUS_CACHE_DIR"), std::string::npos);
  EXPECT_EQ(data.truth.size(), 5u * 10u);
}

TEST(FashionMnist, AMissingDirectoryNamesThePackage) {
  Result<AnnDataset> loaded = LoadFashionMnist("/nonexistent", 10);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("dataset-fashion-mnist"), std::string::npos);
}

}  // namespace
}  // namespace simvus::scenarios::bench
