#include "real/milvus/milvus_frontend.h"

#include <algorithm>
#include <cmath>

#include "components/expr/parser.h"

namespace simvus::real::milvus_api {

namespace {

// The `pk in [ints]` / `pk == int` a simple delete names (Milvus's simple delete), or false.
bool SimplePks(const expr::Node& node, const std::string& pk, std::vector<int64_t>* pks) {
  if (node.kind == expr::Node::Kind::kIn && !node.negated && node.children.size() == 1 &&
      node.children[0]->kind == expr::Node::Kind::kField && node.children[0]->field == pk) {
    std::vector<int64_t> values;
    for (const expr::Literal& literal : node.list) {
      if (!std::holds_alternative<int64_t>(literal)) return false;
      values.push_back(std::get<int64_t>(literal));
    }
    *pks = std::move(values);
    return true;
  }
  if (node.kind == expr::Node::Kind::kBinary && node.op == expr::Op::kEq &&
      node.children.size() == 2) {
    const expr::Node* field = node.children[0].get();
    const expr::Node* value = node.children[1].get();
    if (field->kind != expr::Node::Kind::kField) std::swap(field, value);
    if (field->kind == expr::Node::Kind::kField && field->field == pk &&
        value->kind == expr::Node::Kind::kLiteral &&
        std::holds_alternative<int64_t>(value->literal)) {
      pks->assign(1, std::get<int64_t>(value->literal));
      return true;
    }
  }
  return false;
}

}  // namespace

float RoundScore(float score, int32_t decimals) {
  if (decimals < 0) return score;
  const double scale = std::pow(10.0, decimals);
  return static_cast<float>(std::round(static_cast<double>(score) * scale) / scale);
}

MilvusFrontend::MilvusFrontend(Env& env, std::string proxy, roles::ClusterConfig config,
                               Duration call_deadline)
    : env_(env), proxy_(std::move(proxy)), config_(std::move(config)), deadline_(call_deadline) {}

Task<Result<proto::CollectionInfo>> MilvusFrontend::Describe(const std::string& name) {
  auto cached = collections_.find(name);
  if (cached != collections_.end()) co_return cached->second;
  proto::DescribeCollectionRequest request;
  request.set_name(name);
  Result<proto::CollectionInfo> info = co_await CallProto<proto::CollectionInfo>(
      *env_.transport, config_.root_coord, roles::kDescribeCollection, request, deadline_);
  if (info.ok()) collections_[name] = *info;
  co_return info;
}

Task<mc::Status> MilvusFrontend::Resolve(const std::string& db, const std::string& name,
                                         proto::CollectionInfo* out) {
  if (!db.empty() && db != "default") co_return DatabaseNotFound(db);
  if (name.empty()) co_return ParameterInvalid("collection name should not be empty");
  Result<proto::CollectionInfo> info = co_await Describe(name);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) co_return CollectionNotFound(name);
    co_return ToMilvus(info.status(), name);
  }
  *out = std::move(*info);
  co_return mc::Status();
}

Task<mc::Status> MilvusFrontend::Resolve(
    const std::string& db, const std::string& name,
    const google::protobuf::RepeatedPtrField<std::string>& partitions, proto::CollectionInfo* out) {
  mc::Status found = co_await Resolve(db, name, out);
  if (!IsOk(found)) co_return found;
  for (const std::string& partition : partitions) {
    if (!IsDefaultPartition(partition)) co_return PartitionNotFound(partition);
  }
  co_return mc::Status();
}

mc::ConsistencyLevel MilvusFrontend::LevelOf(const std::string& collection) const {
  auto it = levels_.find(collection);
  return it == levels_.end() ? mc::ConsistencyLevel::Bounded : it->second;
}

void MilvusFrontend::ReadLevel(const std::string& collection, mc::ConsistencyLevel level,
                               bool use_default, uint64_t guarantee_ts,
                               proto::ConsistencyLevel* simvus_level,
                               uint64_t* simvus_guarantee) const {
  if (use_default) level = LevelOf(collection);
  *simvus_guarantee = guarantee_ts;
  if (!use_default && level == mc::ConsistencyLevel::Strong && guarantee_ts > 0) {
    // parseGuaranteeTs: the protocol before consistency levels (2 was "bounded").
    *simvus_level = guarantee_ts == 2 ? proto::BOUNDED : proto::CUSTOMIZED;
    return;
  }
  switch (level) {
    case mc::ConsistencyLevel::Session:
      *simvus_level = proto::SESSION;
      break;
    case mc::ConsistencyLevel::Bounded:
      *simvus_level = proto::BOUNDED;
      break;
    case mc::ConsistencyLevel::Eventually:
      *simvus_level = proto::EVENTUALLY;
      break;
    case mc::ConsistencyLevel::Customized:
      *simvus_level = proto::CUSTOMIZED;
      break;
    default:
      *simvus_level = proto::STRONG;
      break;
  }
}

// ---------------------------------------------------------------- collections

Task<mc::Status> MilvusFrontend::CreateCollection(mm::CreateCollectionRequest request) {
  const std::string name = request.collection_name();
  if (!request.db_name().empty() && request.db_name() != "default") {
    co_return DatabaseNotFound(request.db_name());
  }
  ms::CollectionSchema milvus_schema;
  if (!milvus_schema.ParseFromString(request.schema())) {
    co_return ParameterInvalid("failed to unmarshal the collection schema of " + name);
  }
  if (request.num_partitions() > 0) {
    co_return Unsupported("simvus has no partitions (num_partitions " +
                          std::to_string(request.num_partitions()) + ")");
  }
  proto::CollectionSchema schema;
  mc::Status converted = SchemaFromMilvus(milvus_schema, name, request.shards_num(), &schema);
  if (!IsOk(converted)) co_return converted;
  proto::CreateCollectionRequest create;
  *create.mutable_schema() = schema;
  Result<proto::CollectionInfo> info =
      co_await CallProxy<proto::CollectionInfo>(roles::kProxyCreateCollection, create);
  if (!info.ok() && info.status().code() == StatusCode::kAlreadyExists) {
    // Milvus: creating a collection again with the same schema succeeds, else it is refused.
    Result<proto::CollectionInfo> existing = co_await Describe(name);
    if (existing.ok() && existing->schema().SerializeAsString() == schema.SerializeAsString()) {
      co_return mc::Status();
    }
    co_return ParameterInvalid(
        "create duplicate collection with different parameters, collection: " + name);
  }
  if (!info.ok()) co_return ToMilvus(info.status(), name);
  collections_[name] = *info;
  levels_[name] = request.consistency_level();
  properties_[name] = request.properties();
  env_.Step("milvus.create",
            "CreateCollection " + name + " (Milvus API): " + std::to_string(schema.fields_size()) +
                " fields, metric " + MetricName(schema.metric()) + ", consistency " +
                mc::ConsistencyLevel_Name(request.consistency_level()));
  co_return mc::Status();
}

Task<mm::DescribeCollectionResponse> MilvusFrontend::DescribeCollection(
    mm::DescribeCollectionRequest request) {
  if (request.collection_name().empty() && request.collectionid() != 0) {
    co_return Failed<mm::DescribeCollectionResponse>(
        Unsupported("simvus describes collections by name, not by collectionID"));
  }
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), request.collection_name(), &info);
  if (!IsOk(found)) co_return Failed<mm::DescribeCollectionResponse>(found);
  mm::DescribeCollectionResponse response;
  response.mutable_status();
  *response.mutable_schema() = SchemaToMilvus(info.schema());
  response.set_collectionid(info.id());
  *response.mutable_virtual_channel_names() = info.vchannels();
  *response.mutable_physical_channel_names() = info.pchannels();
  response.set_created_timestamp(info.create_ts());
  response.set_created_utc_timestamp(
      static_cast<uint64_t>(Timestamp{info.create_ts()}.physical_ms()));
  response.set_shards_num(info.schema().shards_num());
  response.set_consistency_level(LevelOf(info.schema().name()));
  response.set_collection_name(info.schema().name());
  auto properties = properties_.find(info.schema().name());
  if (properties != properties_.end()) *response.mutable_properties() = properties->second;
  response.set_db_name("default");
  response.set_update_timestamp(info.create_ts());
  response.set_update_timestamp_str(std::to_string(info.create_ts()));
  co_return response;
}

Task<mm::BoolResponse> MilvusFrontend::HasCollection(mm::HasCollectionRequest request) {
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), request.collection_name(), &info);
  mm::BoolResponse response;
  if (found.code() == kCollectionNotFound) {
    response.set_value(false);
  } else if (!IsOk(found)) {
    *response.mutable_status() = found;
  } else {
    response.set_value(true);
  }
  co_return response;
}

Task<mc::Status> MilvusFrontend::DropCollection(mm::DropCollectionRequest request) {
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), request.collection_name(), &info);
  if (!IsOk(found)) co_return found;
  co_return Unsupported("simvus cannot drop collections (collection " + request.collection_name() +
                        ")");
}

Task<mm::ShowCollectionsResponse> MilvusFrontend::ShowCollections(
    mm::ShowCollectionsRequest request) {
  using Response = mm::ShowCollectionsResponse;
  if (!request.db_name().empty() && request.db_name() != "default") {
    co_return Failed<Response>(DatabaseNotFound(request.db_name()));
  }
  if (env_.meta_store == nullptr) {
    co_return Failed<Response>(
        Unsupported("ShowCollections needs the frontend node's MetaStore (RootCoord's metadata)"));
  }
  const std::string prefix = roles::kCollectionPrefix;
  const RangeRequest range{.key = prefix, .range_end = PrefixEnd(prefix)};
  Result<RangeResult> listed = co_await env_.meta_store->Range(range);
  if (!listed.ok()) co_return Failed<Response>(ToMilvus(listed.status(), ""));
  const bool in_memory = request.type() == mm::ShowType::InMemory;
  std::vector<std::string> asked(request.collection_names().begin(),
                                 request.collection_names().end());
  Response response;
  response.mutable_status();
  for (const KeyValue& kv : listed->kvs) {
    proto::CollectionInfo info;
    if (!info.ParseFromString(kv.value)) continue;
    const std::string& name = info.schema().name();
    if (in_memory && !asked.empty() && std::find(asked.begin(), asked.end(), name) == asked.end()) {
      continue;
    }
    int64_t progress = -1;
    if (in_memory) {
      proto::GetLoadingProgressRequest ask;
      ask.set_collection(name);
      Result<proto::GetLoadingProgressResponse> loading =
          co_await CallProxy<proto::GetLoadingProgressResponse>(roles::kProxyGetLoadingProgress,
                                                                ask);
      if (!loading.ok()) continue;  // not loaded: not in memory
      progress = loading->progress();
    }
    response.add_collection_names(name);
    response.add_collection_ids(info.id());
    response.add_created_timestamps(info.create_ts());
    response.add_created_utc_timestamps(
        static_cast<uint64_t>(Timestamp{info.create_ts()}.physical_ms()));
    if (in_memory) {
      response.add_inmemory_percentages(progress);
      response.add_query_service_available(progress >= 100);
    }
  }
  if (in_memory) {
    for (const std::string& name : asked) {
      if (std::find(response.collection_names().begin(), response.collection_names().end(), name) ==
          response.collection_names().end()) {
        co_return Failed<Response>(CollectionNotLoaded(name));
      }
    }
  }
  co_return response;
}

Task<mm::GetCollectionStatisticsResponse> MilvusFrontend::GetCollectionStatistics(
    mm::GetCollectionStatisticsRequest request) {
  using Response = mm::GetCollectionStatisticsResponse;
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), request.collection_name(), &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  if (env_.meta_store == nullptr) {
    co_return Failed<Response>(Unsupported(
        "GetCollectionStatistics needs the frontend node's MetaStore (DataCoord's metadata)"));
  }
  const std::string prefix = roles::kSegmentPrefix + std::to_string(info.id()) + "/";
  const RangeRequest range{.key = prefix, .range_end = PrefixEnd(prefix)};
  Result<RangeResult> segments = co_await env_.meta_store->Range(range);
  if (!segments.ok()) co_return Failed<Response>(ToMilvus(segments.status(), info.schema().name()));
  int64_t rows = 0;
  for (const KeyValue& kv : segments->kvs) {
    proto::SegmentInfo segment;
    if (!segment.ParseFromString(kv.value)) continue;
    if (segment.state() == proto::FLUSHED && segment.level() != proto::L0) {
      rows += segment.num_rows();
    }
  }
  Response response;
  response.mutable_status();
  mc::KeyValuePair* row_count = response.add_stats();
  row_count->set_key("row_count");
  row_count->set_value(std::to_string(rows));
  co_return response;
}

// ---------------------------------------------------------------- writes

Task<mm::MutationResult> MilvusFrontend::Write(
    const char* method, std::string db, std::string collection, std::string partition,
    google::protobuf::RepeatedPtrField<ms::FieldData> fields, uint32_t num_rows) {
  using Response = mm::MutationResult;
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(db, collection, &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  if (!IsDefaultPartition(partition)) co_return Failed<Response>(PartitionNotFound(partition));
  proto::InsertRequest insert;
  mc::Status rows = RowsFromMilvus(info.schema(), collection, fields, num_rows, &insert);
  if (!IsOk(rows)) co_return Failed<Response>(rows);
  Result<proto::MutationResult> written = co_await CallProxy<proto::MutationResult>(method, insert);
  if (!written.ok()) co_return Failed<Response>(ToMilvus(written.status(), collection));
  Response response;
  response.mutable_status();
  *response.mutable_ids()->mutable_int_id()->mutable_data() = written->pks();
  for (int i = 0; i < written->pks_size(); ++i) response.add_succ_index(static_cast<uint32_t>(i));
  response.set_insert_cnt(written->pks_size());
  if (std::string(method) == roles::kUpsert) response.set_upsert_cnt(written->pks_size());
  response.set_timestamp(written->timestamp());
  co_return response;
}

Task<mm::MutationResult> MilvusFrontend::Insert(mm::InsertRequest request) {
  return Write(roles::kInsert, request.db_name(), request.collection_name(),
               request.partition_name(), std::move(*request.mutable_fields_data()),
               request.num_rows());
}

Task<mm::MutationResult> MilvusFrontend::Upsert(mm::UpsertRequest request) {
  return Write(roles::kUpsert, request.db_name(), request.collection_name(),
               request.partition_name(), std::move(*request.mutable_fields_data()),
               request.num_rows());
}

Task<mc::Status> MilvusFrontend::PksToDelete(const proto::CollectionInfo& info,
                                             const std::string& expr, mc::ConsistencyLevel level,
                                             std::vector<int64_t>* pks) {
  const std::string& name = info.schema().name();
  if (expr.empty()) co_return ParameterInvalid("expr cannot be empty in delete");
  Result<expr::NodePtr> tree = expr::Parse(expr);
  if (!tree.ok())
    co_return ParameterInvalid("cannot parse expression: " + expr +
                               ", error: " + tree.status().message());
  const int pk = PrimaryKeyIndex(info.schema());
  if (SimplePks(**tree, info.schema().fields(pk).name(), pks)) co_return mc::Status();
  proto::QueryRequest query;
  query.set_collection(name);
  query.set_filter(expr);
  proto::ConsistencyLevel simvus_level = proto::STRONG;
  uint64_t guarantee = 0;
  ReadLevel(name, level, /*use_default=*/false, 0, &simvus_level, &guarantee);
  query.set_consistency(simvus_level);
  query.set_guarantee_ts(guarantee);
  Result<proto::QueryResults> found = co_await CallProxy<proto::QueryResults>(roles::kQuery, query);
  if (!found.ok()) co_return ToMilvus(found.status(), name);
  pks->assign(found->pks().begin(), found->pks().end());
  co_return mc::Status();
}

Task<mm::MutationResult> MilvusFrontend::Delete(mm::DeleteRequest request) {
  using Response = mm::MutationResult;
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  if (!IsDefaultPartition(request.partition_name())) {
    co_return Failed<Response>(PartitionNotFound(request.partition_name()));
  }
  if (!request.expr_template_values().empty()) {
    co_return Failed<Response>(Unsupported("simvus has no expression templates"));
  }
  std::vector<int64_t> pks;
  mc::Status selected =
      co_await PksToDelete(info, request.expr(), request.consistency_level(), &pks);
  if (!IsOk(selected)) co_return Failed<Response>(selected);
  Response response;
  response.mutable_status();
  response.mutable_ids()->mutable_int_id();
  if (pks.empty()) co_return response;  // nothing matched: nothing to delete
  proto::DeleteRequest del;
  del.set_collection(name);
  for (int64_t pk : pks) del.add_pks(pk);
  Result<proto::MutationResult> deleted =
      co_await CallProxy<proto::MutationResult>(roles::kDelete, del);
  if (!deleted.ok()) co_return Failed<Response>(ToMilvus(deleted.status(), name));
  *response.mutable_ids()->mutable_int_id()->mutable_data() = deleted->pks();
  response.set_delete_cnt(deleted->pks_size());
  response.set_timestamp(deleted->timestamp());
  co_return response;
}

// ---------------------------------------------------------------- flush

Task<mm::FlushResponse> MilvusFrontend::Flush(mm::FlushRequest request) {
  using Response = mm::FlushResponse;
  Response response;
  response.mutable_status();
  response.set_db_name("default");
  for (const std::string& name : request.collection_names()) {
    proto::CollectionInfo info;
    mc::Status found = co_await Resolve(request.db_name(), name, &info);
    if (!IsOk(found)) co_return Failed<Response>(found);
    proto::FlushRequest flush;
    flush.set_collection(name);
    Result<proto::FlushResponse> flushed =
        co_await CallProxy<proto::FlushResponse>(roles::kFlush, flush);
    if (!flushed.ok()) co_return Failed<Response>(ToMilvus(flushed.status(), name));
    *(*response.mutable_coll_segids())[name].mutable_data() = flushed->segment_ids();
    *(*response.mutable_flush_coll_segids())[name].mutable_data() = flushed->flushed_segment_ids();
    (*response.mutable_coll_seal_times())[name] =
        Timestamp{flushed->flush_ts()}.physical_ms() / 1000;
    (*response.mutable_coll_flush_ts())[name] = flushed->flush_ts();
    // The Node SDK's flushSync asks GetFlushState by segment ids alone: remember whose they are.
    FlushRecord record;
    record.collection = name;
    record.flush_ts = flushed->flush_ts();
    for (int64_t segment : flushed->segment_ids()) flushes_[segment] = record;
    while (flushes_.size() > kMaxFlushRecords) flushes_.erase(flushes_.begin());
  }
  co_return response;
}

Task<mm::GetFlushStateResponse> MilvusFrontend::GetFlushState(mm::GetFlushStateRequest request) {
  using Response = mm::GetFlushStateResponse;
  std::string name = request.collection_name();
  uint64_t flush_ts = request.flush_ts();
  if (name.empty()) {
    // Segment ids alone (the Node SDK's flushSync): the collection and flush ts of the Flush that
    // named them. No segments: nothing to wait for, as in Milvus.
    for (int64_t segment : request.segmentids()) {
      auto record = flushes_.find(segment);
      if (record == flushes_.end()) co_return Failed<Response>(SegmentNotFound(segment));
      if (!name.empty() && record->second.collection != name) {
        co_return Failed<Response>(
            ParameterInvalid("the segments of one GetFlushState belong to one collection", name,
                             record->second.collection));
      }
      name = record->second.collection;
      flush_ts = std::max(flush_ts, record->second.flush_ts);
    }
    if (name.empty()) {
      Response response;
      response.mutable_status();
      response.set_flushed(true);
      co_return response;
    }
  }
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  proto::GetFlushStateRequest state;
  state.set_collection(name);
  *state.mutable_segment_ids() = request.segmentids();
  state.set_flush_ts(flush_ts);
  Result<proto::GetFlushStateResponse> answer =
      co_await CallProxy<proto::GetFlushStateResponse>(roles::kProxyGetFlushState, state);
  if (!answer.ok()) {
    const std::string& message = answer.status().message();
    if (answer.status().code() == StatusCode::kNotFound &&
        message.find("segment") != std::string::npos) {
      for (int64_t segment : request.segmentids()) {
        if (message.find(std::to_string(segment)) != std::string::npos) {
          co_return Failed<Response>(SegmentNotFound(segment));
        }
      }
    }
    co_return Failed<Response>(ToMilvus(answer.status(), name));
  }
  Response response;
  response.mutable_status();
  response.set_flushed(answer->flushed());
  co_return response;
}

// ---------------------------------------------------------------- indexes

Task<mc::Status> MilvusFrontend::CreateIndex(mm::CreateIndexRequest request) {
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return found;
  const proto::CollectionSchema& schema = info.schema();
  const proto::FieldSchema* field = nullptr;
  for (const proto::FieldSchema& f : schema.fields()) {
    if (f.name() == request.field_name()) field = &f;
  }
  if (request.field_name().empty()) co_return ParameterInvalid("field name should not be empty");
  if (field == nullptr) co_return FieldNotFound(request.field_name());
  if (field->type() != proto::FLOAT_VECTOR) {
    co_return Unsupported("simvus indexes vector fields only (field " + field->name() + " is " +
                          proto::DataType_Name(field->type()) + ")");
  }
  std::map<std::string, std::string> params;
  mc::Status parsed = IndexParamsFromMilvus(request.extra_params(), schema, &params);
  if (!IsOk(parsed)) co_return parsed;
  proto::CreateIndexRequest create;
  create.set_collection(name);
  create.set_field_name(field->name());
  create.set_index_name(request.index_name());
  for (const auto& [key, value] : params) (*create.mutable_params())[key] = value;
  Result<proto::Empty> created = co_await CallProxy<proto::Empty>(roles::kProxyCreateIndex, create);
  if (!created.ok()) {
    if (created.status().code() == StatusCode::kAlreadyExists) {
      co_return ParameterInvalid("at most one distinct index is allowed per field");
    }
    co_return ToMilvus(created.status(), name);
  }
  co_return mc::Status();
}

Task<mm::DescribeIndexResponse> MilvusFrontend::DescribeIndex(mm::DescribeIndexRequest request) {
  using Response = mm::DescribeIndexResponse;
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  proto::DescribeIndexRequest describe;
  describe.set_collection(name);
  Result<proto::DescribeIndexResponse> index =
      co_await CallProxy<proto::DescribeIndexResponse>(roles::kProxyDescribeIndex, describe);
  if (!index.ok() && index.status().code() == StatusCode::kNotFound) {
    co_return Failed<Response>(IndexNotFound(name));
  }
  if (!index.ok()) co_return Failed<Response>(ToMilvus(index.status(), name));
  const proto::IndexInfo& i = index->info();
  if ((!request.field_name().empty() && request.field_name() != i.field_name()) ||
      (!request.index_name().empty() && request.index_name() != i.index_name())) {
    co_return Failed<Response>(IndexNotFound(name));
  }
  Response response;
  response.mutable_status();
  mm::IndexDescription* d = response.add_index_descriptions();
  d->set_index_name(i.index_name());
  d->set_indexid(static_cast<int64_t>(i.create_ts()));
  *d->mutable_params() = IndexParamsToMilvus(i.params());
  d->set_field_name(i.field_name());
  d->set_indexed_rows(index->indexed_rows());
  d->set_total_rows(index->total_rows());
  d->set_pending_index_rows(index->total_rows() - index->indexed_rows());
  if (index->state() == "Finished") {
    d->set_state(mc::IndexState::Finished);
  } else if (index->state() == "Failed") {
    d->set_state(mc::IndexState::Failed);
    d->set_index_state_fail_reason(std::to_string(index->failed_segments()) +
                                   " segment(s) failed to build");
  } else {
    d->set_state(mc::IndexState::InProgress);
  }
  co_return response;
}

// ---------------------------------------------------------------- load

Task<mc::Status> MilvusFrontend::LoadCollection(mm::LoadCollectionRequest request) {
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return found;
  if (!request.resource_groups().empty()) {
    co_return Unsupported("simvus has no resource groups");
  }
  // Milvus loads only what is indexed: a vector field without an index refuses the load.
  proto::DescribeIndexRequest describe;
  describe.set_collection(name);
  Result<proto::DescribeIndexResponse> index =
      co_await CallProxy<proto::DescribeIndexResponse>(roles::kProxyDescribeIndex, describe);
  if (!index.ok() && index.status().code() == StatusCode::kNotFound) {
    const std::string field = info.schema().fields(VectorIndex(info.schema())).name();
    co_return MilvusStatus(kIndexNotFound, "there is no vector index on field: [" + field +
                                               "], please create index firstly: index not found"
                                               "[collection=" +
                                               name + "]");
  }
  if (!index.ok()) co_return ToMilvus(index.status(), name);
  proto::LoadCollectionRequest load;
  load.set_collection(name);
  load.set_replica_number(request.replica_number());
  Result<proto::Empty> loaded = co_await CallProxy<proto::Empty>(roles::kLoadCollection, load);
  if (!loaded.ok()) {
    if (loaded.status().code() == StatusCode::kFailedPrecondition) {
      co_return ParameterInvalid("can't change the replica number for loaded collection: " +
                                 loaded.status().message());
    }
    co_return ToMilvus(loaded.status(), name);
  }
  co_return mc::Status();
}

Task<mm::GetLoadingProgressResponse> MilvusFrontend::GetLoadingProgress(
    mm::GetLoadingProgressRequest request) {
  using Response = mm::GetLoadingProgressResponse;
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, request.partition_names(), &info);
  if (!IsOk(found)) co_return Failed<Response>(found);
  proto::GetLoadingProgressRequest ask;
  ask.set_collection(name);
  Result<proto::GetLoadingProgressResponse> progress =
      co_await CallProxy<proto::GetLoadingProgressResponse>(roles::kProxyGetLoadingProgress, ask);
  if (!progress.ok()) co_return Failed<Response>(ToMilvus(progress.status(), name));
  Response response;
  response.mutable_status();
  response.set_progress(progress->progress());
  response.set_refresh_progress(progress->progress());
  co_return response;
}

Task<mm::GetLoadStateResponse> MilvusFrontend::GetLoadState(mm::GetLoadStateRequest request) {
  using Response = mm::GetLoadStateResponse;
  const std::string name = request.collection_name();
  Response response;
  response.mutable_status();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (found.code() == kCollectionNotFound) {
    response.set_state(mc::LoadState::LoadStateNotExist);  // Milvus answers success here
    co_return response;
  }
  if (!IsOk(found)) co_return Failed<Response>(found);
  proto::GetLoadingProgressRequest ask;
  ask.set_collection(name);
  Result<proto::GetLoadingProgressResponse> progress =
      co_await CallProxy<proto::GetLoadingProgressResponse>(roles::kProxyGetLoadingProgress, ask);
  if (!progress.ok()) {
    if (progress.status().code() == StatusCode::kFailedPrecondition) {
      response.set_state(mc::LoadState::LoadStateNotLoad);
      co_return response;
    }
    co_return Failed<Response>(ToMilvus(progress.status(), name));
  }
  response.set_state(progress->progress() >= 100 ? mc::LoadState::LoadStateLoaded
                                                 : mc::LoadState::LoadStateLoading);
  co_return response;
}

Task<mc::Status> MilvusFrontend::ReleaseCollection(mm::ReleaseCollectionRequest request) {
  const std::string name = request.collection_name();
  proto::CollectionInfo info;
  mc::Status found = co_await Resolve(request.db_name(), name, &info);
  if (!IsOk(found)) co_return found;
  proto::ReleaseCollectionRequest release;
  release.set_collection(name);
  Result<proto::Empty> released =
      co_await CallProxy<proto::Empty>(roles::kReleaseCollection, release);
  if (!released.ok()) co_return ToMilvus(released.status(), name);
  co_return mc::Status();
}

}  // namespace simvus::real::milvus_api
