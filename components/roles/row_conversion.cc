#include "components/roles/row_conversion.h"

#include <string>
#include <variant>

#include "components/env/check.h"
#include "components/roles/routing.h"

namespace simvus::roles {
namespace {

// Appends row `row` of `from` (a column of `type`) to `to`.
void AppendRow(proto::DataType type, const proto::FieldData& from, int64_t row,
               proto::FieldData* to) {
  const int r = static_cast<int>(row);
  switch (type) {
    case proto::INT64:
      to->add_int64_data(from.int64_data(r));
      break;
    case proto::DOUBLE:
      to->add_double_data(from.double_data(r));
      break;
    case proto::BOOL:
      to->add_bool_data(from.bool_data(r));
      break;
    case proto::VARCHAR:
      to->add_string_data(from.string_data(r));
      break;
    case proto::FLOAT_VECTOR:
      for (int32_t d = 0; d < from.dim(); ++d) {
        to->add_float_vector(from.float_vector(r * from.dim() + d));
      }
      break;
    default:
      SIMVUS_CHECK(false, "AppendRow: a type ValidateSchema does not accept");
  }
}

const proto::FieldData* FindField(const google::protobuf::RepeatedPtrField<proto::FieldData>& data,
                                  const std::string& name) {
  for (const proto::FieldData& f : data) {
    if (f.name() == name) return &f;
  }
  return nullptr;
}

}  // namespace

proto::CollectionSchema PkVectorSchema(const std::string& name, int32_t dim, int32_t shards,
                                       proto::MetricType metric) {
  proto::CollectionSchema schema;
  schema.set_name(name);
  schema.set_shards_num(shards);
  schema.set_metric(metric);
  proto::FieldSchema* pk = schema.add_fields();
  pk->set_name("pk");
  pk->set_type(proto::INT64);
  pk->set_is_primary_key(true);
  proto::FieldSchema* vec = schema.add_fields();
  vec->set_name("vec");
  vec->set_type(proto::FLOAT_VECTOR);
  vec->set_dim(dim);
  return schema;
}

proto::CollectionSchema WithEveryScalarField(proto::CollectionSchema schema,
                                             int32_t name_max_length) {
  for (const auto& [name, type] :
       {std::pair{"age", proto::INT64}, std::pair{"score", proto::DOUBLE},
        std::pair{"flag", proto::BOOL}, std::pair{"name", proto::VARCHAR}}) {
    proto::FieldSchema* f = schema.add_fields();
    f->set_name(name);
    f->set_type(type);
    if (type == proto::VARCHAR) f->set_max_length(name_max_length);
  }
  return schema;
}

ann::MetricType MetricOf(proto::MetricType metric) {
  switch (metric) {
    case proto::METRIC_IP:
      return ann::MetricType::kIP;
    case proto::METRIC_COSINE:
      return ann::MetricType::kCosine;
    default:
      return ann::MetricType::kL2;
  }
}

segment::CollectionSchema SegmentSchemaOf(const proto::CollectionSchema& schema) {
  segment::CollectionSchema out;
  out.name = schema.name();
  int64_t id = segment::kFirstUserFieldId;
  for (const proto::FieldSchema& field : schema.fields()) {
    segment::FieldSchema f;
    f.id = segment::FieldId{id++};
    f.name = field.name();
    f.is_primary_key = field.is_primary_key();
    switch (field.type()) {
      case proto::FLOAT_VECTOR:
        f.type = segment::DataType::kFloatVector;
        f.dim = field.dim();
        f.metric = MetricOf(schema.metric());
        break;
      case proto::VARCHAR:
        f.type = segment::DataType::kVarChar;
        f.max_length = field.max_length();
        break;
      case proto::DOUBLE:
        f.type = segment::DataType::kDouble;
        break;
      case proto::BOOL:
        f.type = segment::DataType::kBool;
        break;
      default:
        f.type = segment::DataType::kInt64;
    }
    out.fields.push_back(std::move(f));
  }
  return out;
}

const proto::FieldData& PrimaryKeysOf(const proto::CollectionSchema& schema,
                                      const proto::InsertRequest& request) {
  for (const proto::FieldSchema& field : schema.fields()) {
    if (!field.is_primary_key()) continue;
    const proto::FieldData* data = FindField(request.fields(), field.name());
    SIMVUS_CHECK(data != nullptr, "PrimaryKeysOf: the request was not validated");
    return *data;
  }
  SIMVUS_CHECK(false, "PrimaryKeysOf: the schema was not validated");
  return request.fields(0);
}

namespace {

// The rows `routed` of a validated request, one column per field of the schema.
proto::InsertMsg InsertRows(const proto::CollectionSchema& schema,
                            const proto::InsertRequest& request,
                            const std::vector<int64_t>& routed) {
  proto::InsertMsg insert;
  insert.set_num_rows(static_cast<int64_t>(routed.size()));
  for (const proto::FieldSchema& field : schema.fields()) {
    const proto::FieldData* from = FindField(request.fields(), field.name());
    SIMVUS_CHECK(from != nullptr, "InsertRowsForShard: field '" + field.name() + "' missing");
    proto::FieldData* to = insert.add_fields();
    to->set_name(field.name());
    if (field.type() == proto::FLOAT_VECTOR) to->set_dim(field.dim());
    for (int64_t row : routed) AppendRow(field.type(), *from, row, to);
  }
  return insert;
}

std::vector<int64_t> RoutedRows(const proto::CollectionSchema& schema,
                                const proto::InsertRequest& request, int64_t rows, int32_t shard,
                                int32_t shards) {
  const proto::FieldData& pks = PrimaryKeysOf(schema, request);
  SIMVUS_CHECK(pks.int64_data_size() == rows,
               "InsertRowsForShard: row count differs from the validated count");
  std::vector<int64_t> routed;
  for (int64_t row = 0; row < rows; ++row) {
    if (ShardOfPk(pks.int64_data(static_cast<int>(row)), shards) == shard) routed.push_back(row);
  }
  return routed;
}

// A row's bytes on the wire, near enough to size messages by.
int64_t RowBytes(const proto::CollectionSchema& schema, const proto::InsertRequest& request,
                 int64_t row) {
  int64_t bytes = 0;
  for (const proto::FieldSchema& field : schema.fields()) {
    switch (field.type()) {
      case proto::FLOAT_VECTOR:
        bytes += int64_t{4} * field.dim();
        break;
      case proto::VARCHAR: {
        const proto::FieldData* from = FindField(request.fields(), field.name());
        bytes += 2 + static_cast<int64_t>(from->string_data(static_cast<int>(row)).size());
        break;
      }
      case proto::BOOL:
        bytes += 1;
        break;
      default:
        bytes += 8;
        break;
    }
  }
  return bytes;
}

}  // namespace

proto::InsertMsg InsertRowsForShard(const proto::CollectionSchema& schema,
                                    const proto::InsertRequest& request, int64_t rows,
                                    int32_t shard, int32_t shards) {
  return InsertRows(schema, request, RoutedRows(schema, request, rows, shard, shards));
}

std::vector<proto::InsertMsg> InsertMessagesForShard(const proto::CollectionSchema& schema,
                                                     const proto::InsertRequest& request,
                                                     int64_t rows, int32_t shard, int32_t shards,
                                                     int64_t max_bytes) {
  std::vector<proto::InsertMsg> messages;
  std::vector<int64_t> chunk;
  int64_t chunk_bytes = 0;
  for (int64_t row : RoutedRows(schema, request, rows, shard, shards)) {
    const int64_t bytes = RowBytes(schema, request, row);
    if (!chunk.empty() && chunk_bytes + bytes > max_bytes) {
      messages.push_back(InsertRows(schema, request, chunk));
      chunk.clear();
      chunk_bytes = 0;
    }
    chunk.push_back(row);
    chunk_bytes += bytes;
  }
  if (!chunk.empty()) messages.push_back(InsertRows(schema, request, chunk));
  return messages;
}

Result<segment::InsertBatch> InsertBatchOf(const segment::CollectionSchema& schema,
                                           const proto::InsertMsg& insert) {
  // num_rows is checked against the data the message really carries before anything is sized
  // by it (found by log_message_fuzzer: a message claiming 2^31 rows allocated 16 GiB).
  for (const segment::FieldSchema& field : schema.fields) {
    const proto::FieldData* data = FindField(insert.fields(), field.name);
    if (data == nullptr) {
      return InvalidArgument("insert message: field '" + field.name + "': missing");
    }
    int64_t values = 0;
    switch (field.type) {
      case segment::DataType::kInt64:
        values = data->int64_data_size();
        break;
      case segment::DataType::kDouble:
        values = data->double_data_size();
        break;
      case segment::DataType::kBool:
        values = data->bool_data_size();
        break;
      case segment::DataType::kVarChar:
        values = data->string_data_size();
        break;
      case segment::DataType::kFloatVector:
        values = field.dim > 0 ? data->float_vector_size() / field.dim : 0;
        break;
    }
    if (values != insert.num_rows()) {
      return InvalidArgument("insert message: field '" + field.name +
                             "': " + std::to_string(values) + " rows, num_rows says " +
                             std::to_string(insert.num_rows()));
    }
  }
  segment::InsertBatch batch;
  batch.timestamps.assign(static_cast<size_t>(insert.num_rows()), Timestamp{insert.ts()});
  for (const segment::FieldSchema& field : schema.fields) {
    const proto::FieldData* data = FindField(insert.fields(), field.name);
    if (data == nullptr) {
      return InvalidArgument("insert message: field '" + field.name + "': missing");
    }
    segment::FieldColumn column = segment::FieldColumn::Empty(field);
    switch (field.type) {
      case segment::DataType::kInt64:
        column.int64s.assign(data->int64_data().begin(), data->int64_data().end());
        break;
      case segment::DataType::kDouble:
        column.doubles.assign(data->double_data().begin(), data->double_data().end());
        break;
      case segment::DataType::kBool:
        for (bool b : data->bool_data()) column.bools.push_back(b ? 1 : 0);
        break;
      case segment::DataType::kVarChar:
        column.strings.assign(data->string_data().begin(), data->string_data().end());
        break;
      case segment::DataType::kFloatVector:
        if (data->dim() != field.dim) {
          return InvalidArgument("insert message: field '" + field.name + "': dim " +
                                 std::to_string(data->dim()) + ", expected " +
                                 std::to_string(field.dim));
        }
        column.floats.assign(data->float_vector().begin(), data->float_vector().end());
        break;
    }
    batch.columns.push_back(std::move(column));
  }
  // The segment's own shape check (row counts, vector length, string length, timestamps) names
  // the field.
  SIMVUS_RETURN_IF_ERROR(batch.Validate(schema));
  return batch;
}

proto::FieldData FieldDataOf(const std::string& name, const segment::FieldColumn& column) {
  proto::FieldData data;
  data.set_name(name);
  switch (column.type) {
    case segment::DataType::kInt64:
      data.mutable_int64_data()->Add(column.int64s.begin(), column.int64s.end());
      break;
    case segment::DataType::kDouble:
      data.mutable_double_data()->Add(column.doubles.begin(), column.doubles.end());
      break;
    case segment::DataType::kBool:
      for (uint8_t b : column.bools) data.add_bool_data(b != 0);
      break;
    case segment::DataType::kVarChar:
      for (const std::string& v : column.strings) data.add_string_data(v);
      break;
    case segment::DataType::kFloatVector:
      data.set_dim(static_cast<int32_t>(column.dim));
      data.mutable_float_vector()->Add(column.floats.begin(), column.floats.end());
      break;
  }
  return data;
}

Result<segment::FieldColumn> FieldColumnOf(const segment::FieldSchema& field,
                                           const proto::FieldData& data) {
  segment::FieldColumn column = segment::FieldColumn::Empty(field);
  switch (field.type) {
    case segment::DataType::kInt64:
      column.int64s.assign(data.int64_data().begin(), data.int64_data().end());
      break;
    case segment::DataType::kDouble:
      column.doubles.assign(data.double_data().begin(), data.double_data().end());
      break;
    case segment::DataType::kBool:
      for (bool b : data.bool_data()) column.bools.push_back(b ? 1 : 0);
      break;
    case segment::DataType::kVarChar:
      column.strings.assign(data.string_data().begin(), data.string_data().end());
      break;
    case segment::DataType::kFloatVector:
      if (data.dim() != field.dim) {
        return InvalidArgument("field '" + field.name + "': dim " + std::to_string(data.dim()) +
                               ", expected " + std::to_string(field.dim));
      }
      column.floats.assign(data.float_vector().begin(), data.float_vector().end());
      break;
  }
  return column;
}

proto::ShardQueryResponse QueryResponseOf(const segment::CollectionSchema&,
                                          const segment::QueryResult& result) {
  proto::ShardQueryResponse response;
  for (size_t r = 0; r < result.pks.size(); ++r) {
    response.add_pks(std::get<int64_t>(result.pks[r]));
    response.add_timestamps(result.timestamps[r].value);
  }
  for (size_t f = 0; f < result.field_names.size(); ++f) {
    *response.add_fields() = FieldDataOf(result.field_names[f], result.fields[f]);
  }
  return response;
}

Result<segment::QueryResult> QueryResultOf(const segment::CollectionSchema& schema,
                                           const proto::ShardQueryResponse& response) {
  if (response.timestamps_size() != response.pks_size()) {
    return InvalidArgument("query result: " + std::to_string(response.pks_size()) + " pks, " +
                           std::to_string(response.timestamps_size()) + " timestamps");
  }
  segment::QueryResult result;
  result.pks.assign(response.pks().begin(), response.pks().end());
  for (uint64_t ts : response.timestamps()) result.timestamps.push_back(Timestamp{ts});
  for (const proto::FieldData& data : response.fields()) {
    Result<int> index = schema.FieldIndex(data.name());
    if (!index.ok()) return index.status();
    Result<segment::FieldColumn> column =
        FieldColumnOf(schema.fields[static_cast<size_t>(*index)], data);
    if (!column.ok()) return column.status();
    if (column->size() != response.pks_size()) {
      return InvalidArgument("query result: field '" + data.name() + "' has " +
                             std::to_string(column->size()) + " values for " +
                             std::to_string(response.pks_size()) + " rows");
    }
    result.field_names.push_back(data.name());
    result.fields.push_back(std::move(*column));
  }
  return result;
}

}  // namespace simvus::roles
