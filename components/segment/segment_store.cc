#include "components/segment/segment_store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <cstring>

#include "components/env/check.h"
#include "components/segment/crc32c.h"

namespace simvus::segment {
namespace {

constexpr char kMagic[4] = {'S', 'V', 'S', '1'};
constexpr int64_t kTimestampFieldId = 1;  // Milvus's Timestamp system field
constexpr int32_t kTimestampDataType = -1;
constexpr double kBloomFalsePositive = 0.001;  // common.maxBloomFalsePositive

proto::FileHeader Header(proto::FileKind kind, const SegmentLocation& l, int64_t field_id,
                         int64_t num_rows, Timestamp start, Timestamp end) {
  proto::FileHeader h;
  h.set_kind(kind);
  h.set_collection_id(l.collection_id);
  h.set_partition_id(l.partition_id);
  h.set_segment_id(l.segment_id.value);
  h.set_field_id(field_id);
  h.set_num_rows(num_rows);
  h.set_start_ts(start.value);
  h.set_end_ts(end.value);
  return h;
}

Status CheckHeader(const proto::FileHeader& h, proto::FileKind kind, const SegmentLocation& l,
                   int64_t field_id, int64_t num_rows, const std::string& path) {
  if (h.kind() != kind || h.collection_id() != l.collection_id ||
      h.partition_id() != l.partition_id || h.segment_id() != l.segment_id.value ||
      (field_id >= 0 && h.field_id() != field_id) || (num_rows >= 0 && h.num_rows() != num_rows)) {
    return DataLoss(path + ": header (kind " + std::to_string(h.kind()) + ", segment " +
                    std::to_string(h.segment_id()) + ", field " + std::to_string(h.field_id()) +
                    ", rows " + std::to_string(h.num_rows()) +
                    ") does not match the manifest (kind " + std::to_string(kind) + ", segment " +
                    std::to_string(l.segment_id.value) + ", field " + std::to_string(field_id) +
                    ", rows " + std::to_string(num_rows) + ")");
  }
  return Status::Ok();
}

SegmentLocation LocationOf(const proto::SegmentManifest& m) {
  return {m.collection_id(), m.partition_id(), SegmentId{m.segment_id()}};
}

proto::InsertBinlog EncodeColumn(const FieldColumn& c) {
  proto::InsertBinlog b;
  b.set_data_type(static_cast<int32_t>(c.type));
  b.set_dim(c.dim);
  switch (c.type) {
    case DataType::kInt64:
      b.mutable_int64s()->Add(c.int64s.begin(), c.int64s.end());
      break;
    case DataType::kDouble:
      b.mutable_doubles()->Add(c.doubles.begin(), c.doubles.end());
      break;
    case DataType::kBool:
      b.set_bools(std::string(c.bools.begin(), c.bools.end()));
      break;
    case DataType::kVarChar:
      for (const std::string& s : c.strings) b.add_strings(s);
      break;
    case DataType::kFloatVector:
      b.mutable_floats()->Add(c.floats.begin(), c.floats.end());
      break;
  }
  return b;
}

Result<FieldColumn> DecodeColumn(const proto::InsertBinlog& b, const FieldSchema& f,
                                 int64_t num_rows, const std::string& path) {
  FieldColumn c = FieldColumn::Empty(f);
  if (b.data_type() != static_cast<int32_t>(f.type) || b.dim() != c.dim) {
    return DataLoss(path + ": column type " + std::to_string(b.data_type()) + " dim " +
                    std::to_string(b.dim()) + ", expected field '" + f.name + "' of type " +
                    std::string(DataTypeName(f.type)));
  }
  c.int64s.assign(b.int64s().begin(), b.int64s().end());
  c.doubles.assign(b.doubles().begin(), b.doubles().end());
  c.bools.assign(b.bools().begin(), b.bools().end());
  c.strings.assign(b.strings().begin(), b.strings().end());
  c.floats.assign(b.floats().begin(), b.floats().end());
  bool extra = (f.type != DataType::kInt64 && !c.int64s.empty()) ||
               (f.type != DataType::kDouble && !c.doubles.empty()) ||
               (f.type != DataType::kBool && !c.bools.empty()) ||
               (f.type != DataType::kVarChar && !c.strings.empty()) ||
               (f.type != DataType::kFloatVector && !c.floats.empty());
  int64_t expected_values = f.type == DataType::kFloatVector ? num_rows * f.dim : num_rows;
  int64_t values =
      f.type == DataType::kFloatVector ? static_cast<int64_t>(c.floats.size()) : c.size();
  if (extra || values != expected_values) {
    return DataLoss(path + ": " + std::to_string(values) + " values, expected " +
                    std::to_string(expected_values) + " for field '" + f.name + "'");
  }
  return c;
}

}  // namespace

Bytes SegmentStore::SealFile(const google::protobuf::MessageLite& message) {
  // One allocation of the file's final size, the message serialized in place after the header
  // (a segment's vector binlog is the segment's size: no growing buffer, no second copy).
  const size_t body_size = message.ByteSizeLong();
  Bytes out(sizeof(kMagic) + 4 + body_size, '\0');
  std::memcpy(out.data(), kMagic, sizeof(kMagic));
  char* body = out.data() + sizeof(kMagic) + 4;
  {
    // Deterministic serialization: protobuf orders map entries (IndexFile.params) differently
    // from one process to the next otherwise, and the same segment must give the same bytes and
    // CRC.
    google::protobuf::io::ArrayOutputStream stream(body, static_cast<int>(body_size));
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
    SIMVUS_CHECK(!coded.HadError() && static_cast<size_t>(coded.ByteCount()) == body_size,
                 "SealFile: serialize");
  }
  const uint32_t crc = Crc32c(std::string_view(body, body_size));
  for (int i = 0; i < 4; ++i) out[sizeof(kMagic) + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return out;
}

Status SegmentStore::OpenFile(const Bytes& file, const std::string& path,
                              google::protobuf::MessageLite* message) {
  if (file.size() < 8 || file.compare(0, 4, kMagic, 4) != 0) {
    return DataLoss(path + ": not a simvus segment file (" + std::to_string(file.size()) +
                    " bytes, bad magic or truncated)");
  }
  uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= static_cast<uint32_t>(static_cast<uint8_t>(file[4 + i])) << (8 * i);
  std::string_view body(file.data() + 8, file.size() - 8);
  uint32_t actual = Crc32c(body);
  if (stored != actual) {
    return DataLoss(path + ": checksum mismatch (stored " + std::to_string(stored) + ", computed " +
                    std::to_string(actual) + ")");
  }
  if (!message->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return DataLoss(path + ": checksum verified but the message does not parse");
  }
  return Status::Ok();
}

std::string SegmentStore::SegmentDir(const char* kind, const SegmentLocation& l) const {
  return root_ + "/" + kind + "/" + std::to_string(l.collection_id) + "/" +
         std::to_string(l.partition_id) + "/" + std::to_string(l.segment_id.value);
}

Task<Result<proto::SegmentManifest>> SegmentStore::WriteSegment(const Segment& segment,
                                                                SegmentLocation location,
                                                                int64_t log_id) {
  if (segment.state() != SegmentState::kSealed || segment.num_rows() == 0) {
    co_return FailedPrecondition("write segment " + std::to_string(segment.id().value) +
                                 ": expected a sealed segment with rows");
  }
  const CollectionSchema& schema = segment.schema();
  const int64_t n = segment.num_rows();
  const auto& tss = segment.timestamps();
  Timestamp start = *std::min_element(tss.begin(), tss.end());
  Timestamp end = *std::max_element(tss.begin(), tss.end());
  proto::SegmentManifest manifest;
  manifest.set_collection_id(location.collection_id);
  manifest.set_partition_id(location.partition_id);
  manifest.set_segment_id(location.segment_id.value);
  manifest.set_num_rows(n);
  const std::string insert_dir = SegmentDir("insert_log", location);
  const std::string suffix = "/" + std::to_string(log_id);

  // Timestamp system column first, then every field in schema order.
  {
    proto::InsertBinlog b;
    *b.mutable_header() =
        Header(proto::FILE_KIND_INSERT_BINLOG, location, kTimestampFieldId, n, start, end);
    b.set_data_type(kTimestampDataType);
    for (Timestamp ts : tss) b.add_timestamps(ts.value);
    std::string path = insert_dir + "/" + std::to_string(kTimestampFieldId) + suffix;
    SIMVUS_CO_RETURN_IF_ERROR(co_await store_.Put(path, SealFile(b)));
    auto* fb = manifest.add_binlogs();
    fb->set_field_id(kTimestampFieldId);
    fb->set_path(path);
  }
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const FieldSchema& f = schema.fields[i];
    proto::InsertBinlog b = EncodeColumn(segment.column(static_cast<int>(i)));
    *b.mutable_header() =
        Header(proto::FILE_KIND_INSERT_BINLOG, location, f.id.value, n, start, end);
    std::string path = insert_dir + "/" + std::to_string(f.id.value) + suffix;
    SIMVUS_CO_RETURN_IF_ERROR(co_await store_.Put(path, SealFile(b)));
    auto* fb = manifest.add_binlogs();
    fb->set_field_id(f.id.value);
    fb->set_path(path);
  }

  // Statslog: pk bloom filter and min/max.
  const FieldSchema& pk_field = schema.primary_key();
  proto::StatsLog stats;
  *stats.mutable_header() =
      Header(proto::FILE_KIND_STATS_LOG, location, pk_field.id.value, n, start, end);
  BloomFilter bloom(n, kBloomFalsePositive);
  PrimaryKey min_pk = segment.pk(0), max_pk = segment.pk(0);
  for (int64_t r = 0; r < n; ++r) {
    PrimaryKey pk = segment.pk(r);
    bloom.Add(pk);
    min_pk = std::min(min_pk, pk);
    max_pk = std::max(max_pk, pk);
  }
  stats.set_int_pk(pk_field.type == DataType::kInt64);
  if (stats.int_pk()) {
    stats.set_min_int_pk(std::get<int64_t>(min_pk));
    stats.set_max_int_pk(std::get<int64_t>(max_pk));
  } else {
    stats.set_min_str_pk(std::get<std::string>(min_pk));
    stats.set_max_str_pk(std::get<std::string>(max_pk));
  }
  stats.set_bloom_bits(bloom.bits());
  stats.set_bloom_num_bits(bloom.num_bits());
  stats.set_bloom_hashes(bloom.num_hashes());
  std::string stats_path =
      SegmentDir("stats_log", location) + "/" + std::to_string(pk_field.id.value) + suffix;
  SIMVUS_CO_RETURN_IF_ERROR(co_await store_.Put(stats_path, SealFile(stats)));
  manifest.set_stats_path(stats_path);

  if (!segment.delete_log().empty()) {
    Result<std::string> delta = co_await WriteDeltaLog(location, pk_field.type == DataType::kInt64,
                                                       segment.delete_log().Records(), log_id);
    if (!delta.ok()) co_return delta.status();
    manifest.add_delta_paths(*delta);
  }
  co_return manifest;
}

Task<Result<std::string>> SegmentStore::WriteDeltaLog(
    SegmentLocation location, bool int_pk, std::vector<std::pair<PrimaryKey, Timestamp>> records,
    int64_t log_id) {
  proto::DeltaLog d;
  Timestamp start = Timestamp::Max(), end;
  for (const auto& [pk, ts] : records) {
    if (std::holds_alternative<int64_t>(pk) != int_pk) {
      co_return InvalidArgument("deltalog: pk " + ToString(pk) + " has the wrong type");
    }
    if (int_pk) {
      d.add_int_pks(std::get<int64_t>(pk));
    } else {
      d.add_str_pks(std::get<std::string>(pk));
    }
    d.add_timestamps(ts.value);
    start = std::min(start, ts);
    end = std::max(end, ts);
  }
  if (records.empty()) start = Timestamp{};
  *d.mutable_header() = Header(proto::FILE_KIND_DELTA_LOG, location, 0,
                               static_cast<int64_t>(records.size()), start, end);
  std::string path = SegmentDir("delta_log", location) + "/" + std::to_string(log_id);
  SIMVUS_CO_RETURN_IF_ERROR(co_await store_.Put(path, SealFile(d)));
  co_return path;
}

Task<Result<std::unique_ptr<Segment>>> SegmentStore::LoadSegment(
    const CollectionSchema& schema, const proto::SegmentManifest& manifest) {
  SIMVUS_CO_RETURN_IF_ERROR(schema.Validate());
  const SegmentLocation location = LocationOf(manifest);
  const int64_t n = manifest.num_rows();
  InsertBatch batch;
  batch.columns.resize(schema.fields.size());
  std::vector<bool> loaded(schema.fields.size(), false);
  bool have_ts = false;
  for (const proto::FieldBinlog& fb : manifest.binlogs()) {
    Result<Bytes> file = co_await store_.Get(fb.path());
    if (!file.ok()) co_return file.status();
    proto::InsertBinlog b;
    SIMVUS_CO_RETURN_IF_ERROR(OpenFile(*file, fb.path(), &b));
    SIMVUS_CO_RETURN_IF_ERROR(CheckHeader(b.header(), proto::FILE_KIND_INSERT_BINLOG, location,
                                          fb.field_id(), n, fb.path()));
    if (fb.field_id() == kTimestampFieldId) {
      if (b.timestamps_size() != n) {
        co_return DataLoss(fb.path() + ": " + std::to_string(b.timestamps_size()) +
                           " timestamps, expected " + std::to_string(n));
      }
      for (uint64_t ts : b.timestamps()) batch.timestamps.push_back(Timestamp{ts});
      have_ts = true;
      continue;
    }
    auto it = std::find_if(schema.fields.begin(), schema.fields.end(),
                           [&](const FieldSchema& f) { return f.id.value == fb.field_id(); });
    if (it == schema.fields.end()) {
      co_return DataLoss(fb.path() + ": field id " + std::to_string(fb.field_id()) +
                         " is not in collection '" + schema.name + "'");
    }
    size_t index = static_cast<size_t>(it - schema.fields.begin());
    Result<FieldColumn> column = DecodeColumn(b, *it, n, fb.path());
    if (!column.ok()) co_return column.status();
    batch.columns[index] = std::move(*column);
    loaded[index] = true;
  }
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (!loaded[i]) {
      co_return DataLoss("segment " + std::to_string(manifest.segment_id()) +
                         ": manifest lists no binlog for field '" + schema.fields[i].name + "'");
    }
  }
  if (!have_ts) {
    co_return DataLoss("segment " + std::to_string(manifest.segment_id()) +
                       ": manifest lists no Timestamp binlog");
  }
  auto segment = std::make_unique<Segment>(location.segment_id, schema);
  Status inserted = segment->Insert(batch);
  if (!inserted.ok())
    co_return DataLoss("segment files do not fit the schema: " + inserted.message());
  segment->Seal();
  const bool int_pk = schema.primary_key().type == DataType::kInt64;
  for (const std::string& path : manifest.delta_paths()) {
    Result<std::vector<std::pair<PrimaryKey, Timestamp>>> records =
        co_await LoadDeltaLog(path, location, int_pk);
    if (!records.ok()) co_return records.status();
    std::vector<PrimaryKey> pks;
    std::vector<Timestamp> tss;
    for (const auto& [pk, ts] : *records) {
      pks.push_back(pk);
      tss.push_back(ts);
    }
    SIMVUS_CO_RETURN_IF_ERROR(segment->Delete(pks, tss));
  }
  co_return segment;
}

Task<Result<std::vector<std::pair<PrimaryKey, Timestamp>>>> SegmentStore::LoadDeltaLog(
    std::string path, SegmentLocation location, bool int_pk) {
  Result<Bytes> file = co_await store_.Get(path);
  if (!file.ok()) co_return file.status();
  proto::DeltaLog d;
  SIMVUS_CO_RETURN_IF_ERROR(OpenFile(*file, path, &d));
  SIMVUS_CO_RETURN_IF_ERROR(
      CheckHeader(d.header(), proto::FILE_KIND_DELTA_LOG, location, 0, -1, path));
  const int pk_count = int_pk ? d.int_pks_size() : d.str_pks_size();
  if (pk_count != d.timestamps_size() || d.header().num_rows() != pk_count) {
    co_return DataLoss(path + ": " + std::to_string(pk_count) + " pks and " +
                       std::to_string(d.timestamps_size()) + " timestamps, expected " +
                       std::to_string(d.header().num_rows()) + " of each");
  }
  std::vector<std::pair<PrimaryKey, Timestamp>> records;
  for (int i = 0; i < pk_count; ++i) {
    records.emplace_back(int_pk ? PrimaryKey(d.int_pks(i)) : PrimaryKey(d.str_pks(i)),
                         Timestamp{d.timestamps(i)});
  }
  co_return records;
}

Task<Result<SegmentStats>> SegmentStore::LoadStats(const proto::SegmentManifest& manifest) {
  const std::string& path = manifest.stats_path();
  Result<Bytes> file = co_await store_.Get(path);
  if (!file.ok()) co_return file.status();
  proto::StatsLog s;
  SIMVUS_CO_RETURN_IF_ERROR(OpenFile(*file, path, &s));
  SIMVUS_CO_RETURN_IF_ERROR(CheckHeader(s.header(), proto::FILE_KIND_STATS_LOG,
                                        LocationOf(manifest), -1, manifest.num_rows(), path));
  if (s.bloom_hashes() < 1 || s.bloom_num_bits() < 1 ||
      s.bloom_bits().size() != (s.bloom_num_bits() + 7) / 8) {
    co_return DataLoss(path + ": inconsistent bloom filter (" +
                       std::to_string(s.bloom_bits().size()) + " bytes for " +
                       std::to_string(s.bloom_num_bits()) + " bits)");
  }
  PrimaryKey min_pk = s.int_pk() ? PrimaryKey(s.min_int_pk()) : PrimaryKey(s.min_str_pk());
  PrimaryKey max_pk = s.int_pk() ? PrimaryKey(s.max_int_pk()) : PrimaryKey(s.max_str_pk());
  co_return SegmentStats{BloomFilter(s.bloom_bits(), s.bloom_num_bits(), s.bloom_hashes()), min_pk,
                         max_pk, s.header().num_rows()};
}

Task<Result<std::string>> SegmentStore::WriteIndex(const ann::VectorIndex& index,
                                                   SegmentLocation location, int64_t build_id,
                                                   int64_t version) {
  Result<Bytes> bytes = index.Serialize();
  if (!bytes.ok()) co_return bytes.status();
  proto::IndexFile f;
  *f.mutable_header() =
      Header(proto::FILE_KIND_INDEX, location, 0, index.size(), Timestamp{}, Timestamp{});
  for (const auto& [k, v] : index.spec().ToParams()) (*f.mutable_params())[k] = v;
  f.set_dim(index.spec().dim);
  f.set_faiss_index(std::move(*bytes));
  std::string path = root_ + "/index_files/" + std::to_string(build_id) + "/" +
                     std::to_string(version) + "/" + std::to_string(location.partition_id) + "/" +
                     std::to_string(location.segment_id.value) + "/index";
  SIMVUS_CO_RETURN_IF_ERROR(co_await store_.Put(path, SealFile(f)));
  co_return path;
}

Task<Result<std::unique_ptr<ann::VectorIndex>>> SegmentStore::LoadIndex(std::string path,
                                                                        SegmentLocation location) {
  Result<Bytes> file = co_await store_.Get(path);
  if (!file.ok()) co_return file.status();
  proto::IndexFile f;
  SIMVUS_CO_RETURN_IF_ERROR(OpenFile(*file, path, &f));
  SIMVUS_CO_RETURN_IF_ERROR(CheckHeader(f.header(), proto::FILE_KIND_INDEX, location, 0, -1, path));
  ann::IndexParams params(f.params().begin(), f.params().end());
  Result<ann::IndexSpec> spec = ann::ParseIndexSpec(params, f.dim());
  if (!spec.ok())
    co_return DataLoss(path + ": stored index spec is invalid: " + spec.status().message());
  Result<std::unique_ptr<ann::VectorIndex>> index =
      ann::VectorIndex::Deserialize(*spec, f.faiss_index());
  if (!index.ok()) co_return index.status();
  if ((*index)->size() != f.header().num_rows()) {
    co_return DataLoss(path + ": index holds " + std::to_string((*index)->size()) +
                       " rows, header says " + std::to_string(f.header().num_rows()));
  }
  co_return std::move(*index);
}

}  // namespace simvus::segment
