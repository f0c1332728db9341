// fuzz_seed_corpus OUT_DIR: writes the binary seed corpora of the fuzz targets from real
// encodings, so that fuzzing starts from inputs the code really reads:
//   segment_files      every file of the fuzz fixture's segment as found in the object store
//                      (mode 0), with one bit flipped (mode 0, checksum mismatch), its message
//                      body (mode 1), and the index metadata (mode 2);
//   log_message        LogMessages shaped as the proxy and root coordinator produce them;
//   insert_validation  schema + insert pairs from the validation tests, valid and invalid.
// The filter-expression seeds are the expressions of tests/components/expr/*_test.cc, kept as
// text files. Regenerate after a format change:
//   ./build/default/tests/fuzz/fuzz_seed_corpus tests/fuzz/corpus
// (existing seed-* files are overwritten; crash-* regression inputs are kept).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "components/protocol/simvus.pb.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment_store.h"
#include "tests/fuzz/segment_files_fixture.h"

namespace simvus::fuzz {
namespace {

void Write(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / ("seed-" + name), std::ios::binary);
  out << bytes;
}

void SegmentFilesSeeds(const std::filesystem::path& dir) {
  const SegmentFilesFixture& f = SegmentFilesFixture::Get();
  for (size_t i = 0; i < f.paths.size(); ++i) {
    const Bytes file = f.File(i);
    const std::string which(1, static_cast<char>(i));
    Write(dir, "file" + std::to_string(i) + "-whole", which + std::string(1, '\0') + file);
    Write(dir, "file" + std::to_string(i) + "-body", which + std::string(1, '\1') + file.substr(8));
    // One bit flipped in the last byte: the checksum no longer matches and must be reported.
    Bytes flipped = file;
    flipped.back() = static_cast<char>(flipped.back() ^ 0x01);
    Write(dir, "file" + std::to_string(i) + "-bit-flipped", which + std::string(1, '\0') + flipped);
    if (f.paths[i] == f.index_path) {
      segment::proto::IndexFile meta;
      SIMVUS_CHECK(segment::SegmentStore::OpenFile(file, f.index_path, &meta).ok(), "index");
      meta.clear_faiss_index();
      Write(dir, "file" + std::to_string(i) + "-index-metadata",
            which + std::string(1, '\2') + segment::SegmentStore::SealFile(meta).substr(8));
    }
  }
}

void LogMessageSeeds(const std::filesystem::path& dir) {
  // As the proxy produces it: roles::InsertRowsForShard of a validated request.
  const proto::CollectionSchema schema = roles::PkVectorSchema("c", 4);
  proto::InsertRequest request;
  proto::FieldData* pks = request.add_fields();
  pks->set_name("pk");
  proto::FieldData* vectors = request.add_fields();
  vectors->set_name("vec");
  vectors->set_dim(4);
  for (int64_t pk : {7, 8, 9}) {
    pks->add_int64_data(pk);
    for (int d = 0; d < 4; ++d) vectors->add_float_vector(static_cast<float>(pk * 10 + d));
  }
  proto::LogMessage insert;
  proto::InsertMsg* i = insert.mutable_insert();
  *i = roles::InsertRowsForShard(schema, request, 3, 0, 1);
  i->set_collection_id(1);
  i->set_vchannel("by-dev-rootcoord-dml_0_1v0");
  i->set_ts(uint64_t{1767225601003} << 18);
  i->set_source("proxy-1");
  Write(dir, "insert-3-rows", insert.SerializeAsString());
  i->mutable_fields(1)->clear_float_vector();
  Write(dir, "insert-missing-vectors", insert.SerializeAsString());
  proto::LogMessage del;
  proto::DeleteMsg* d = del.mutable_delete_();
  d->set_collection_id(1);
  d->set_vchannel("by-dev-rootcoord-dml_0_1v0");
  d->set_ts((uint64_t{1767225601203} << 18) | 2);
  d->add_pks(8);
  d->add_pks(1);
  d->set_source("proxy-1");
  Write(dir, "delete-2-pks", del.SerializeAsString());
  proto::LogMessage tick;
  tick.mutable_time_tick()->set_ts((uint64_t{1767225601403} << 18) | 1);
  Write(dir, "time-tick", tick.SerializeAsString());
  Write(dir, "empty", "");
}

std::string Pair(const proto::CollectionSchema& schema, const proto::InsertRequest& request) {
  const std::string s = schema.SerializeAsString();
  std::string out;
  out.push_back(static_cast<char>(s.size() & 0xff));
  out.push_back(static_cast<char>((s.size() >> 8) & 0xff));
  return out + s + request.SerializeAsString();
}

void InsertValidationSeeds(const std::filesystem::path& dir) {
  const proto::CollectionSchema schema = roles::PkVectorSchema("c", 2, 2);
  proto::InsertRequest request;
  request.set_collection("c");
  proto::FieldData* pks = request.add_fields();
  pks->set_name("pk");
  proto::FieldData* vecs = request.add_fields();
  vecs->set_name("vec");
  vecs->set_dim(2);
  for (int64_t p : {1, 2, 3, 4}) {
    pks->add_int64_data(p);
    vecs->add_float_vector(static_cast<float>(p));
    vecs->add_float_vector(0.5f);
  }
  Write(dir, "valid-4-rows-2-shards", Pair(schema, request));
  proto::InsertRequest wrong_dim = request;
  wrong_dim.mutable_fields(1)->set_dim(3);
  Write(dir, "wrong-dim", Pair(schema, wrong_dim));
  proto::InsertRequest duplicate = request;
  *duplicate.add_fields() = request.fields(0);
  Write(dir, "duplicate-field", Pair(schema, duplicate));
  proto::InsertRequest short_rows = request;
  short_rows.mutable_fields(0)->mutable_int64_data()->RemoveLast();
  Write(dir, "row-count-mismatch", Pair(schema, short_rows));
  const proto::CollectionSchema extra = roles::WithEveryScalarField(schema, 4);
  proto::InsertRequest all_fields = request;
  proto::FieldData* ages = all_fields.add_fields();
  ages->set_name("age");
  proto::FieldData* names = all_fields.add_fields();
  names->set_name("name");
  proto::FieldData* flags = all_fields.add_fields();
  flags->set_name("flag");
  proto::FieldData* scores = all_fields.add_fields();
  scores->set_name("score");
  for (int64_t p : {1, 2, 3, 4}) {
    ages->add_int64_data(p);
    names->add_string_data("n" + std::to_string(p));
    flags->add_bool_data(p % 2 == 0);
    scores->add_double_data(static_cast<double>(p) / 2);
  }
  Write(dir, "scalar-fields", Pair(extra, all_fields));
  proto::InsertRequest too_long = all_fields;
  too_long.mutable_fields(3)->set_string_data(0, "toolong");
  Write(dir, "varchar-too-long", Pair(extra, too_long));
}

}  // namespace
}  // namespace simvus::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_corpus OUT_DIR (normally tests/fuzz/corpus)\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  simvus::fuzz::SegmentFilesSeeds(out / "segment_files");
  simvus::fuzz::LogMessageSeeds(out / "log_message");
  simvus::fuzz::InsertValidationSeeds(out / "insert_validation");
  std::printf("fuzz_seed_corpus: wrote the seed corpora under %s\n", argv[1]);
  return 0;
}
