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

// A collection with every supported scalar type beside the pk and the vector.
proto::CollectionSchema AllFieldsSchema() {
  return WithEveryScalarField(PkVectorSchema("c", 2, 0, proto::METRIC_IP), 8);
}

proto::InsertRequest AllFieldsInsert(const std::vector<int64_t>& pks) {
  proto::InsertRequest request = Insert(pks, 2);
  proto::FieldData* age = request.add_fields();
  age->set_name("age");
  proto::FieldData* score = request.add_fields();
  score->set_name("score");
  proto::FieldData* flag = request.add_fields();
  flag->set_name("flag");
  proto::FieldData* name = request.add_fields();
  name->set_name("name");
  for (int64_t p : pks) {
    age->add_int64_data(p * 2);
    score->add_double_data(static_cast<double>(p) / 4);
    flag->add_bool_data(p % 2 == 0);
    name->add_string_data("n" + std::to_string(p));
  }
  return request;
}

// Regression: a schema with an extra scalar field passed validation and then aborted the query
// node on the first insert, because InsertMsg carried only the primary key and the vector. Rows
// now carry every field; the segment gets every column.
TEST(RowConversion, ScalarFieldsNoLongerAbortTheQueryNode) {
  const proto::CollectionSchema schema = AllFieldsSchema();
  ASSERT_TRUE(ValidateSchema(schema).ok()) << ValidateSchema(schema).ToString();
  const proto::InsertRequest request = AllFieldsInsert({1, 2, 3, 4, 5});
  Result<int64_t> rows = ValidateInsert(schema, request);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const segment::CollectionSchema segment_schema = SegmentSchemaOf(schema);
  EXPECT_EQ(segment_schema.fields[1].metric, ann::MetricType::kIP);
  proto::InsertMsg msg = InsertRowsForShard(schema, request, *rows, 0, 1);
  msg.set_ts(100);
  EXPECT_EQ(msg.num_rows(), 5);
  Result<segment::InsertBatch> batch = InsertBatchOf(segment_schema, msg);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  segment::Segment seg(segment::SegmentId{1}, segment_schema);
  ASSERT_TRUE(seg.Insert(*batch).ok());
  EXPECT_EQ(seg.columns()[2].int64s, (std::vector<int64_t>{2, 4, 6, 8, 10}));
  EXPECT_EQ(seg.columns()[3].doubles[3], 1.0);
  EXPECT_EQ(seg.columns()[4].bools, (std::vector<uint8_t>{0, 1, 0, 1, 0}));
  EXPECT_EQ(seg.columns()[5].strings[4], "n5");
  Result<int64_t> matching = seg.Count("age > 4 and flag", Timestamp{200});
  ASSERT_TRUE(matching.ok()) << matching.status().ToString();
  EXPECT_EQ(*matching, 1);  // pk 4: age 8, flag true
}

TEST(ValidateInsert, ScalarFieldsOfTheWrongKindOrTooLongAreRejected) {
  const proto::CollectionSchema schema = AllFieldsSchema();
  proto::InsertRequest wrong_kind = AllFieldsInsert({1, 2});
  wrong_kind.mutable_fields(3)->clear_double_data();
  wrong_kind.mutable_fields(3)->add_int64_data(1);
  wrong_kind.mutable_fields(3)->add_int64_data(2);
  Result<int64_t> r = ValidateInsert(schema, wrong_kind);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'score': expected DOUBLE values, got INT64"),
            std::string::npos)
      << r.status().message();
  proto::InsertRequest too_long = AllFieldsInsert({1, 2});
  too_long.mutable_fields(5)->set_string_data(1, "123456789");
  r = ValidateInsert(schema, too_long);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'name': row 1 is 9 bytes, expected at most"),
            std::string::npos)
      << r.status().message();
  proto::CollectionSchema no_max_length = schema;
  no_max_length.mutable_fields(5)->set_max_length(0);
  EXPECT_NE(ValidateSchema(no_max_length).message().find("field 'name': max_length 0"),
            std::string::npos);
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
    for (int64_t pk : msg.fields(0).int64_data()) EXPECT_EQ(ShardOfPk(pk, 2), shard) << pk;
    Result<segment::InsertBatch> batch = InsertBatchOf(segment_schema, msg);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    segment::Segment seg(segment::SegmentId{shard + 1}, segment_schema);
    EXPECT_TRUE(seg.Insert(*batch).ok());
    EXPECT_EQ(seg.num_rows(), msg.num_rows());
    routed += msg.num_rows();
  }
  EXPECT_EQ(routed, 8);
}

// Regression: a write of 5,000 rows of dimension 128 through the Milvus SDK was one 2.5 MB
// InsertMsg per shard, over Kafka's message.max.bytes ("Broker: Message size too large", the
// write refused). Writes are now cut into messages of at most the byte budget, every row kept
// once, in order, each message one the segment accepts.
TEST(RowConversion, ALargeWriteIsCutIntoMessagesUnderTheByteBudget) {
  const proto::CollectionSchema schema = AllFieldsSchema();
  std::vector<int64_t> pks;
  for (int64_t p = 1; p <= 1000; ++p) pks.push_back(p);
  const proto::InsertRequest request = AllFieldsInsert(pks);
  Result<int64_t> rows = ValidateInsert(schema, request);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const segment::CollectionSchema segment_schema = SegmentSchemaOf(schema);
  constexpr int64_t kBudget = 2000;  // bytes of rows: ~50 rows of this schema
  for (int32_t shard = 0; shard < 2; ++shard) {
    const proto::InsertMsg whole = InsertRowsForShard(schema, request, *rows, shard, 2);
    const std::vector<proto::InsertMsg> cut =
        InsertMessagesForShard(schema, request, *rows, shard, 2, kBudget);
    ASSERT_GT(cut.size(), 5u);
    std::vector<int64_t> seen;
    for (const proto::InsertMsg& msg : cut) {
      EXPECT_LE(msg.ByteSizeLong(), static_cast<size_t>(kBudget) * 3 / 2);
      EXPECT_EQ(msg.fields(0).int64_data_size(), msg.num_rows());
      for (int64_t pk : msg.fields(0).int64_data()) seen.push_back(pk);
      proto::InsertMsg stamped = msg;
      stamped.set_ts(100);
      Result<segment::InsertBatch> batch = InsertBatchOf(segment_schema, stamped);
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    }
    EXPECT_EQ(seen, std::vector<int64_t>(whole.fields(0).int64_data().begin(),
                                         whole.fields(0).int64_data().end()));
  }
  // Within the budget: one message, the same as uncut.
  const std::vector<proto::InsertMsg> small =
      InsertMessagesForShard(schema, request, *rows, 0, 2, int64_t{1} << 30);
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].SerializeAsString(),
            InsertRowsForShard(schema, request, *rows, 0, 2).SerializeAsString());
}

TEST(RowConversion, InsertMessageThatDoesNotFitTheSchemaIsAnErrorNamingTheField) {
  const proto::CollectionSchema proto_schema = Schema(2);
  const segment::CollectionSchema schema = SegmentSchemaOf(proto_schema);
  proto::InsertMsg msg = InsertRowsForShard(proto_schema, Insert({1}, 2), 1, 0, 1);
  msg.set_ts(100);
  ASSERT_TRUE(InsertBatchOf(schema, msg).ok());

  proto::InsertMsg short_vector = msg;
  short_vector.mutable_fields(1)->mutable_float_vector()->RemoveLast();
  Result<segment::InsertBatch> r = InsertBatchOf(schema, short_vector);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("field 'vec'"), std::string::npos);

  proto::InsertMsg wrong_dim = msg;
  wrong_dim.mutable_fields(1)->set_dim(3);
  r = InsertBatchOf(schema, wrong_dim);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("dim 3, expected 2"), std::string::npos);

  proto::InsertMsg missing = msg;
  missing.mutable_fields()->RemoveLast();
  r = InsertBatchOf(schema, missing);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'vec': missing"), std::string::npos);

  proto::InsertMsg more_rows = msg;
  more_rows.set_num_rows(2);
  EXPECT_FALSE(InsertBatchOf(schema, more_rows).ok()) << "2 timestamps for 1 row";

  // Regression (found by log_message_fuzzer): num_rows of 2^31 allocated 16 GiB of timestamps
  // before any column was looked at. It is checked against the columns first.
  proto::InsertMsg huge = msg;
  huge.set_num_rows(int64_t{1} << 31);
  r = InsertBatchOf(schema, huge);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("num_rows says 2147483648"), std::string::npos)
      << r.status().message();

  proto::InsertMsg zero_ts = msg;
  zero_ts.set_ts(0);
  EXPECT_FALSE(InsertBatchOf(schema, zero_ts).ok()) << "timestamp 0 is never a TSO timestamp";
}

}  // namespace
}  // namespace simvus::roles
