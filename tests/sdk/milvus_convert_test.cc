// Unit tests of the Milvus API's pure parts: merr codes and legacy error codes, the placeholder
// group, schemas, columns, search and index parameters (real/milvus/milvus_convert.h).
#include "real/milvus/milvus_convert.h"

#include <gtest/gtest.h>

#include <cstring>

#include "real/milvus/milvus_frontend.h"

namespace simvus::real::milvus_api {
namespace {

mc::KeyValuePair Kv(const std::string& key, const std::string& value) {
  mc::KeyValuePair kv;
  kv.set_key(key);
  kv.set_value(value);
  return kv;
}

KeyValues Kvs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  KeyValues out;
  for (const auto& [k, v] : pairs) *out.Add() = Kv(k, v);
  return out;
}

ms::FieldSchema Field(const std::string& name, ms::DataType type, bool pk = false) {
  ms::FieldSchema f;
  f.set_name(name);
  f.set_data_type(type);
  f.set_is_primary_key(pk);
  return f;
}

ms::CollectionSchema MilvusSchema() {
  ms::CollectionSchema schema;
  schema.set_name("c");
  *schema.add_fields() = Field("id", ms::Int64, true);
  ms::FieldSchema tag = Field("tag", ms::VarChar);
  *tag.add_type_params() = Kv("max_length", "16");
  *schema.add_fields() = tag;
  ms::FieldSchema vec = Field("vec", ms::FloatVector);
  *vec.add_type_params() = Kv("dim", "4");
  *schema.add_fields() = vec;
  return schema;
}

proto::CollectionSchema SimvusSchema() {
  proto::CollectionSchema out;
  mc::Status status = SchemaFromMilvus(MilvusSchema(), "c", 0, &out);
  EXPECT_TRUE(IsOk(status)) << status.reason();
  return out;
}

std::string Blob(const std::vector<float>& v) {
  std::string out;
  for (float f : v) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, 4);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
  }
  return out;
}

TEST(MilvusError, CarriesMerrCodeReasonAndTheLegacyErrorCode) {
  mc::Status missing = CollectionNotFound("books");
  EXPECT_EQ(missing.code(), 100);
  EXPECT_EQ(missing.error_code(), mc::CollectionNotExists);
  EXPECT_EQ(missing.reason(), "collection not found[collection=books]");
  EXPECT_EQ(missing.detail(), missing.reason());
  mc::Status bad = ParameterInvalid("metric type not match", "COSINE", "L2");
  EXPECT_EQ(bad.code(), 1100);
  EXPECT_EQ(bad.error_code(), mc::IllegalArgument);
  EXPECT_EQ(bad.reason(), "metric type not match: invalid parameter[expected=COSINE][actual=L2]");
  EXPECT_EQ(IndexNotFound("c").error_code(), mc::IndexNotExist);
  EXPECT_EQ(Unsupported("x").error_code(), mc::UnexpectedError);
  EXPECT_EQ(Unsupported("x").reason(), "x: unsupported operation");
  EXPECT_FALSE(IsOk(missing));
  EXPECT_TRUE(IsOk(mc::Status()));
}

TEST(MilvusError, MapsSimvusStatusesByCode) {
  EXPECT_EQ(ToMilvus(NotFound("collection 'c' does not exist"), "c").code(), 100);
  EXPECT_EQ(ToMilvus(FailedPrecondition("collection not loaded: c"), "c").code(), 101);
  EXPECT_EQ(ToMilvus(InvalidArgument("filter: syntax error"), "c").code(), 1100);
  mc::Status unavailable = ToMilvus(Unavailable("no delegator"), "c");
  EXPECT_EQ(unavailable.code(), 2);
  EXPECT_TRUE(unavailable.retriable());
  EXPECT_EQ(ToMilvus(DeadlineExceeded("search"), "c").code(), 10001);
  EXPECT_EQ(ToMilvus(Internal("bug"), "c").code(), 65535);
}

TEST(MilvusConvert, DecodesOneLittleEndianBlobPerQuery) {
  mc::PlaceholderGroup group;
  mc::PlaceholderValue* value = group.add_placeholders();
  value->set_tag("$0");
  value->set_type(mc::PlaceholderType::FloatVector);
  value->add_values(Blob({1.5f, -2.0f, 0.25f, 3.0f}));
  value->add_values(Blob({0.0f, 1.0f, -1.0f, 1e-3f}));
  std::vector<std::vector<float>> queries;
  ASSERT_TRUE(IsOk(DecodePlaceholderGroup(group.SerializeAsString(), 4, "vec", &queries)));
  ASSERT_EQ(queries.size(), 2u);
  EXPECT_EQ(queries[0], (std::vector<float>{1.5f, -2.0f, 0.25f, 3.0f}));
  EXPECT_EQ(queries[1], (std::vector<float>{0.0f, 1.0f, -1.0f, 1e-3f}));
}

TEST(MilvusConvert, RefusesAWrongDimensionAGarbageGroupAndOtherTypes) {
  mc::PlaceholderGroup group;
  mc::PlaceholderValue* value = group.add_placeholders();
  value->set_type(mc::PlaceholderType::FloatVector);
  value->add_values(Blob({1, 2, 3}));
  std::vector<std::vector<float>> queries;
  mc::Status dim = DecodePlaceholderGroup(group.SerializeAsString(), 4, "vec", &queries);
  EXPECT_EQ(dim.code(), 1100);
  EXPECT_NE(dim.reason().find("expected vector size(byte) 16, actual 12"), std::string::npos);
  EXPECT_EQ(DecodePlaceholderGroup("\xff\x01\x02", 4, "vec", &queries).code(), 1100);
  value->set_type(mc::PlaceholderType::BinaryVector);
  EXPECT_EQ(DecodePlaceholderGroup(group.SerializeAsString(), 4, "vec", &queries).code(), 1100);
  EXPECT_EQ(
      DecodePlaceholderGroup(mc::PlaceholderGroup().SerializeAsString(), 4, "vec", &queries).code(),
      1100);
}

TEST(MilvusConvert, SchemaGoesBothWaysWithMilvusFieldIdsAndTheMetric) {
  proto::CollectionSchema schema = SimvusSchema();
  EXPECT_EQ(schema.shards_num(), 1);
  EXPECT_EQ(schema.metric(), proto::METRIC_COSINE);  // Milvus 2.5's default for float vectors
  ASSERT_EQ(schema.fields_size(), 3);
  EXPECT_EQ(schema.fields(1).max_length(), 16);
  EXPECT_EQ(schema.fields(2).dim(), 4);
  ms::CollectionSchema back = SchemaToMilvus(schema);
  ASSERT_EQ(back.fields_size(), 3);
  EXPECT_EQ(back.fields(0).fieldid(), 100);
  EXPECT_EQ(back.fields(2).fieldid(), 102);
  EXPECT_TRUE(back.fields(0).is_primary_key());
  EXPECT_EQ(back.fields(2).data_type(), ms::FloatVector);
  EXPECT_EQ(FindKeyValue(back.fields(2).type_params(), "dim"), "4");
  EXPECT_EQ(FindKeyValue(back.fields(2).type_params(), "metric_type"), "COSINE");

  ms::CollectionSchema l2 = MilvusSchema();
  *l2.mutable_fields(2)->add_type_params() = Kv("metric_type", "l2");
  proto::CollectionSchema out;
  ASSERT_TRUE(IsOk(SchemaFromMilvus(l2, "c", 2, &out)));
  EXPECT_EQ(out.metric(), proto::METRIC_L2);
  EXPECT_EQ(out.shards_num(), 2);
}

TEST(MilvusConvert, RefusesWhatSimvusDoesNotModelAsUnsupported) {
  proto::CollectionSchema out;
  ms::CollectionSchema auto_id = MilvusSchema();
  auto_id.mutable_fields(0)->set_autoid(true);
  EXPECT_EQ(SchemaFromMilvus(auto_id, "c", 0, &out).code(), 3000);
  ms::CollectionSchema float_field = MilvusSchema();
  *float_field.add_fields() = Field("f", ms::Float);
  EXPECT_EQ(SchemaFromMilvus(float_field, "c", 0, &out).code(), 3000);
  ms::CollectionSchema varchar_pk = MilvusSchema();
  varchar_pk.mutable_fields(0)->set_is_primary_key(false);
  varchar_pk.mutable_fields(1)->set_is_primary_key(true);
  EXPECT_EQ(SchemaFromMilvus(varchar_pk, "c", 0, &out).code(), 3000);
  ms::CollectionSchema dynamic = MilvusSchema();
  dynamic.set_enable_dynamic_field(true);
  EXPECT_EQ(SchemaFromMilvus(dynamic, "c", 0, &out).code(), 3000);
  ms::CollectionSchema no_dim = MilvusSchema();
  no_dim.mutable_fields(2)->clear_type_params();
  EXPECT_EQ(SchemaFromMilvus(no_dim, "c", 0, &out).code(), 1100);
  EXPECT_EQ(SchemaFromMilvus(MilvusSchema(), "other", 0, &out).code(), 1100);
}

TEST(MilvusConvert, RowsNeedEveryFieldTheirTypeTheDimAndNumRows) {
  const proto::CollectionSchema schema = SimvusSchema();
  google::protobuf::RepeatedPtrField<ms::FieldData> fields;
  ms::FieldData* id = fields.Add();
  id->set_type(ms::Int64);
  id->set_field_name("id");
  id->mutable_scalars()->mutable_long_data()->add_data(7);
  ms::FieldData* tag = fields.Add();
  tag->set_type(ms::VarChar);
  tag->set_field_name("tag");
  tag->mutable_scalars()->mutable_string_data()->add_data("red");
  ms::FieldData* vec = fields.Add();
  vec->set_type(ms::FloatVector);
  vec->set_field_name("vec");
  vec->mutable_vectors()->set_dim(4);
  for (float f : {1.0f, 2.0f, 3.0f, 4.0f})
    vec->mutable_vectors()->mutable_float_vector()->add_data(f);
  proto::InsertRequest insert;
  ASSERT_TRUE(IsOk(RowsFromMilvus(schema, "c", fields, 1, &insert)));
  ASSERT_EQ(insert.fields_size(), 3);
  EXPECT_EQ(insert.fields(2).dim(), 4);
  EXPECT_EQ(insert.fields(2).float_vector_size(), 4);

  EXPECT_EQ(RowsFromMilvus(schema, "c", fields, 2, &insert).code(), 1100);  // num_rows
  vec->mutable_vectors()->set_dim(8);
  EXPECT_EQ(RowsFromMilvus(schema, "c", fields, 1, &insert).code(), 1100);  // dim
  vec->mutable_vectors()->set_dim(4);
  tag->set_type(ms::Int64);
  EXPECT_EQ(RowsFromMilvus(schema, "c", fields, 1, &insert).code(), 1100);  // type
  tag->set_type(ms::VarChar);
  google::protobuf::RepeatedPtrField<ms::FieldData> missing = fields;
  missing.RemoveLast();
  EXPECT_EQ(RowsFromMilvus(schema, "c", missing, 1, &insert).code(), 1100);
  ms::FieldData* extra = fields.Add();
  extra->set_field_name("color");
  extra->set_type(ms::VarChar);
  EXPECT_EQ(RowsFromMilvus(schema, "c", fields, 1, &insert).code(), 1100);
}

TEST(MilvusConvert, SearchParamsAsTheNodeSdkSendsThem) {
  const proto::CollectionSchema schema = SimvusSchema();
  SearchOptions options;
  ASSERT_TRUE(IsOk(SearchOptionsFromMilvus(Kvs({{"anns_field", "vec"},
                                                {"params", "{\"ef\":64}"},
                                                {"topk", "10"},
                                                {"offset", "0"},
                                                {"metric_type", ""},
                                                {"ignore_growing", "false"},
                                                {"ef", "64"}}),
                                           schema, &options)));
  EXPECT_EQ(options.topk, 10);
  EXPECT_EQ(options.params.at("ef"), "64");
  EXPECT_EQ(SearchOptionsFromMilvus(Kvs({{"anns_field", "vec"}}), schema, &options).code(), 1100);
  mc::Status metric =
      SearchOptionsFromMilvus(Kvs({{"topk", "3"}, {"metric_type", "L2"}}), schema, &options);
  EXPECT_EQ(metric.reason(),
            "metric type not match: invalid parameter[expected=COSINE][actual=L2]");
  EXPECT_EQ(SearchOptionsFromMilvus(Kvs({{"topk", "3"}, {"anns_field", "other"}}), schema, &options)
                .code(),
            1700);
  EXPECT_EQ(
      SearchOptionsFromMilvus(Kvs({{"topk", "16384"}, {"offset", "1"}}), schema, &options).code(),
      1100);
  EXPECT_EQ(
      SearchOptionsFromMilvus(Kvs({{"topk", "3"}, {"params", "{\"radius\":1}"}}), schema, &options)
          .code(),
      3000);
  EXPECT_EQ(RoundScore(0.123456f, 3), 0.123f);
  EXPECT_EQ(RoundScore(0.123456f, -1), 0.123456f);
}

TEST(MilvusConvert, IndexParamsFlattenTheJsonAndKeepTheCollectionsMetric) {
  const proto::CollectionSchema schema = SimvusSchema();
  std::map<std::string, std::string> params;
  ASSERT_TRUE(IsOk(IndexParamsFromMilvus(Kvs({{"index_type", "HNSW"},
                                              {"metric_type", "COSINE"},
                                              {"params", "{\"M\":16,\"efConstruction\":64}"}}),
                                         schema, &params)));
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"M", "16"},
                                                        {"efConstruction", "64"},
                                                        {"index_type", "HNSW"},
                                                        {"metric_type", "COSINE"}}));
  ASSERT_TRUE(IsOk(IndexParamsFromMilvus(Kvs({{"index_type", "AUTOINDEX"}}), schema, &params)));
  EXPECT_EQ(params.at("index_type"), "HNSW");
  EXPECT_EQ(params.at("M"), "18");
  EXPECT_EQ(params.at("metric_type"), "COSINE");
  EXPECT_EQ(IndexParamsFromMilvus(Kvs({{"metric_type", "IP"}}), schema, &params).code(), 1100);
  EXPECT_EQ(IndexParamsFromMilvus(Kvs({{"params", "not json"}}), schema, &params).code(), 1100);

  google::protobuf::Map<std::string, std::string> stored;
  stored["index_type"] = "HNSW";
  stored["metric_type"] = "COSINE";
  stored["M"] = "16";
  stored["efConstruction"] = "64";
  const KeyValues described = IndexParamsToMilvus(stored);
  EXPECT_EQ(FindKeyValue(described, "index_type"), "HNSW");
  EXPECT_EQ(FindKeyValue(described, "params"), "{\"M\":16,\"efConstruction\":64}");
}

TEST(MilvusConvert, OutputFieldsExpandTheStarAndAlwaysCarryThePrimaryKey) {
  const proto::CollectionSchema schema = SimvusSchema();
  google::protobuf::RepeatedPtrField<std::string> names;
  std::vector<std::string> fields;
  bool count_only = false;
  *names.Add() = "*";
  ASSERT_TRUE(IsOk(OutputFieldsFromMilvus(names, schema, true, &fields, &count_only)));
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "tag", "vec"}));
  names.Clear();
  *names.Add() = "tag";
  ASSERT_TRUE(IsOk(OutputFieldsFromMilvus(names, schema, true, &fields, &count_only)));
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "tag"}));
  *names.Add() = "count(*)";
  EXPECT_EQ(OutputFieldsFromMilvus(names, schema, true, &fields, &count_only).code(), 1100);
  names.Clear();
  *names.Add() = "count(*)";
  ASSERT_TRUE(IsOk(OutputFieldsFromMilvus(names, schema, true, &fields, &count_only)));
  EXPECT_TRUE(count_only);
  EXPECT_EQ(OutputFieldsFromMilvus(names, schema, false, &fields, &count_only).code(), 1100);
  *names.Mutable(0) = "nope";
  EXPECT_EQ(OutputFieldsFromMilvus(names, schema, true, &fields, &count_only).code(), 1100);
}

}  // namespace
}  // namespace simvus::real::milvus_api
