#include "components/ann/index_spec.h"

#include <gtest/gtest.h>

namespace simvus::ann {
namespace {

TEST(IndexSpec, FillsMilvusDefaults) {
  Result<IndexSpec> ivf = ParseIndexSpec({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}}, 128);
  ASSERT_TRUE(ivf.ok());
  EXPECT_EQ(ivf->nlist, 128);
  Result<IndexSpec> hnsw = ParseIndexSpec({{"index_type", "hnsw"}, {"metric_type", "cosine"}}, 8);
  ASSERT_TRUE(hnsw.ok());
  EXPECT_EQ(hnsw->hnsw_m, 30);
  EXPECT_EQ(hnsw->ef_construction, 360);
  EXPECT_EQ(hnsw->metric, MetricType::kCosine);
  Result<IndexSpec> pq = ParseIndexSpec(
      {{"index_type", "IVF_PQ"}, {"metric_type", "IP"}, {"nlist", "64"}, {"m", "16"}}, 128);
  ASSERT_TRUE(pq.ok());
  EXPECT_EQ(pq->pq_nbits, 8);
  EXPECT_EQ(pq->ToString(), "IVF_PQ(dim=128,m=16,metric_type=IP,nbits=8,nlist=64)");
}

TEST(IndexSpec, PrinterAndParserRoundTrip) {
  for (const IndexParams& p : std::vector<IndexParams>{
           {{"index_type", "FLAT"}, {"metric_type", "IP"}},
           {{"index_type", "IVF_SQ8"}, {"metric_type", "L2"}, {"nlist", "1024"}},
           {{"index_type", "IVF_PQ"}, {"metric_type", "L2"}, {"m", "8"}, {"nbits", "4"}},
           {{"index_type", "HNSW"},
            {"metric_type", "COSINE"},
            {"M", "16"},
            {"efConstruction", "200"}}}) {
    Result<IndexSpec> spec = ParseIndexSpec(p, 64);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    EXPECT_EQ(*ParseIndexSpec(spec->ToParams(), 64), *spec);
  }
}

std::string Error(const IndexParams& p, int64_t dim = 128) {
  Result<IndexSpec> spec = ParseIndexSpec(p, dim);
  return spec.ok() ? "OK" : spec.status().message();
}

TEST(IndexSpec, ErrorsNameFieldValueAndExpectation) {
  EXPECT_EQ(Error({{"metric_type", "L2"}}),
            "index_type: missing, expected one of FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW");
  EXPECT_EQ(Error({{"index_type", "DISKANN"}, {"metric_type", "L2"}}),
            "index_type: 'DISKANN' is not supported, expected one of FLAT, IVF_FLAT, IVF_SQ8, "
            "IVF_PQ, HNSW");
  EXPECT_EQ(Error({{"index_type", "FLAT"}, {"metric_type", "HAMMING"}}),
            "metric_type: 'HAMMING' is not supported, expected one of L2, IP, COSINE");
  EXPECT_EQ(Error({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlist", "0"}}),
            "nlist: 0 is out of range, expected an integer in [1, 65536]");
  EXPECT_EQ(Error({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlist", "12x"}}),
            "nlist: '12x' is not an integer, expected an integer in [1, 65536]");
  EXPECT_EQ(Error({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlists", "12"}}),
            "IVF_FLAT index params: unknown parameter 'nlists', expected one of: index_type, "
            "metric_type, nlist");
  EXPECT_EQ(Error({{"index_type", "IVF_PQ"}, {"metric_type", "L2"}}),
            "m: missing for IVF_PQ, expected a divisor of dim 128");
  EXPECT_EQ(Error({{"index_type", "IVF_PQ"}, {"metric_type", "L2"}, {"m", "7"}}),
            "m: 7 does not divide dim 128, expected a divisor of dim");
  EXPECT_EQ(Error({{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "1"}}),
            "M: 1 is out of range, expected an integer in [2, 2048]");
  EXPECT_EQ(Error({{"index_type", "HNSW"}, {"metric_type", "L2"}, {"efConstruction", "0"}}),
            "efConstruction: 0 is out of range, expected an integer in [1, 2147483647]");
}

TEST(SearchParams, RangesDependOnIndexAndTopk) {
  IndexSpec ivf =
      *ParseIndexSpec({{"index_type", "IVF_FLAT"}, {"metric_type", "L2"}, {"nlist", "4"}}, 8);
  EXPECT_EQ(ParseSearchParams({}, ivf, 10)->nprobe, 4);  // default 8 clamped to nlist
  EXPECT_EQ(ParseSearchParams({{"nprobe", "5"}}, ivf, 10).status().message(),
            "nprobe: 5 is out of range, expected an integer in [1, 4]");
  IndexSpec hnsw = *ParseIndexSpec({{"index_type", "HNSW"}, {"metric_type", "L2"}}, 8);
  EXPECT_EQ(ParseSearchParams({}, hnsw, 50)->ef, 50);
  EXPECT_EQ(ParseSearchParams({{"ef", "9"}}, hnsw, 10).status().message(),
            "ef: 9 is out of range, expected an integer in [10, 2147483647]");
  EXPECT_EQ(ParseSearchParams({{"nprobe", "9"}}, hnsw, 10).status().message(),
            "HNSW search params: unknown parameter 'nprobe', expected one of: ef");
}

}  // namespace
}  // namespace simvus::ann
