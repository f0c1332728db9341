#include "components/segment/segment_store.h"

#include <gtest/gtest.h>

#include <string>

#include "components/segment/bloom_filter.h"
#include "components/segment/crc32c.h"
#include "tests/components/segment/memory_object_store.h"
#include "tests/components/segment/test_data.h"

namespace simvus::segment {
namespace {

using testing::MemoryObjectStore;
using testing::Rows;
using testing::RunSync;
using testing::TestSchema;
using testing::Ts;

constexpr SegmentLocation kLoc{10, 20, SegmentId{30}};

std::unique_ptr<Segment> SealedWithDeletes() {
  auto seg = std::make_unique<Segment>(SegmentId{30}, TestSchema());
  SIMVUS_CHECK(seg->Insert(Rows(seg->schema(), {5, 1, 9, 3}, Ts(100))).ok(), "insert");
  SIMVUS_CHECK(seg->Insert(Rows(seg->schema(), {5, 7}, Ts(200))).ok(), "insert");
  seg->Seal();
  SIMVUS_CHECK(seg->Delete({int64_t{5}, int64_t{3}}, {Ts(150), Ts(300)}).ok(), "delete");
  return seg;
}

// Regression (found by the seed corpus generator): an index file's bytes, and so its CRC, changed
// from one process to the next, because protobuf serializes map entries (IndexFile.params) in an
// order of its own. The same content must seal to the same bytes.
TEST(SegmentStore, SealFileIsDeterministicForMapFields) {
  std::vector<std::pair<std::string, std::string>> params;
  for (int i = 0; i < 32; ++i) params.push_back({"key" + std::to_string(i), std::to_string(i)});
  proto::IndexFile forward, backward;
  for (const auto& [k, v] : params) (*forward.mutable_params())[k] = v;
  for (auto it = params.rbegin(); it != params.rend(); ++it)
    (*backward.mutable_params())[it->first] = it->second;
  forward.set_dim(8);
  backward.set_dim(8);
  EXPECT_EQ(SegmentStore::SealFile(forward), SegmentStore::SealFile(backward));
}

TEST(Crc32c, KnownVector) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32cPortable("123456789"), 0xE3069283u);
}

// The instruction path (8 bytes at a time, then a byte tail) and the table agree on every length
// and alignment: segment files written on one host verify on another.
TEST(Crc32c, HardwarePathEqualsTheTableAtEveryLengthAndOffset) {
  std::string bytes(4099, '\0');
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (char& b : bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<char>(x);
  }
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{63}, size_t{64},
                     size_t{1000}, size_t{4091}}) {
      const std::string_view part(bytes.data() + offset, n);
      EXPECT_EQ(Crc32c(part), Crc32cPortable(part)) << "offset " << offset << " length " << n;
    }
  }
}

// The CRC catalogue's check value for CRC-32/ISO-HDLC (zlib, Go's crc32.ChecksumIEEE).
TEST(Crc32Ieee, KnownVector) { EXPECT_EQ(Crc32Ieee("123456789"), 0xCBF43926u); }

TEST(BloomFilter, HasNoFalseNegativesAndFewFalsePositives) {
  BloomFilter bloom(1000, 0.001);
  for (int64_t i = 0; i < 1000; ++i) bloom.Add(PrimaryKey(i * 7));
  for (int64_t i = 0; i < 1000; ++i) EXPECT_TRUE(bloom.MayContain(PrimaryKey(i * 7)));
  int fp = 0;
  for (int64_t i = 0; i < 10000; ++i) fp += bloom.MayContain(PrimaryKey(i * 7 + 1));
  EXPECT_LT(fp, 50);  // expected about 10
  BloomFilter copy(bloom.bits(), bloom.num_bits(), bloom.num_hashes());
  EXPECT_TRUE(copy.MayContain(PrimaryKey(int64_t{0})));
}

TEST(SegmentStore, WritesMilvusLayoutAndLoadsBitExact) {
  MemoryObjectStore store;
  SegmentStore files(store, "files");
  auto seg = SealedWithDeletes();
  Result<proto::SegmentManifest> manifest = RunSync(files.WriteSegment(*seg, kLoc, 777));
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  std::vector<std::string> keys;
  for (const auto& [k, v] : store.objects()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "files/delta_log/10/20/30/777",
                      "files/insert_log/10/20/30/1/777",
                      "files/insert_log/10/20/30/100/777",
                      "files/insert_log/10/20/30/101/777",
                      "files/insert_log/10/20/30/102/777",
                      "files/insert_log/10/20/30/103/777",
                      "files/insert_log/10/20/30/104/777",
                      "files/insert_log/10/20/30/105/777",
                      "files/stats_log/10/20/30/100/777",
                  }));
  Result<std::unique_ptr<Segment>> loaded = RunSync(files.LoadSegment(TestSchema(), *manifest));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Segment& l = **loaded;
  EXPECT_EQ(l.state(), SegmentState::kSealed);
  EXPECT_EQ(l.timestamps(), seg->timestamps());
  EXPECT_EQ(l.columns(), seg->columns());
  EXPECT_EQ(l.delete_log(), seg->delete_log());
  for (uint64_t m : {99, 100, 151, 200, 301}) {
    EXPECT_EQ(*l.Count("", Ts(m)), *seg->Count("", Ts(m))) << m;
  }

  Result<SegmentStats> stats = RunSync(files.LoadStats(*manifest));
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->min_pk, PrimaryKey(int64_t{1}));
  EXPECT_EQ(stats->max_pk, PrimaryKey(int64_t{9}));
  EXPECT_TRUE(stats->bloom.MayContain(PrimaryKey(int64_t{7})));

  // The manifest itself is a protobuf value that round-trips through bytes (for the MetaStore).
  proto::SegmentManifest copy;
  ASSERT_TRUE(copy.ParseFromString(manifest->SerializeAsString()));
  EXPECT_EQ(copy.SerializeAsString(), manifest->SerializeAsString());
}

TEST(SegmentStore, VarCharPrimaryKeyRoundTrips) {
  CollectionSchema schema = TestSchema();
  schema.fields[0].is_primary_key = false;
  schema.fields[5].is_primary_key = true;
  Segment seg(SegmentId{30}, schema);
  ASSERT_TRUE(seg.Insert(Rows(schema, {1, 2, 3}, Ts(10))).ok());
  seg.Seal();
  ASSERT_TRUE(seg.Delete({std::string("n2")}, {Ts(11)}).ok());
  MemoryObjectStore store;
  SegmentStore files(store, "files");
  auto manifest = RunSync(files.WriteSegment(seg, kLoc, 1));
  ASSERT_TRUE(manifest.ok());
  auto loaded = RunSync(files.LoadSegment(schema, *manifest));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->delete_log(), seg.delete_log());
  EXPECT_EQ(*(*loaded)->Count("", Ts(12)), 2);
}

// Every single-byte flip and every truncation of every file is detected as data loss.
TEST(SegmentStore, CorruptionAndTruncationAreDataLoss) {
  MemoryObjectStore store;
  SegmentStore files(store, "files");
  auto seg = SealedWithDeletes();
  auto manifest = RunSync(files.WriteSegment(*seg, kLoc, 1));
  ASSERT_TRUE(manifest.ok());
  const auto pristine = store.objects();
  for (const auto& [key, bytes] : pristine) {
    for (size_t pos : {size_t{0}, size_t{5}, bytes.size() / 2, bytes.size() - 1}) {
      store.objects() = pristine;
      store.objects()[key][pos] = static_cast<char>(store.objects()[key][pos] ^ 0x40);
      auto loaded = RunSync(files.LoadSegment(TestSchema(), *manifest));
      auto stats = RunSync(files.LoadStats(*manifest));
      bool any = loaded.status().code() == StatusCode::kDataLoss ||
                 stats.status().code() == StatusCode::kDataLoss;
      EXPECT_TRUE(any) << key << " flipped at " << pos;
    }
    for (size_t len : {size_t{0}, size_t{3}, size_t{8}, bytes.size() - 1}) {
      store.objects() = pristine;
      store.objects()[key].resize(len);
      auto loaded = RunSync(files.LoadSegment(TestSchema(), *manifest));
      auto stats = RunSync(files.LoadStats(*manifest));
      EXPECT_TRUE(loaded.status().code() == StatusCode::kDataLoss ||
                  stats.status().code() == StatusCode::kDataLoss)
          << key << " truncated to " << len;
    }
  }
}

TEST(SegmentStore, MissingFileIsNotFoundAndMisplacedFileIsDataLoss) {
  MemoryObjectStore store;
  SegmentStore files(store, "files");
  auto seg = SealedWithDeletes();
  auto manifest = RunSync(files.WriteSegment(*seg, kLoc, 1));
  ASSERT_TRUE(manifest.ok());
  store.objects().erase("files/insert_log/10/20/30/102/1");
  EXPECT_EQ(RunSync(files.LoadSegment(TestSchema(), *manifest)).status().code(),
            StatusCode::kNotFound);
  // A valid file of another field under this field's path: the header gives it away.
  store.objects()["files/insert_log/10/20/30/102/1"] =
      store.objects()["files/insert_log/10/20/30/103/1"];
  Status s = RunSync(files.LoadSegment(TestSchema(), *manifest)).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("does not match the manifest"), std::string::npos) << s.message();
}

TEST(SegmentStore, IndexFilesRoundTripAndDetectCorruption) {
  MemoryObjectStore store;
  SegmentStore files(store, "files");
  Segment seg(SegmentId{30}, TestSchema());
  std::vector<int64_t> pks;
  for (int64_t i = 0; i < 300; ++i) pks.push_back(i);
  ASSERT_TRUE(seg.Insert(Rows(seg.schema(), pks, Ts(10))).ok());
  seg.Seal();
  auto spec = ann::ParseIndexSpec({{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "8"}}, 4);
  ASSERT_TRUE(seg.BuildIndex(*spec).ok());
  Result<std::string> path = RunSync(files.WriteIndex(*seg.index(), kLoc, 5, 2));
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "files/index_files/5/2/20/30/index");
  auto index = RunSync(files.LoadIndex(*path, kLoc));
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ((*index)->spec(), *spec);
  EXPECT_TRUE(*(*index)->Serialize() == *seg.index()->Serialize());

  Segment copy(SegmentId{30}, TestSchema());
  ASSERT_TRUE(copy.Insert(Rows(copy.schema(), pks, Ts(10))).ok());
  copy.Seal();
  ASSERT_TRUE(copy.SetIndex(std::move(*index)).ok());
  SearchRequest req;
  req.queries = testing::Query(4, 42.2f);
  req.nq = 1;
  req.topk = 3;
  auto hits = copy.Search(req);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->queries[0][0].pk, PrimaryKey(int64_t{42}));

  std::string& bytes = store.objects()[*path];
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  EXPECT_EQ(RunSync(files.LoadIndex(*path, kLoc)).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace simvus::segment
