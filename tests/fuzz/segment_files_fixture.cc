#include "tests/fuzz/segment_files_fixture.h"

#include "components/ann/index_spec.h"
#include "components/env/check.h"
#include "tests/components/segment/test_data.h"

namespace simvus::fuzz {

using segment::testing::RunSync;

const SegmentFilesFixture& SegmentFilesFixture::Get() {
  static const SegmentFilesFixture* const fixture = new SegmentFilesFixture();
  return *fixture;
}

SegmentFilesFixture::SegmentFilesFixture() : schema(segment::testing::TestSchema()) {
  segment::Segment seg(kLocation.segment_id, schema);
  std::vector<int64_t> pks;
  for (int64_t pk = 1; pk <= 40; ++pk) pks.push_back(pk);
  SIMVUS_CHECK(seg.Insert(segment::testing::Rows(schema, pks, Timestamp{100})).ok(), "insert");
  seg.Seal();
  SIMVUS_CHECK(seg.Delete({int64_t{5}, int64_t{9}}, {Timestamp{150}, Timestamp{160}}).ok(),
               "delete");
  segment::SegmentStore files(store, "files");
  Result<segment::proto::SegmentManifest> written = RunSync(files.WriteSegment(seg, kLocation, 7));
  SIMVUS_CHECK(written.ok(), written.status().ToString());
  manifest = *written;
  Result<ann::IndexSpec> spec = ann::ParseIndexSpec(
      {{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "8"}, {"efConstruction", "16"}},
      schema.fields[1].dim);
  SIMVUS_CHECK(spec.ok(), spec.status().ToString());
  SIMVUS_CHECK(seg.BuildIndex(*spec, {1, 1}).ok(), "build index");
  Result<std::string> path = RunSync(files.WriteIndex(*seg.index(), kLocation, 3, 1));
  SIMVUS_CHECK(path.ok(), path.status().ToString());
  index_path = *path;
  for (const segment::proto::FieldBinlog& b : manifest.binlogs()) paths.push_back(b.path());
  paths.push_back(manifest.stats_path());
  for (const std::string& d : manifest.delta_paths()) paths.push_back(d);
  paths.push_back(index_path);
}

Bytes SegmentFilesFixture::File(size_t i) const {
  auto it = store.objects().find(paths.at(i));
  SIMVUS_CHECK(it != store.objects().end(), "fixture file " + paths.at(i));
  return it->second;
}

}  // namespace simvus::fuzz
