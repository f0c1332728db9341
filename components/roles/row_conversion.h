// Rows between the protocol and the segments: the one converter every role shares.
//
//   SegmentSchemaOf     a collection's protocol schema as the segment schema (field ids from 100
//                       in schema order, as Milvus numbers them);
//   InsertRowsForShard  the rows of a validated InsertRequest that route to one shard, as the
//                       proxy's InsertMsg carries them (pks and row-major vectors);
//   InsertBatchOf       the segment batch for an InsertMsg consumed from the log.
//
// Contract, asserted by the insert-validation and log-message fuzz targets: a request that
// ValidateSchema and ValidateInsert accept converts into messages whose batches the segment
// accepts; a message that does not fit the schema (from a bug or a damaged log) is an
// InvalidArgument naming the field, never a crash in the consumer.
// Simplification until rows carry every field (the segment-lifecycle issue): InsertMsg carries
// the primary key and the vector only, so ValidateSchema accepts no other field, and the metric
// is L2.
#pragma once

#include <cstdint>
#include <string>

#include "components/env/result.h"
#include "components/protocol/simvus.pb.h"
#include "components/segment/field_column.h"
#include "components/segment/schema.h"

namespace simvus::roles {

// The collection shape this slice supports: INT64 primary key "pk" and FLOAT_VECTOR "vec" of
// `dim` (L2); shards 0 means the default, 1.
proto::CollectionSchema PkVectorSchema(const std::string& name, int32_t dim, int32_t shards = 0);

segment::CollectionSchema SegmentSchemaOf(const proto::CollectionSchema& schema);

// REQUIRES: ValidateInsert(schema, request) returned `rows`; 0 <= shard < shards. Fills pks,
// vectors and dim; the caller sets collection, vchannel, ts and source. No pks: no row routes to
// this shard.
proto::InsertMsg InsertRowsForShard(const proto::CollectionSchema& schema,
                                    const proto::InsertRequest& request, int64_t rows,
                                    int32_t shard, int32_t shards);

// Every row gets the message's ts. kInvalidArgument when the message does not fit the schema.
Result<segment::InsertBatch> InsertBatchOf(const segment::CollectionSchema& schema,
                                           const proto::InsertMsg& insert);

}  // namespace simvus::roles
