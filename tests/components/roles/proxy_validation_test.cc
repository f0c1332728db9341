#include <gtest/gtest.h>

#include "components/roles/proxy.h"
#include "components/roles/root_coord.h"
#include "components/roles/row_conversion.h"

namespace simvus::roles {
namespace {

proto::CollectionSchema Schema() { return PkVectorSchema("c", 2); }

proto::InsertRequest Insert(std::vector<int64_t> pks, std::vector<float> floats, int32_t dim) {
  proto::InsertRequest request;
  request.set_collection("c");
  proto::FieldData* pk = request.add_fields();
  pk->set_name("pk");
  for (int64_t p : pks) pk->add_int64_data(p);
  proto::FieldData* vec = request.add_fields();
  vec->set_name("vec");
  vec->set_dim(dim);
  for (float f : floats) vec->add_float_vector(f);
  return request;
}

TEST(ValidateInsert, AcceptsAWellFormedInsert) {
  Result<int64_t> rows = ValidateInsert(Schema(), Insert({1, 2}, {1, 2, 3, 4}, 2));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 2);
}

TEST(ValidateInsert, RejectsWrongVectorDimensionNamingTheField) {
  Status s = ValidateInsert(Schema(), Insert({1}, {1, 2, 3}, 3)).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("field 'vec': vector dim 3, expected 2"), std::string::npos)
      << s.message();
}

TEST(ValidateInsert, RejectsDuplicateField) {
  proto::InsertRequest request = Insert({1}, {1, 2}, 2);
  *request.add_fields() = request.fields(0);
  Status s = ValidateInsert(Schema(), request).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("field 'pk': given more than once"), std::string::npos);
}

TEST(ValidateInsert, RejectsWrongPrimaryKeyType) {
  proto::InsertRequest request = Insert({}, {1, 2}, 2);
  request.mutable_fields(0)->add_string_data("not-an-int");
  Status s = ValidateInsert(Schema(), request).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("primary key type is INT64"), std::string::npos) << s.message();
}

TEST(ValidateInsert, RejectsUnknownAndMissingFields) {
  proto::InsertRequest extra = Insert({1}, {1, 2}, 2);
  extra.add_fields()->set_name("color");
  EXPECT_NE(ValidateInsert(Schema(), extra).status().message().find("'color': not in the"),
            std::string::npos);
  proto::InsertRequest missing = Insert({1}, {1, 2}, 2);
  missing.mutable_fields()->RemoveLast();
  EXPECT_NE(ValidateInsert(Schema(), missing).status().message().find("'vec': missing"),
            std::string::npos);
}

TEST(ValidateInsert, RejectsMismatchedRowCounts) {
  Status s = ValidateInsert(Schema(), Insert({1, 2, 3}, {1, 2, 3, 4}, 2)).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST(ValidateSchema, RejectsDuplicateFieldNames) {
  proto::CollectionSchema schema = Schema();
  *schema.add_fields() = schema.fields(1);
  Status s = ValidateSchema(schema);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("field 'vec': duplicate field name"), std::string::npos);
}

TEST(ValidateSchema, RejectsMissingPrimaryKeyAndBadDim) {
  proto::CollectionSchema no_pk = Schema();
  no_pk.mutable_fields(0)->set_is_primary_key(false);
  EXPECT_EQ(ValidateSchema(no_pk).code(), StatusCode::kInvalidArgument);
  proto::CollectionSchema bad_dim = Schema();
  bad_dim.mutable_fields(1)->set_dim(0);
  EXPECT_NE(ValidateSchema(bad_dim).message().find("dim 0, expected 1..32768"), std::string::npos);
}

}  // namespace
}  // namespace simvus::roles
