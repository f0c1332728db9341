// Rows between the protocol and the segments: the one converter every role shares.
//
//   SegmentSchemaOf     a collection's protocol schema as the segment schema (field ids from 100
//                       in schema order, as Milvus numbers them; the vector field's metric from
//                       the schema);
//   PrimaryKeysOf       the primary-key column of a validated insert request;
//   InsertRowsForShard  the rows of a validated InsertRequest that route to one shard, as the
//                       proxy's InsertMsg carries them: one column per field of the schema;
//   InsertBatchOf       the segment batch for an InsertMsg consumed from the log.
//
// Contract, asserted by the insert-validation and log-message fuzz targets: a request that
// ValidateSchema and ValidateInsert accept converts into messages whose batches the segment
// accepts; a message that does not fit the schema (from a bug or a damaged log) is an
// InvalidArgument naming the field, never a crash in the consumer.
// Simplification: the primary key is INT64 (VARCHAR primary keys route, see routing.h, but the
// client history and the checker model int64 keys only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/env/result.h"
#include "components/protocol/simvus.pb.h"
#include "components/segment/field_column.h"
#include "components/segment/query_result.h"
#include "components/segment/schema.h"

namespace simvus::roles {

// The smallest collection: INT64 primary key "pk" and FLOAT_VECTOR "vec" of `dim`, scored by
// `metric`; shards 0 means the default, 1.
proto::CollectionSchema PkVectorSchema(const std::string& name, int32_t dim, int32_t shards = 0,
                                       proto::MetricType metric = proto::METRIC_L2);

// `schema` with one scalar field of each other supported type appended: INT64 "age", DOUBLE
// "score", BOOL "flag" and VARCHAR "name" of `name_max_length` bytes.
proto::CollectionSchema WithEveryScalarField(proto::CollectionSchema schema,
                                             int32_t name_max_length);

ann::MetricType MetricOf(proto::MetricType metric);
segment::CollectionSchema SegmentSchemaOf(const proto::CollectionSchema& schema);

// REQUIRES: ValidateInsert(schema, request) is OK.
const proto::FieldData& PrimaryKeysOf(const proto::CollectionSchema& schema,
                                      const proto::InsertRequest& request);

// REQUIRES: ValidateInsert(schema, request) returned `rows`; 0 <= shard < shards. Fills
// num_rows and fields; the caller sets collection, vchannel, ts and source. num_rows 0: no row
// routes to this shard.
proto::InsertMsg InsertRowsForShard(const proto::CollectionSchema& schema,
                                    const proto::InsertRequest& request, int64_t rows,
                                    int32_t shard, int32_t shards);

// The rows of InsertRowsForShard, cut into messages of at most `max_bytes` of row data
// each (one row may exceed it alone), in request order; none when no row routes to the shard.
// Milvus's proxy cuts inserts alike (repackInsertDataWithCheckMaxSize) so that no message
// exceeds what the log accepts.
std::vector<proto::InsertMsg> InsertMessagesForShard(const proto::CollectionSchema& schema,
                                                     const proto::InsertRequest& request,
                                                     int64_t rows, int32_t shard, int32_t shards,
                                                     int64_t max_bytes);

// Every row gets the message's ts. kInvalidArgument when the message does not fit the schema.
Result<segment::InsertBatch> InsertBatchOf(const segment::CollectionSchema& schema,
                                           const proto::InsertMsg& insert);

// A column of query output as the protocol carries it, named `name`, and back.
proto::FieldData FieldDataOf(const std::string& name, const segment::FieldColumn& column);
// kInvalidArgument when `data` does not hold `field`'s type.
Result<segment::FieldColumn> FieldColumnOf(const segment::FieldSchema& field,
                                           const proto::FieldData& data);

// A (worker's or delegator's) query result on the wire: int64 pks, insert timestamps and the
// output fields. Round-trips exactly; the reduce needs the timestamps (newest version per pk).
proto::ShardQueryResponse QueryResponseOf(const segment::CollectionSchema& schema,
                                          const segment::QueryResult& result);
Result<segment::QueryResult> QueryResultOf(const segment::CollectionSchema& schema,
                                           const proto::ShardQueryResponse& response);

}  // namespace simvus::roles
