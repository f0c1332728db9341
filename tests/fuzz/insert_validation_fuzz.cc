// FuzzInsertValidation: the proxy's request validation, and the promise behind it.
//
// The input is a collection schema and an insert request, each serialized: two little-endian
// bytes give the schema's length, the schema's bytes follow, the request's bytes are the rest.
// Properties: nothing crashes; a schema ValidateSchema accepts makes a segment schema that the
// segment accepts; an insert ValidateInsert accepts, split per shard as the proxy splits it,
// becomes batches that every shard's growing segment accepts, and every row lands exactly once.
#include <cstdint>

#include "components/env/check.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/proxy.h"
#include "components/roles/root_coord.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment.h"
#include "tests/fuzz/fuzz_targets.h"

namespace simvus::fuzz {

void FuzzInsertValidation(std::string_view data) {
  if (data.size() < 2) return;
  const size_t schema_size =
      static_cast<uint8_t>(data[0]) | (static_cast<size_t>(static_cast<uint8_t>(data[1])) << 8);
  if (data.size() < 2 + schema_size) return;
  proto::CollectionSchema schema;
  proto::InsertRequest request;
  if (!schema.ParseFromArray(data.data() + 2, static_cast<int>(schema_size))) return;
  const std::string_view rest = data.substr(2 + schema_size);
  if (!request.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) return;

  if (!roles::ValidateSchema(schema).ok()) return;
  const segment::CollectionSchema segment_schema = roles::SegmentSchemaOf(schema);
  Result<std::unique_ptr<segment::Segment>> created =
      segment::Segment::Create(segment::SegmentId{1}, segment_schema);
  SIMVUS_CHECK(created.ok(), "ValidateSchema accepted a schema the segment rejects: " +
                                 created.status().ToString());

  Result<int64_t> rows = roles::ValidateInsert(schema, request);
  if (!rows.ok()) {
    SIMVUS_CHECK(rows.status().code() == StatusCode::kInvalidArgument,
                 "a rejected insert must be InvalidArgument");
    return;
  }
  const int32_t shards = schema.shards_num() == 0 ? 1 : schema.shards_num();
  int64_t landed = 0;
  for (int32_t shard = 0; shard < shards; ++shard) {
    proto::InsertMsg msg = roles::InsertRowsForShard(schema, request, *rows, shard, shards);
    if (msg.num_rows() == 0) continue;
    msg.set_ts(1000);
    Result<segment::InsertBatch> batch = roles::InsertBatchOf(segment_schema, msg);
    SIMVUS_CHECK(batch.ok(), "a validated insert does not convert: " + batch.status().ToString());
    Result<std::unique_ptr<segment::Segment>> growing =
        segment::Segment::Create(segment::SegmentId{shard + 1}, segment_schema);
    SIMVUS_CHECK(growing.ok(), "segment");
    Status inserted = (*growing)->Insert(*batch);
    SIMVUS_CHECK(inserted.ok(),
                 "a validated insert is rejected by the segment: " + inserted.ToString());
    landed += msg.num_rows();
  }
  SIMVUS_CHECK(landed == *rows, "every validated row lands in exactly one shard");
}

}  // namespace simvus::fuzz
