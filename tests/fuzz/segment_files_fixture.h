// SegmentFilesFixture: the sealed segment the segment-files fuzz target damages, written once.
//
// 40 rows of the segment tests' schema (tests/components/segment/test_data.h), two deletes, an
// HNSW index, all written through SegmentStore into an in-memory object store. `paths` lists
// every file: the manifest's binlogs, the statslog, the deltalog, then the index file.
#pragma once

#include <string>
#include <vector>

#include "components/segment/segment_store.h"
#include "tests/components/segment/memory_object_store.h"

namespace simvus::fuzz {

struct SegmentFilesFixture {
  static constexpr segment::SegmentLocation kLocation{10, 20, segment::SegmentId{30}};

  // Built on first use, never destroyed (fuzzers exit without running destructors).
  static const SegmentFilesFixture& Get();

  Bytes File(size_t i) const;

  segment::CollectionSchema schema;
  segment::testing::MemoryObjectStore store;
  segment::proto::SegmentManifest manifest;
  std::string index_path;
  std::vector<std::string> paths;

 private:
  SegmentFilesFixture();
};

}  // namespace simvus::fuzz
