// The interim index of growing segments (segment.h, reference/milvus-semantics.md §8): one
// IVF_FLAT per full chunk plus a brute-force tail. Approximate, so recall is tested with a floor
// against the exact search of the same rows with the option off; visibility, deletes, filters
// and scores are tested exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "components/segment/segment.h"
#include "tests/components/segment/test_data.h"

namespace simvus::segment {
namespace {

using testing::Rows;
using testing::TestSchema;
using testing::Ts;

constexpr int64_t kDim = 32;

// splitmix64: a seeded generator whose output does not depend on the standard library.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  float Uniform() { return static_cast<float>(Next() >> 40) / static_cast<float>(1 << 24) * 2 - 1; }
};

// n vectors of dim kDim around `centers` seeded centers in [-1, 1]^dim, noise 0.15 per coordinate.
std::vector<float> Clustered(uint64_t seed, int64_t n, int64_t centers = 64) {
  Rng rng{seed};
  std::vector<float> c(static_cast<size_t>(centers * kDim));
  for (float& x : c) x = rng.Uniform();
  std::vector<float> out(static_cast<size_t>(n * kDim));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = static_cast<int64_t>(rng.Next() % static_cast<uint64_t>(centers));
    for (int64_t j = 0; j < kDim; ++j) {
      out[static_cast<size_t>(i * kDim + j)] =
          c[static_cast<size_t>(k * kDim + j)] + 0.15f * rng.Uniform();
    }
  }
  return out;
}

// Rows [begin, end) of `vectors` with pk = row index (Rows' scalar fields), all at `ts`.
InsertBatch Batch(const CollectionSchema& schema, const std::vector<float>& vectors, int64_t begin,
                  int64_t end, Timestamp ts) {
  std::vector<int64_t> pks;
  for (int64_t i = begin; i < end; ++i) pks.push_back(i);
  InsertBatch b = Rows(schema, pks, ts);
  b.columns[1].floats.assign(vectors.begin() + begin * kDim, vectors.begin() + end * kDim);
  return b;
}

InterimIndexOptions Interim(int64_t chunk_rows = 1024, int64_t nlist = 128, int64_t nprobe = 16,
                            uint64_t seed = 7) {
  InterimIndexOptions o;
  o.enabled = true;
  o.chunk_rows = chunk_rows;
  o.nlist = nlist;
  o.nprobe = nprobe;
  o.seed = seed;
  return o;
}

SearchRequest Req(const std::vector<float>& queries, int64_t topk, Timestamp mvcc,
                  std::string filter = "") {
  SearchRequest r;
  r.queries = queries;
  r.nq = static_cast<int64_t>(queries.size()) / kDim;
  r.topk = topk;
  r.mvcc_ts = mvcc;
  r.filter = std::move(filter);
  return r;
}

SearchResult MustSearch(const Segment& seg, const SearchRequest& r) {
  Result<SearchResult> res = seg.Search(r);
  SIMVUS_CHECK(res.ok(), res.status().ToString());
  return *res;
}

double Recall(const SearchResult& approx, const SearchResult& exact) {
  int64_t found = 0;
  int64_t total = 0;
  for (size_t q = 0; q < exact.queries.size(); ++q) {
    std::set<PrimaryKey> truth;
    for (const Hit& h : exact.queries[q]) truth.insert(h.pk);
    for (const Hit& h : approx.queries[q]) found += truth.count(h.pk);
    total += static_cast<int64_t>(exact.queries[q].size());
  }
  return static_cast<double>(found) / static_cast<double>(total);
}

// Same pks in the same order, scores equal up to float rounding (FAISS's IVF and simvus's flat
// kernel may round the same distance differently).
void ExpectSameHits(const SearchResult& got, const SearchResult& want) {
  ASSERT_EQ(got.queries.size(), want.queries.size());
  for (size_t q = 0; q < want.queries.size(); ++q) {
    ASSERT_EQ(got.queries[q].size(), want.queries[q].size()) << "query " << q;
    for (size_t j = 0; j < want.queries[q].size(); ++j) {
      const Hit& g = got.queries[q][j];
      const Hit& w = want.queries[q][j];
      EXPECT_EQ(g.pk, w.pk) << "query " << q << " rank " << j;
      EXPECT_NEAR(g.score, w.score, 1e-5 * std::max(1.0f, std::abs(w.score)))
          << "query " << q << " rank " << j;
    }
  }
}

// The same rows in two segments: interim index on and off.
struct Pair {
  Segment interim;
  Segment exact;
  Pair(const CollectionSchema& schema, InterimIndexOptions options)
      : interim(SegmentId{1}, schema, options), exact(SegmentId{2}, schema) {}
  void Insert(const InsertBatch& b) {
    ASSERT_TRUE(interim.Insert(b).ok());
    ASSERT_TRUE(exact.Insert(b).ok());
  }
  void Delete(const std::vector<PrimaryKey>& pks, const std::vector<Timestamp>& tss) {
    ASSERT_TRUE(interim.Delete(pks, tss).ok());
    ASSERT_TRUE(exact.Delete(pks, tss).ok());
  }
};

TEST(InterimIndex, IsOffByDefault) {
  const std::vector<float> v = Clustered(1, 2048);
  Segment seg(SegmentId{1}, TestSchema(kDim));
  EXPECT_FALSE(seg.interim_options().enabled);
  ASSERT_TRUE(seg.Insert(Batch(seg.schema(), v, 0, 2048, Ts(10))).ok());
  EXPECT_EQ(seg.num_interim_chunks(), 0);
}

TEST(InterimIndex, OptionsAreValidated) {
  InterimIndexOptions o = Interim(100, 128, 16);
  EXPECT_EQ(Segment::Create(SegmentId{1}, TestSchema(kDim), o).status().message(),
            "interim index: nlist 128, expected [1, 100] (at most chunk_rows 100: k-means trains "
            "on one chunk)");
  o = Interim(1024, 128, 0);
  EXPECT_EQ(Segment::Create(SegmentId{1}, TestSchema(kDim), o).status().message(),
            "interim index: nprobe 0, expected [1, 128] (nlist)");
  o = Interim(0);
  EXPECT_EQ(Segment::Create(SegmentId{1}, TestSchema(kDim), o).status().message(),
            "interim index: chunk_rows 0, expected >= 1");
  o.enabled = false;  // disabled options are never looked at
  EXPECT_TRUE(Segment::Create(SegmentId{1}, TestSchema(kDim), o).ok());
}

// Chunks follow the row count, whatever the batch sizes; Seal drops them.
TEST(InterimIndex, BuildsOneIvfFlatPerFullChunkAndSealDropsThem) {
  const std::vector<float> v = Clustered(2, 3200);
  Segment seg(SegmentId{1}, TestSchema(kDim), Interim());
  const std::vector<int64_t> ends = {700, 1400, 2100, 3100, 3200};
  const std::vector<int64_t> chunks = {0, 1, 2, 3, 3};
  int64_t begin = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    ASSERT_TRUE(seg.Insert(Batch(seg.schema(), v, begin, ends[i], Ts(10))).ok());
    begin = ends[i];
    EXPECT_EQ(seg.num_interim_chunks(), chunks[i]) << "after " << ends[i] << " rows";
  }
  for (int64_t c = 0; c < seg.num_interim_chunks(); ++c) {
    EXPECT_EQ(seg.interim_index(c).spec().ToString(), "IVF_FLAT(dim=32,metric_type=L2,nlist=128)");
    EXPECT_EQ(seg.interim_index(c).size(), 1024);
  }
  seg.Seal();
  EXPECT_EQ(seg.num_interim_chunks(), 0);
  // Sealed without an index: exact brute force again, as with the option off.
  Segment exact(SegmentId{2}, TestSchema(kDim));
  ASSERT_TRUE(exact.Insert(Batch(exact.schema(), v, 0, 3200, Ts(10))).ok());
  const std::vector<float> queries = Clustered(3, 20);
  EXPECT_EQ(MustSearch(seg, Req(queries, 10, Ts(10))).queries,
            MustSearch(exact, Req(queries, 10, Ts(10))).queries);
  ann::IndexSpec spec;
  spec.type = ann::IndexType::kIvfFlat;
  spec.dim = kDim;
  EXPECT_TRUE(seg.BuildIndex(spec).ok());
}

// Milvus's defaults (chunk 1024, nlist 128, nprobe 16) on 4 chunks + a tail of clustered data.
TEST(InterimIndex, RecallAt10IsAtLeast90Percent) {
  const std::vector<float> v = Clustered(4, 4 * 1024 + 200, /*centers=*/256);
  Pair p(TestSchema(kDim), Interim());
  p.Insert(Batch(p.exact.schema(), v, 0, 4 * 1024 + 200, Ts(10)));
  ASSERT_EQ(p.interim.num_interim_chunks(), 4);
  const SearchRequest r = Req(Clustered(5, 100, /*centers=*/256), 10, Ts(10));
  const double recall = Recall(MustSearch(p.interim, r), MustSearch(p.exact, r));
  std::printf("interim index recall@10 = %.4f\n", recall);
  EXPECT_GE(recall, 0.9);
}

// With nprobe == nlist every list is scanned: the interim search must equal brute force exactly,
// so the chunk / tail split, the row offsets and the merge are checked without approximation.
TEST(InterimIndex, FullProbeEqualsBruteForceUnderMvccDeletesAndFilters) {
  Pair p(TestSchema(4), Interim(/*chunk_rows=*/16, /*nlist=*/4, /*nprobe=*/4));
  for (int64_t b = 0; b < 7; ++b) {
    std::vector<int64_t> pks;
    for (int64_t i = b * 10; i < b * 10 + 10; ++i) pks.push_back(i);
    p.Insert(Rows(p.exact.schema(), pks, Ts(static_cast<uint64_t>(10 + b))));
  }
  p.Delete({int64_t{3}, int64_t{20}, int64_t{41}, int64_t{69}}, {Ts(12), Ts(14), Ts(15), Ts(17)});
  p.Delete({int64_t{30}}, {Ts(16)});
  p.Insert(Rows(p.exact.schema(), {30}, Ts(16)));  // upsert of pk 30 (the tail row)
  ASSERT_EQ(p.interim.num_interim_chunks(), 4);
  for (uint64_t m : {9, 10, 12, 13, 15, 16, 17, 100}) {
    for (const std::string filter : {"", "flag", "age > 25 and age < 55"}) {
      for (float value : {0.0f, 21.4f, 30.0f, 44.6f, 70.0f}) {
        SearchRequest r;
        r.queries = testing::Query(4, value);
        r.nq = 1;
        r.topk = 7;
        r.mvcc_ts = Ts(m);
        r.filter = filter;
        SCOPED_TRACE("M=" + std::to_string(m) + " filter=" + filter +
                     " q=" + std::to_string(value));
        ExpectSameHits(MustSearch(p.interim, r), MustSearch(p.exact, r));
      }
    }
  }
}

// Approximate search, exact semantics: under MVCC, deletes, upserts and filters, every hit is a
// row visible at M that passes the filter, with its exact distance, best first, no row twice.
TEST(InterimIndex, NeverReturnsInvisibleDeletedOrFilteredRowsAndScoresAreExact) {
  const int64_t n = 4 * 1024 + 300;
  const std::vector<float> v = Clustered(6, n);
  Pair p(TestSchema(kDim), Interim());
  for (int64_t b = 0; b * 256 < n; ++b) {  // 256 rows per timestamp 10, 11, ...
    p.Insert(Batch(p.exact.schema(), v, b * 256, std::min(n, (b + 1) * 256),
                   Ts(static_cast<uint64_t>(10 + b))));
  }
  std::vector<int64_t> del;
  std::vector<Timestamp> del_ts;
  for (int64_t pk = 0; pk < n; pk += 7) {
    del.push_back(pk);
    del_ts.push_back(Ts(static_cast<uint64_t>(12 + pk % 11)));
  }
  p.Delete(std::vector<PrimaryKey>(del.begin(), del.end()), del_ts);
  // Upsert pks 0..99 (chunk 0) with new vectors in the tail at ts 30.
  std::vector<float> moved = Clustered(7, 100);
  InsertBatch up = Batch(p.exact.schema(), moved, 0, 100, Ts(30));
  std::vector<PrimaryKey> up_pks(up.columns[0].int64s.begin(), up.columns[0].int64s.end());
  p.Delete(up_pks, std::vector<Timestamp>(up_pks.size(), Ts(30)));
  p.Insert(up);
  ASSERT_EQ(p.interim.num_interim_chunks(), 4);

  const std::vector<float> queries = Clustered(8, 30);
  int64_t hits_checked = 0;
  for (uint64_t m : {10, 13, 20, 26, 30, 31}) {
    for (const std::string filter : {"", "flag", "age % 3 == 1 and score > 100"}) {
      SCOPED_TRACE("M=" + std::to_string(m) + " filter=" + filter);
      // Ground truth for the rule: the visible, matching rows and their vectors.
      QueryRequest qr;
      qr.filter = filter;
      qr.mvcc_ts = Ts(m);
      qr.output_fields = {"vec"};
      Result<QueryResult> allowed = p.exact.Query(qr);
      ASSERT_TRUE(allowed.ok());
      const SearchResult got = MustSearch(p.interim, Req(queries, 10, Ts(m), filter));
      for (int64_t q = 0; q < 30; ++q) {
        const std::vector<Hit>& list = got.queries[static_cast<size_t>(q)];
        EXPECT_LE(static_cast<int64_t>(list.size()), std::min<int64_t>(10, allowed->num_rows()));
        std::set<std::pair<PrimaryKey, float>> seen;
        for (size_t j = 0; j < list.size(); ++j) {
          if (j > 0) {
            EXPECT_LE(list[j - 1].score, list[j].score);
          }
          EXPECT_TRUE(seen.insert({list[j].pk, list[j].score}).second);
          // Some visible row with this pk has exactly this distance.
          bool match = false;
          for (int64_t r = 0; r < allowed->num_rows() && !match; ++r) {
            if (allowed->pks[static_cast<size_t>(r)] != list[j].pk) continue;
            double d = 0;
            for (int64_t k = 0; k < kDim; ++k) {
              double diff = allowed->fields[0].floats[static_cast<size_t>(r * kDim + k)] -
                            queries[static_cast<size_t>(q * kDim + k)];
              d += diff * diff;
            }
            match = std::abs(d - list[j].score) <= 1e-4 * std::max(1.0, d);
          }
          EXPECT_TRUE(match) << "pk " << ToString(list[j].pk) << " score " << list[j].score;
          ++hits_checked;
        }
      }
    }
  }
  EXPECT_GT(hits_checked, 3000);
}

// nprobe == nlist again, COSINE: chunks normalize inside the index, the tail divides by norms.
TEST(InterimIndex, CosineFullProbeEqualsBruteForce) {
  const std::vector<float> v = Clustered(9, 4 * 256 + 50);
  CollectionSchema schema = TestSchema(kDim, ann::MetricType::kCosine);
  Pair p(schema, Interim(/*chunk_rows=*/256, /*nlist=*/16, /*nprobe=*/16));
  p.Insert(Batch(schema, v, 0, 4 * 256 + 50, Ts(10)));
  ASSERT_EQ(p.interim.num_interim_chunks(), 4);
  const SearchRequest r = Req(Clustered(10, 20), 10, Ts(10));
  ExpectSameHits(MustSearch(p.interim, r), MustSearch(p.exact, r));
}

// Same rows and seed: byte-identical chunk indexes and identical answers, however the rows were
// batched; another seed trains other centroids.
TEST(InterimIndex, SameSeedGivesIdenticalIndexesAndResults) {
  const int64_t n = 3 * 1024 + 77;
  const std::vector<float> v = Clustered(11, n);
  Segment a(SegmentId{1}, TestSchema(kDim), Interim());
  Segment b(SegmentId{2}, TestSchema(kDim), Interim());
  Segment other_seed(SegmentId{3}, TestSchema(kDim), Interim(1024, 128, 16, /*seed=*/8));
  ASSERT_TRUE(a.Insert(Batch(a.schema(), v, 0, n, Ts(10))).ok());
  ASSERT_TRUE(other_seed.Insert(Batch(a.schema(), v, 0, n, Ts(10))).ok());
  for (int64_t begin = 0; begin < n; begin += 500) {
    ASSERT_TRUE(b.Insert(Batch(b.schema(), v, begin, std::min(n, begin + 500), Ts(10))).ok());
  }
  ASSERT_EQ(a.num_interim_chunks(), 3);
  ASSERT_EQ(b.num_interim_chunks(), 3);
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_EQ(*a.interim_index(c).Serialize(), *b.interim_index(c).Serialize()) << c;
    EXPECT_NE(*a.interim_index(c).Serialize(), *other_seed.interim_index(c).Serialize()) << c;
  }
  const SearchRequest r = Req(Clustered(12, 50), 10, Ts(10), "flag");
  EXPECT_EQ(MustSearch(a, r).queries, MustSearch(b, r).queries);
}

}  // namespace
}  // namespace simvus::segment
