// The frontend's read path: Search and Query (see milvus_frontend.h).
#include "components/env/check.h"
#include "real/milvus/milvus_frontend.h"

namespace simvus::real::milvus_api {

namespace {

inline constexpr size_t kMaxNq = 16384;  // quotaAndLimits.limits.maxNQ (segment::kMaxNq)

// The answer's column named `name` appended to `into` (repeated fields concatenate).
void AppendColumn(const proto::SearchResults& answer, const std::string& name,
                  proto::FieldData* into) {
  for (const proto::FieldData& column : answer.fields()) {
    if (column.name() == name) into->MergeFrom(column);
  }
}

}  // namespace

Task<Result<proto::SearchResults>> MilvusFrontend::SearchOne(proto::SearchRequest request) {
  co_return co_await CallProxy<proto::SearchResults>(roles::kSearch, request);
}

Task<mm::SearchResults> MilvusFrontend::Search(mm::SearchRequest request) {
  using Response = mm::SearchResults;
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, request.partition_names(), &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  if (request.sub_reqs_size() > 0) {
    co_return Failed<Response>(Unsupported("simvus has no hybrid search (sub_reqs)"));
  }
  if (request.search_by_primary_keys()) {
    co_return Failed<Response>(Unsupported("simvus has no search by primary keys"));
  }
  if (!request.expr_template_values().empty()) {
    co_return Failed<Response>(Unsupported("simvus has no expression templates"));
  }
  const proto::CollectionSchema& schema = info.schema();
  SearchOptions options;
  mc::Status parsed = SearchOptionsFromMilvus(request.search_params(), schema, &options);
  if (!IsOk(parsed)) co_return Failed<Response>(parsed);
  const proto::FieldSchema& vector_field = schema.fields(VectorIndex(schema));
  std::vector<std::vector<float>> queries;
  mc::Status decoded = DecodePlaceholderGroup(request.placeholder_group(), vector_field.dim(),
                                              vector_field.name(), &queries);
  if (!IsOk(decoded)) co_return Failed<Response>(decoded);
  if (request.nq() != 0 && static_cast<size_t>(request.nq()) != queries.size()) {
    co_return Failed<Response>(ParameterInvalid("nq does not match the number of search vectors",
                                                std::to_string(queries.size()),
                                                std::to_string(request.nq())));
  }
  if (queries.size() > kMaxNq) {
    co_return Failed<Response>(ParameterInvalid(
        "nq (number of search vectors per search request) should be in range [1, " +
        std::to_string(kMaxNq) + "], but got " + std::to_string(queries.size())));
  }
  std::vector<std::string> fields;
  bool count_only = false;
  mc::Status outputs = OutputFieldsFromMilvus(request.output_fields(), schema,
                                              /*allow_count=*/false, &fields, &count_only);
  if (!IsOk(outputs)) co_return Failed<Response>(outputs);
  const std::string pk_name = schema.fields(PrimaryKeyIndex(schema)).name();

  proto::SearchRequest base;
  base.set_collection(name);
  base.set_topk(options.topk);
  base.set_offset(options.offset);
  base.set_filter(request.dsl());
  for (const auto& [key, value] : options.params) (*base.mutable_params())[key] = value;
  for (const std::string& field : fields) {
    if (field != pk_name) base.add_output_fields(field);
  }
  proto::ConsistencyLevel level = proto::STRONG;
  uint64_t guarantee = 0;
  ReadLevel(name, request.consistency_level(), request.use_default_consistency(),
            request.guarantee_timestamp(), &level, &guarantee);
  base.set_consistency(level);
  base.set_guarantee_ts(guarantee);

  // One request with every query vector, as Milvus's proxy sends nq on to the query nodes: one
  // guarantee ts and one snapshot per shard for the whole request, each segment scanned once.
  proto::SearchRequest all = base;
  all.set_nq(static_cast<int32_t>(queries.size()));
  for (const std::vector<float>& query : queries) {
    all.mutable_vector()->Add(query.begin(), query.end());
  }
  Result<proto::SearchResults> answer = co_await SearchOne(std::move(all));
  if (!answer.ok()) co_return Failed<Response>(ToMilvus(answer.status(), name));
  const uint64_t guaranteed = answer->guarantee_ts();
  if (static_cast<size_t>(answer->topks_size()) != queries.size()) {
    co_return Failed<Response>(
        ToMilvus(Internal("the proxy answered " + std::to_string(answer->topks_size()) +
                          " queries of " + std::to_string(queries.size())),
                 name));
  }
  Response response;
  response.mutable_status();
  response.set_collection_name(name);
  response.set_session_ts(guaranteed);
  ms::SearchResultData* data = response.mutable_results();
  data->set_num_queries(static_cast<int64_t>(queries.size()));
  data->set_top_k(options.topk);
  data->set_primary_field_name(pk_name);
  std::vector<int64_t> pks;
  std::vector<proto::FieldData> columns(fields.size());
  for (int32_t topk : answer->topks()) data->add_topks(topk);
  for (const proto::Hit& hit : answer->hits()) {
    pks.push_back(hit.pk());
    data->add_scores(RoundScore(hit.distance(), options.round_decimal));
  }
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f] != pk_name) AppendColumn(*answer, fields[f], &columns[f]);
  }
  SIMVUS_CHECK(static_cast<size_t>(data->scores_size()) == pks.size(),
               "Milvus API search: one score per id");
  data->mutable_ids()->mutable_int_id()->mutable_data()->Add(pks.begin(), pks.end());
  for (size_t f = 0; f < fields.size(); ++f) {
    data->add_output_fields(fields[f]);
    int index = 0;
    for (int i = 0; i < schema.fields_size(); ++i) {
      if (schema.fields(i).name() == fields[f]) index = i;
    }
    *data->add_fields_data() = fields[f] == pk_name ? PrimaryKeysToMilvus(schema, pks)
                                                    : ColumnToMilvus(schema, index, columns[f]);
  }
  co_return response;
}

Task<mm::QueryResults> MilvusFrontend::Query(mm::QueryRequest request) {
  using Response = mm::QueryResults;
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, request.partition_names(), &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  if (!request.expr_template_values().empty()) {
    co_return Failed<Response>(Unsupported("simvus has no expression templates"));
  }
  const proto::CollectionSchema& schema = info.schema();
  int64_t limit = 0, offset = 0;
  mc::Status limits = QueryLimitsFromMilvus(request.query_params(), &limit, &offset);
  if (!IsOk(limits)) co_return Failed<Response>(limits);
  std::vector<std::string> fields;
  bool count_only = false;
  mc::Status outputs = OutputFieldsFromMilvus(request.output_fields(), schema,
                                              /*allow_count=*/true, &fields, &count_only);
  if (!IsOk(outputs)) co_return Failed<Response>(outputs);
  if (count_only && (limit > 0 || offset > 0)) {
    co_return Failed<Response>(ParameterInvalid("count entities with pagination is not allowed"));
  }
  if (!count_only && request.expr().empty() && limit == 0) {
    co_return Failed<Response>(ParameterInvalid("empty expression should be used with limit"));
  }
  const std::string pk_name = schema.fields(PrimaryKeyIndex(schema)).name();

  proto::QueryRequest query;
  query.set_collection(name);
  query.set_filter(request.expr());
  query.set_limit(limit);
  query.set_offset(offset);
  if (count_only) query.add_output_fields("count(*)");
  for (const std::string& field : fields) {
    if (field != pk_name) query.add_output_fields(field);
  }
  proto::ConsistencyLevel level = proto::STRONG;
  uint64_t guarantee = 0;
  ReadLevel(name, request.consistency_level(), request.use_default_consistency(),
            request.guarantee_timestamp(), &level, &guarantee);
  query.set_consistency(level);
  query.set_guarantee_ts(guarantee);
  Result<proto::QueryResults> answer =
      co_await CallProxy<proto::QueryResults>(roles::kQuery, query);
  if (!answer.ok()) co_return Failed<Response>(ToMilvus(answer.status(), name));

  Response response;
  response.mutable_status();
  response.set_collection_name(name);
  response.set_primary_field_name(pk_name);
  response.set_session_ts(answer->guarantee_ts());
  if (count_only) {
    ms::FieldData* count = response.add_fields_data();
    count->set_type(ms::Int64);
    count->set_field_name("count(*)");
    count->mutable_scalars()->mutable_long_data()->add_data(answer->count());
    response.add_output_fields("count(*)");
    co_return response;
  }
  const std::vector<int64_t> pks(answer->pks().begin(), answer->pks().end());
  for (const std::string& field : fields) {
    response.add_output_fields(field);
    if (field == pk_name) {
      *response.add_fields_data() = PrimaryKeysToMilvus(schema, pks);
      continue;
    }
    int index = 0;
    for (int i = 0; i < schema.fields_size(); ++i) {
      if (schema.fields(i).name() == field) index = i;
    }
    proto::FieldData column;
    for (const proto::FieldData& part : answer->fields()) {
      if (part.name() == field) column.MergeFrom(part);
    }
    *response.add_fields_data() = ColumnToMilvus(schema, index, column);
  }
  co_return response;
}

}  // namespace simvus::real::milvus_api
