#include "components/roles/row_conversion.h"

#include <gtest/gtest.h>

#include "components/roles/proxy.h"
#include "components/roles/root_coord.h"
#include "components/roles/routing.h"
#include "components/segment/segment.h"

namespace simvus::roles {
namespace {

proto::CollectionSchema Schema(int32_t dim = 2) { return PkVectorSchema("c", dim); }

proto::InsertRequest Insert(const std::vector<int64_t>& pks, int32_t dim) {
  proto::InsertRequest request;
  request.set_collection("c");
  proto::FieldData* pk = request.add_fields();
  pk->set_name("pk");
  proto::FieldData* vec = request.add_fields();
  vec->set_name("vec");
  vec->set_dim(dim);
  for (int64_t p : pks) {
    pk->add_int64_data(p);
    for (int32_t d = 0; d < dim; ++d) vec->add_float_vector(static_cast<float>(p * 10 + d));
  }
  return request;
}

// Regression: a schema with an extra scalar field passed validation, and the query node then
// aborted on the first insert, because InsertMsg carries only the primary key and the vector.
TEST(ValidateSchema, RejectsScalarFieldThatInsertMsgCannotCarry) {
  for (proto::DataType type : {proto::INT64, proto::VARCHAR, proto::DOUBLE}) {
    proto::CollectionSchema schema = Schema();
    proto::FieldSchema* extra = schema.add_fields();
    extra->set_name("age");
    extra->set_type(type);
    Status s = ValidateSchema(schema);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << proto::DataType_Name(type);
    EXPECT_NE(s.message().find("field 'age'"), std::string::npos) << s.message();
  }
}

// Regression (found by insert_validation_fuzzer): a field name the segments reject ("`k") passed
// ValidateSchema, so the collection was created and then failed to load on every query node.
TEST(ValidateSchema, RejectsNamesTheSegmentsReject) {
  for (const char* bad : {"`k", "1abc", "a-b", "a b"}) {
    proto::CollectionSchema schema = Schema();
    schema.mutable_fields(1)->set_name(bad);
    Status s = ValidateSchema(schema);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("expected an identifier"), std::string::npos) << s.message();
    proto::CollectionSchema bad_collection = Schema();
    bad_collection.set_name(bad);
    EXPECT_EQ(ValidateSchema(bad_collection).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ValidateSchema(Schema()).ok());
}

TEST(RowConversion, ValidatedInsertBecomesBatchesTheSegmentAccepts) {
  const proto::CollectionSchema schema = Schema(3);
  ASSERT_TRUE(ValidateSchema(schema).ok());
  const proto::InsertRequest request = Insert({1, 2, 3, 4, 5, 6, 7, 8}, 3);
  Result<int64_t> rows = ValidateInsert(schema, request);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const segment::CollectionSchema segment_schema = SegmentSchemaOf(schema);
  int64_t routed = 0;
  for (int32_t shard = 0; shard < 2; ++shard) {
    proto::InsertMsg msg = InsertRowsForShard(schema, request, *rows, shard, 2);
    msg.set_ts(100);
    for (int64_t pk : msg.pks()) EXPECT_EQ(ShardOfPk(pk, 2), shard) << pk;
    Result<segment::InsertBatch> batch = InsertBatchOf(segment_schema, msg);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    segment::Segment seg(segment::SegmentId{shard + 1}, segment_schema);
    EXPECT_TRUE(seg.Insert(*batch).ok());
    EXPECT_EQ(seg.num_rows(), msg.pks_size());
    routed += msg.pks_size();
  }
  EXPECT_EQ(routed, 8);
}

TEST(RowConversion, InsertMessageThatDoesNotFitTheSchemaIsAnErrorNamingTheField) {
  const segment::CollectionSchema schema = SegmentSchemaOf(Schema(2));
  proto::InsertMsg msg;
  msg.set_ts(100);
  msg.add_pks(1);
  msg.set_dim(2);
  msg.add_vectors(1.0f);  // one float for one row of dim 2
  Result<segment::InsertBatch> short_vector = InsertBatchOf(schema, msg);
  ASSERT_FALSE(short_vector.ok());
  EXPECT_EQ(short_vector.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_vector.status().message().find("field 'vec'"), std::string::npos);

  msg.add_vectors(2.0f);
  msg.set_dim(3);
  Result<segment::InsertBatch> wrong_dim = InsertBatchOf(schema, msg);
  ASSERT_FALSE(wrong_dim.ok());
  EXPECT_NE(wrong_dim.status().message().find("dim 3, expected 2"), std::string::npos);

  msg.set_dim(2);
  msg.set_ts(0);
  EXPECT_FALSE(InsertBatchOf(schema, msg).ok()) << "timestamp 0 is never a TSO timestamp";
  msg.set_ts(7);
  EXPECT_TRUE(InsertBatchOf(schema, msg).ok());
}

}  // namespace
}  // namespace simvus::roles
