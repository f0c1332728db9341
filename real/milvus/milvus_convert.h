// Conversions between Milvus's client messages (milvus.proto.schema / common) and simvus's
// (components/protocol/simvus.proto), as pure functions: schemas, columns, the search placeholder
// group, search and index parameters. Each checks what Milvus checks at its proxy and answers with
// Milvus's error (milvus_error.h); anything simvus does not model is an Unsupported error that
// names it, never a silent change of meaning.
//
// Supported: INT64 primary key (autoID false), INT64, DOUBLE, BOOL, VARCHAR (max_length) and one
// FLOAT_VECTOR field (dim); DataType numbers are Milvus's in both. Field ids are Milvus's: 100 for
// the first user field, in schema order.
//
// The metric: Milvus picks it per index (CreateIndex, default COSINE for float vectors), simvus
// per collection at creation (CollectionSchema.metric: every search scores with it). The vector
// field's type param `metric_type` (L2, IP or COSINE) sets it at CreateCollection, default
// COSINE as Milvus 2.5's default; an index or search naming another metric is refused with
// Milvus's "metric type not match" error.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "components/protocol/simvus.pb.h"
#include "milvus/proto/common.pb.h"
#include "milvus/proto/schema.pb.h"
#include "real/milvus/milvus_error.h"

namespace simvus::real::milvus_api {

namespace ms = ::milvus::proto::schema;
using KeyValues = google::protobuf::RepeatedPtrField<mc::KeyValuePair>;

inline constexpr int64_t kFirstFieldId = 100;  // Milvus's common.StartOfUserFieldID
inline constexpr int64_t kMaxTopK = 16384;     // quotaAndLimits.limits.topK (and query window)
inline constexpr char kDefaultPartition[] = "_default";
// Only Milvus's default partition exists here ("" names it too).
inline bool IsDefaultPartition(const std::string& partition) {
  return partition.empty() || partition == kDefaultPartition;
}
inline constexpr char kMetricTypeKey[] = "metric_type";

// The Milvus schema of CreateCollection as a simvus schema named `collection_name` with
// `shards_num` shards (0: 1), or the Milvus error that refuses it.
mc::Status SchemaFromMilvus(const ms::CollectionSchema& schema, const std::string& collection_name,
                            int32_t shards_num, proto::CollectionSchema* out);
// DescribeCollection's schema: user fields with ids from kFirstFieldId, dim / max_length as type
// params, the vector field's metric_type too.
ms::CollectionSchema SchemaToMilvus(const proto::CollectionSchema& schema);

int PrimaryKeyIndex(const proto::CollectionSchema& schema);  // -1: none
int VectorIndex(const proto::CollectionSchema& schema);      // -1: none
std::string MetricName(proto::MetricType metric);            // "L2", "IP", "COSINE"

// Insert / Upsert columns (`num_rows` as the request says, 0: unchecked) as a simvus
// InsertRequest for `collection`; every schema field given once, values of the field's type.
mc::Status RowsFromMilvus(const proto::CollectionSchema& schema, const std::string& collection,
                          const google::protobuf::RepeatedPtrField<ms::FieldData>& fields,
                          uint32_t num_rows, proto::InsertRequest* out);
// One simvus column of schema field `index` as Milvus FieldData.
ms::FieldData ColumnToMilvus(const proto::CollectionSchema& schema, int index,
                             const proto::FieldData& column);
// The primary keys as the pk column (query and search results carry it as a field).
ms::FieldData PrimaryKeysToMilvus(const proto::CollectionSchema& schema,
                                  const std::vector<int64_t>& pks);

// SearchRequest.placeholder_group: a serialized common.PlaceholderGroup with one FloatVector
// placeholder, one little-endian float32 blob of `dim` values per query.
mc::Status DecodePlaceholderGroup(const std::string& bytes, int32_t dim, const std::string& field,
                                  std::vector<std::vector<float>>* queries);

struct SearchOptions {
  int32_t topk = 0;
  int32_t offset = 0;
  int32_t round_decimal = -1;                 // -1: scores as computed
  std::map<std::string, std::string> params;  // simvus's per-call params: ef, nprobe
};
// Search's search_params key/values: anns_field, topk, offset, metric_type, round_decimal,
// params (a JSON object: ef, nprobe), ignore_growing; the Node SDK also repeats the params' own
// keys at the top level, which are ignored in favour of the JSON.
mc::Status SearchOptionsFromMilvus(const KeyValues& search_params,
                                   const proto::CollectionSchema& schema, SearchOptions* out);
// Query's query_params: limit and offset (strings of integers), others ignored.
mc::Status QueryLimitsFromMilvus(const KeyValues& query_params, int64_t* limit, int64_t* offset);

// CreateIndex's extra_params (index_type, metric_type, params as a JSON object, or the params'
// keys flattened as older SDKs send them) as simvus's index params. AUTOINDEX (and no
// index_type, Milvus's default) is HNSW with Milvus's autoindex build params (M 18,
// efConstruction 240); metric_type defaults to the collection's metric and must equal it.
mc::Status IndexParamsFromMilvus(const KeyValues& extra_params,
                                 const proto::CollectionSchema& schema,
                                 std::map<std::string, std::string>* out);
// DescribeIndex's params: index_type, metric_type, and the rest as the JSON object `params`.
KeyValues IndexParamsToMilvus(const google::protobuf::Map<std::string, std::string>& params);

// Output fields: "*" is every field, names must be fields of the schema, duplicates dropped,
// schema order kept; the primary key is always included (Milvus returns it with every row).
// "count(*)" sets *count_only (only alone, and only for queries).
mc::Status OutputFieldsFromMilvus(const google::protobuf::RepeatedPtrField<std::string>& names,
                                  const proto::CollectionSchema& schema, bool allow_count,
                                  std::vector<std::string>* fields, bool* count_only);

// The value of `key` in Milvus's key/value list, or "" (the last one wins, as in Milvus).
std::string FindKeyValue(const KeyValues& pairs, const std::string& key);

}  // namespace simvus::real::milvus_api
