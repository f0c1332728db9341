#include "components/segment/schema.h"

#include <gtest/gtest.h>

#include "tests/components/segment/test_data.h"

namespace simvus::segment {
namespace {

using testing::TestSchema;

TEST(CollectionSchema, AcceptsTheTestSchema) { EXPECT_TRUE(TestSchema().Validate().ok()); }

TEST(CollectionSchema, RejectsWithFieldValueAndExpectation) {
  CollectionSchema s = TestSchema();
  s.fields[1].dim = 0;
  EXPECT_EQ(s.Validate().message(), "field 'vec': dim 0, expected a dimension in [1, 32768]");

  s = TestSchema();
  s.fields[0].is_primary_key = false;
  EXPECT_EQ(s.Validate().message(),
            "collection 'test': 0 primary key fields, expected exactly one");

  s = TestSchema();
  s.fields[3].is_primary_key = true;
  EXPECT_EQ(s.Validate().message(),
            "field 'score': primary key of type Double, expected Int64 or VarChar");

  s = TestSchema();
  s.fields[2].name = "id";
  EXPECT_EQ(s.Validate().message(), "field 'id': duplicate field name, expected unique names");

  s = TestSchema();
  s.fields[2].id = FieldId{1};
  EXPECT_EQ(s.Validate().message(), "field 'age': id 1 is reserved, expected an id >= 100");

  s = TestSchema();
  s.fields.push_back({FieldId{200}, "vec2", DataType::kFloatVector, false, 4});
  EXPECT_EQ(s.Validate().message(),
            "collection 'test': 2 float-vector fields, expected exactly one");

  s = TestSchema();
  s.fields[5].max_length = 0;
  EXPECT_EQ(s.Validate().message(), "field 'name': max_length 0, expected [1, 65535]");

  s = TestSchema();
  s.fields[5].name = "9lives";
  EXPECT_EQ(s.Validate().code(), StatusCode::kInvalidArgument);
}

TEST(CollectionSchema, FieldIndexNamesKnownFields) {
  Result<int> missing = TestSchema().FieldIndex("height");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "field 'height' does not exist in collection 'test'; expected one of: id, vec, age, "
            "score, flag, name");
  EXPECT_EQ(*TestSchema().FieldIndex("score"), 3);
}

}  // namespace
}  // namespace simvus::segment
