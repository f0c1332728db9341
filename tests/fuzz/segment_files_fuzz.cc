// FuzzSegmentFiles: segment files as a query node, an index node or compaction reads them back.
//
// A fixed sealed segment (segment_files_fixture.h) is written once through SegmentStore.
// Each input replaces one of its files and loads the segment (or its stats, or its index) again:
//   byte 0   which file: the manifest's binlogs, then the statslog, the deltalog, the index file
//   byte 1   how: 0 -> the rest of the input is the whole file, as found in the object store;
//                 1 -> the rest is the message body, sealed with a correct magic and CRC-32C, so
//                      the decoder behind the checksum (header, shape, schema checks) is reached;
//                 2 -> (index file, also for 1) the rest is the IndexFile metadata message,
//                      keeping the original FAISS blob: type, parameters, dim, header fuzzed.
// Properties: nothing crashes; a file whose checksum does not verify is reported as kDataLoss
// naming its path, never trusted; a segment that loads has exactly the manifest's row count in
// every column; an index that loads answers a search or returns an error.
// Simplification: the FAISS blob inside a verified index file is trusted: FAISS's reader is not
// hardened against crafted input (a blob that makes faiss::read_index throw midway leaks what it
// had read, seen with this target). Mode 0 covers the blob's envelope, mode 2 its metadata.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "components/env/check.h"
#include "components/segment/crc32c.h"
#include "components/segment/segment_store.h"
#include "tests/components/segment/memory_object_store.h"
#include "tests/fuzz/fuzz_targets.h"
#include "tests/fuzz/segment_files_fixture.h"

namespace simvus::fuzz {
namespace {

using segment::testing::MemoryObjectStore;
using segment::testing::RunSync;

constexpr segment::SegmentLocation kLocation = SegmentFilesFixture::kLocation;

// The envelope of segment_files.proto: "SVS1", the body's CRC-32C little-endian, the body.
Bytes Sealed(std::string_view body) {
  const uint32_t crc = segment::Crc32c(body);
  Bytes file("SVS1");
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  file.append(body);
  return file;
}

bool EnvelopeVerifies(const Bytes& file) {
  if (file.size() < 8 || file.compare(0, 4, "SVS1") != 0) return false;
  uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= static_cast<uint32_t>(static_cast<uint8_t>(file[4 + i])) << (8 * i);
  return stored == segment::Crc32c(std::string_view(file).substr(8));
}

}  // namespace

void FuzzSegmentFiles(std::string_view data) {
  const SegmentFilesFixture* const fixture = &SegmentFilesFixture::Get();
  if (data.size() < 2) return;
  const size_t which = static_cast<uint8_t>(data[0]) % fixture->paths.size();
  const int mode = static_cast<uint8_t>(data[1]) % 3;
  const std::string_view rest = data.substr(2);
  const std::string& path = fixture->paths[which];
  const bool is_index = path == fixture->index_path;

  Bytes file;
  if (mode == 0) {
    file = Bytes(rest);
  } else if (!is_index) {
    file = Sealed(rest);
  } else {  // modes 1 and 2 of the index file: its metadata, with the original FAISS blob
    segment::proto::IndexFile meta;
    if (!meta.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) return;
    segment::proto::IndexFile original;
    SIMVUS_CHECK(segment::SegmentStore::OpenFile(fixture->File(which), path, &original).ok(),
                 "fixture index file");
    meta.set_faiss_index(original.faiss_index());
    file = segment::SegmentStore::SealFile(meta);
  }

  MemoryObjectStore store = fixture->store;  // a private copy per input
  SIMVUS_CHECK(RunSync(store.Put(path, file)).ok(), "put");
  segment::SegmentStore files(store, "files");
  const bool verifies = EnvelopeVerifies(file);

  if (is_index) {
    Result<std::unique_ptr<ann::VectorIndex>> index = RunSync(files.LoadIndex(path, kLocation));
    if (!verifies) {
      SIMVUS_CHECK(!index.ok() && index.status().code() == StatusCode::kDataLoss &&
                       index.status().message().find(path) != std::string::npos,
                   "an index file that fails its checksum must be kDataLoss naming the path");
      return;
    }
    if (!index.ok()) return;
    const std::vector<float> query(static_cast<size_t>(fixture->schema.fields[1].dim), 3.0f);
    (void)(*index)->Search(query.data(), 1, 5, {}, nullptr, {});
    return;
  }

  const bool is_stats = path == fixture->manifest.stats_path();
  if (is_stats) {
    Result<segment::SegmentStats> stats = RunSync(files.LoadStats(fixture->manifest));
    if (!verifies) {
      SIMVUS_CHECK(!stats.ok() && stats.status().code() == StatusCode::kDataLoss &&
                       stats.status().message().find(path) != std::string::npos,
                   "a statslog that fails its checksum must be kDataLoss naming the path");
      return;
    }
    if (stats.ok()) {
      SIMVUS_CHECK(stats->num_rows == fixture->manifest.num_rows(), "statslog row count");
    }
    return;
  }

  Result<std::unique_ptr<segment::Segment>> loaded =
      RunSync(files.LoadSegment(fixture->schema, fixture->manifest));
  if (!verifies) {
    SIMVUS_CHECK(!loaded.ok() && loaded.status().code() == StatusCode::kDataLoss &&
                     loaded.status().message().find(path) != std::string::npos,
                 "a segment file that fails its checksum must be kDataLoss naming the path, got " +
                     loaded.status().ToString());
    return;
  }
  if (!loaded.ok()) return;
  const segment::Segment& seg = **loaded;
  const int64_t rows = fixture->manifest.num_rows();
  SIMVUS_CHECK(static_cast<int64_t>(seg.timestamps().size()) == rows, "timestamps vs manifest");
  for (const segment::FieldColumn& column : seg.columns()) {
    SIMVUS_CHECK(column.size() == rows, "a column's length differs from the manifest's rows");
  }
  (void)seg.Count("", Timestamp{1000});
}

}  // namespace simvus::fuzz
