#include "components/roles/row_conversion.h"

#include <string>

#include "components/env/check.h"
#include "components/roles/routing.h"

namespace simvus::roles {

proto::CollectionSchema PkVectorSchema(const std::string& name, int32_t dim, int32_t shards) {
  proto::CollectionSchema schema;
  schema.set_name(name);
  schema.set_shards_num(shards);
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
        f.metric = ann::MetricType::kL2;
        break;
      case proto::VARCHAR:
        f.type = segment::DataType::kVarChar;
        break;
      case proto::DOUBLE:
        f.type = segment::DataType::kDouble;
        break;
      default:
        f.type = segment::DataType::kInt64;
    }
    out.fields.push_back(std::move(f));
  }
  return out;
}

proto::InsertMsg InsertRowsForShard(const proto::CollectionSchema& schema,
                                    const proto::InsertRequest& request, int64_t rows,
                                    int32_t shard, int32_t shards) {
  const proto::FieldData* pk_field = nullptr;
  const proto::FieldData* vec_field = nullptr;
  int32_t dim = 0;
  for (const proto::FieldSchema& field : schema.fields()) {
    for (const proto::FieldData& data : request.fields()) {
      if (data.name() != field.name()) continue;
      if (field.is_primary_key()) pk_field = &data;
      if (field.type() == proto::FLOAT_VECTOR) {
        vec_field = &data;
        dim = field.dim();
      }
    }
  }
  SIMVUS_CHECK(pk_field != nullptr && vec_field != nullptr && dim > 0,
               "InsertRowsForShard: the request was not validated against its schema");
  SIMVUS_CHECK(pk_field->int64_data_size() == rows && vec_field->float_vector_size() == rows * dim,
               "InsertRowsForShard: row counts differ from the validated count");
  proto::InsertMsg insert;
  for (int64_t row = 0; row < rows; ++row) {
    const int64_t pk = pk_field->int64_data(static_cast<int>(row));
    if (ShardOfPk(pk, shards) != shard) continue;
    insert.add_pks(pk);
    for (int32_t d = 0; d < dim; ++d) {
      insert.add_vectors(vec_field->float_vector(static_cast<int>(row * dim + d)));
    }
  }
  insert.set_dim(dim);
  return insert;
}

Result<segment::InsertBatch> InsertBatchOf(const segment::CollectionSchema& schema,
                                           const proto::InsertMsg& insert) {
  const int64_t rows = insert.pks_size();
  segment::InsertBatch batch;
  batch.timestamps.assign(static_cast<size_t>(rows), Timestamp{insert.ts()});
  for (const segment::FieldSchema& field : schema.fields) {
    segment::FieldColumn column = segment::FieldColumn::Empty(field);
    if (field.is_primary_key && field.type == segment::DataType::kInt64) {
      column.int64s.assign(insert.pks().begin(), insert.pks().end());
    } else if (field.type == segment::DataType::kFloatVector) {
      if (insert.dim() != field.dim) {
        return InvalidArgument("insert message: field '" + field.name + "': dim " +
                               std::to_string(insert.dim()) + ", expected " +
                               std::to_string(field.dim));
      }
      column.floats.assign(insert.vectors().begin(), insert.vectors().end());
    } else {
      return InvalidArgument("insert message: field '" + field.name +
                             "': not carried by InsertMsg (primary key and vector only)");
    }
    batch.columns.push_back(std::move(column));
  }
  // The segment's own shape check (row counts, vector length, timestamps) names the field.
  SIMVUS_RETURN_IF_ERROR(batch.Validate(schema));
  return batch;
}

}  // namespace simvus::roles
