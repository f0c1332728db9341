#include "scenarios/client.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/cluster_config.h"

namespace simvus::scenarios {

using reports::OpType;
using reports::Outcome;

namespace {

reports::Metric MetricOf(proto::MetricType metric) {
  switch (metric) {
    case proto::METRIC_IP:
      return reports::Metric::kIp;
    case proto::METRIC_COSINE:
      return reports::Metric::kCosine;
    default:
      return reports::Metric::kL2;
  }
}

}  // namespace

Client::Client(Env& env, reports::History& history, std::string proxy, Duration deadline)
    : env_(env), history_(history), proxy_(std::move(proxy)), deadline_(deadline) {}

std::vector<std::vector<proto::Hit>> HitsPerQuery(const proto::SearchResults& answer, int32_t nq) {
  std::vector<std::vector<proto::Hit>> out(static_cast<size_t>(std::max(nq, 0)));
  int next = 0;
  for (int32_t q = 0; q < nq; ++q) {
    const int count = q < answer.topks_size()    ? answer.topks(q)
                      : answer.topks_size() == 0 ? (q == 0 ? answer.hits_size() : 0)
                                                 : 0;
    for (int i = 0; i < count && next < answer.hits_size(); ++i, ++next) {
      out[static_cast<size_t>(q)].push_back(answer.hits(next));
    }
  }
  return out;
}

int64_t Client::Begin(OpType type, std::string label) {
  reports::Operation op;
  op.client = env_.node;
  op.type = type;
  op.label = std::move(label);
  // The client's own clock orders its operations (Jepsen records the harness clock the same way).
  op.invoke_at = Duration::Nanos(env_.clock->Now().unix_ns);
  return history_.Invoke(std::move(op));
}

void Client::Finish(int64_t index, const Status& status, bool is_write) {
  reports::Operation& op = history_.at(index);
  op.complete_at = Duration::Nanos(env_.clock->Now().unix_ns);
  if (status.ok()) {
    op.outcome = Outcome::kOk;
    return;
  }
  op.error = status.ToString();
  const StatusCode code = status.code();
  const bool rejected = code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ||
                        code == StatusCode::kAlreadyExists ||
                        code == StatusCode::kFailedPrecondition;
  op.outcome = (is_write && !rejected) ? Outcome::kInfo : Outcome::kFail;
}

Task<Result<proto::CollectionInfo>> Client::CreateCollection(proto::CollectionSchema schema) {
  const int64_t index = Begin(OpType::kCreateCollection, "create " + schema.name());
  proto::CreateCollectionRequest request;
  *request.mutable_schema() = std::move(schema);
  Result<proto::CollectionInfo> info = co_await CallProto<proto::CollectionInfo>(
      *env_.transport, proxy_, roles::kProxyCreateCollection, request, deadline_);
  Finish(index, info.status(), /*is_write=*/true);
  if (info.ok()) schemas_[info->schema().name()] = info->schema();
  co_return info;
}

Task<Status> Client::LoadCollection(std::string collection, int32_t replicas, Duration wait) {
  const int64_t index = Begin(OpType::kLoad, "load " + collection);
  proto::LoadCollectionRequest request;
  request.set_collection(collection);
  request.set_replica_number(replicas);
  Result<proto::Empty> loaded = co_await CallProto<proto::Empty>(
      *env_.transport, proxy_, roles::kLoadCollection, request, deadline_);
  Status status = loaded.status();
  const Instant give_up = env_.clock->Now() + wait;
  while (status.ok()) {
    proto::GetLoadingProgressRequest progress;
    progress.set_collection(collection);
    Result<proto::GetLoadingProgressResponse> p =
        co_await CallProto<proto::GetLoadingProgressResponse>(
            *env_.transport, proxy_, roles::kProxyGetLoadingProgress, progress, deadline_);
    if (p.ok() && p->progress() >= 100) break;
    if (env_.clock->Now() >= give_up) {
      status =
          DeadlineExceeded("load " + collection + ": not fully loaded after " + ToString(wait) +
                           (p.ok() ? " (progress " + std::to_string(p->progress()) + "%)"
                                   : ": " + p.status().ToString()));
      break;
    }
    co_await env_.clock->Sleep(Duration::Millis(200));
  }
  Finish(index, status, /*is_write=*/false);
  co_return status;
}

Task<Status> Client::ReleaseCollection(std::string collection) {
  const int64_t index = Begin(OpType::kRelease, "release " + collection);
  proto::ReleaseCollectionRequest request;
  request.set_collection(collection);
  Result<proto::Empty> released = co_await CallProto<proto::Empty>(
      *env_.transport, proxy_, roles::kReleaseCollection, request, deadline_);
  Finish(index, released.status(), /*is_write=*/false);
  co_return released.status();
}

void Client::SawWrite(const std::string& collection, uint64_t ts) {
  uint64_t& last = last_write_ts_[collection];
  last = std::max(last, ts);
}

uint64_t Client::GuaranteeFor(const std::string& collection, proto::ConsistencyLevel level,
                              uint64_t customized) const {
  if (level == proto::SESSION) return std::max<uint64_t>(last_write_ts(collection), 1);
  if (level == proto::CUSTOMIZED) return customized;
  return 0;
}

Task<Result<proto::MutationResult>> Client::Insert(std::string label, std::string collection,
                                                   std::vector<int64_t> pks,
                                                   std::vector<std::vector<float>> vectors) {
  return Write(OpType::kInsert, roles::kInsert, std::move(label), std::move(collection),
               std::move(pks), std::move(vectors));
}

Task<Result<proto::MutationResult>> Client::Upsert(std::string label, std::string collection,
                                                   std::vector<int64_t> pks,
                                                   std::vector<std::vector<float>> vectors) {
  return Write(OpType::kUpsert, roles::kUpsert, std::move(label), std::move(collection),
               std::move(pks), std::move(vectors));
}

Task<Result<proto::MutationResult>> Client::Write(OpType type, const char* rpc, std::string label,
                                                  std::string collection, std::vector<int64_t> pks,
                                                  std::vector<std::vector<float>> vectors) {
  proto::InsertRequest request;
  request.set_collection(collection);
  proto::FieldData* pk = request.add_fields();
  pk->set_name("pk");
  for (int64_t p : pks) pk->add_int64_data(p);
  proto::FieldData* vec = request.add_fields();
  vec->set_name("vec");
  vec->set_dim(vectors.empty() ? 0 : static_cast<int32_t>(vectors[0].size()));
  google::protobuf::RepeatedField<float>* floats = vec->mutable_float_vector();
  floats->Reserve(static_cast<int>(vectors.size() * static_cast<size_t>(vec->dim())));
  for (const auto& v : vectors) floats->Add(v.begin(), v.end());
  const int64_t index = Begin(type, label);
  history_.at(index).pks = std::move(pks);
  history_.at(index).vectors = std::move(vectors);
  Result<proto::MutationResult> result =
      co_await CallProto<proto::MutationResult>(*env_.transport, proxy_, rpc, request, deadline_);
  Finish(index, result.status(), /*is_write=*/true);
  if (result.ok()) {
    history_.at(index).ts = result->timestamp();
    SawWrite(collection, result->timestamp());
  }
  co_return result;
}

Task<Result<proto::MutationResult>> Client::InsertRaw(std::string label,
                                                      proto::InsertRequest request) {
  const int64_t index = Begin(OpType::kInsert, label);
  Result<proto::MutationResult> result = co_await CallProto<proto::MutationResult>(
      *env_.transport, proxy_, roles::kInsert, request, deadline_);
  Finish(index, result.status(), /*is_write=*/true);
  if (result.ok()) {
    // An insert that succeeded is modelled by its primary keys and vectors, found by the
    // schema's field names (every other field rides along unchecked).
    reports::Operation& op = history_.at(index);
    op.ts = result->timestamp();
    SawWrite(request.collection(), result->timestamp());
    auto schema = schemas_.find(request.collection());
    for (const proto::FieldData& field : request.fields()) {
      bool is_pk = field.name() == "pk", is_vector = field.name() == "vec";
      if (schema != schemas_.end()) {
        for (const proto::FieldSchema& f : schema->second.fields()) {
          if (f.name() != field.name()) continue;
          is_pk = f.is_primary_key();
          is_vector = f.type() == proto::FLOAT_VECTOR;
        }
      }
      if (is_pk) op.pks.assign(field.int64_data().begin(), field.int64_data().end());
      if (is_vector && field.dim() > 0) {
        for (int i = 0; i + field.dim() <= field.float_vector_size(); i += field.dim()) {
          op.vectors.emplace_back(field.float_vector().begin() + i,
                                  field.float_vector().begin() + i + field.dim());
        }
      }
    }
  }
  co_return result;
}

Task<Result<proto::MutationResult>> Client::Delete(std::string label, std::string collection,
                                                   std::vector<int64_t> pks) {
  proto::DeleteRequest request;
  request.set_collection(collection);
  for (int64_t p : pks) request.add_pks(p);
  const int64_t index = Begin(OpType::kDelete, label);
  history_.at(index).pks = pks;
  Result<proto::MutationResult> result = co_await CallProto<proto::MutationResult>(
      *env_.transport, proxy_, roles::kDelete, request, deadline_);
  Finish(index, result.status(), /*is_write=*/true);
  if (result.ok()) {
    history_.at(index).ts = result->timestamp();
    SawWrite(collection, result->timestamp());
  }
  co_return result;
}

Task<Result<proto::FlushResponse>> Client::Flush(std::string label, std::string collection,
                                                 Duration wait) {
  const int64_t index = Begin(OpType::kFlush, label);
  proto::FlushRequest request;
  request.set_collection(collection);
  Result<proto::FlushResponse> flushed = co_await CallProto<proto::FlushResponse>(
      *env_.transport, proxy_, roles::kFlush, request, deadline_);
  if (flushed.ok()) {
    history_.at(index).ts = flushed->flush_ts();
    proto::GetFlushStateRequest state;
    state.set_collection(collection);
    *state.mutable_segment_ids() = flushed->segment_ids();
    state.set_flush_ts(flushed->flush_ts());
    const Instant give_up = env_.clock->Now() + wait;
    for (;;) {
      Result<proto::GetFlushStateResponse> s = co_await CallProto<proto::GetFlushStateResponse>(
          *env_.transport, proxy_, roles::kProxyGetFlushState, state, deadline_);
      if (s.ok() && s->flushed()) break;
      if (env_.clock->Now() >= give_up) {
        flushed =
            DeadlineExceeded("flush of " + collection + ": not flushed after " + ToString(wait) +
                             (s.ok() ? " (" + std::to_string(s->unflushed_segments()) +
                                           " segment(s) unflushed, lowest checkpoint ts " +
                                           ToString(Timestamp{s->min_checkpoint_ts()}) + ")"
                                     : ": " + s.status().ToString()));
        break;
      }
      co_await env_.clock->Sleep(Duration::Millis(200));
    }
  }
  Finish(index, flushed.status(), /*is_write=*/false);
  co_return flushed;
}

Task<Status> Client::CreateIndex(std::string label, std::string collection, std::string field,
                                 std::map<std::string, std::string> params) {
  const int64_t index = Begin(OpType::kIndex, label);
  proto::CreateIndexRequest request;
  request.set_collection(collection);
  request.set_field_name(field);
  for (const auto& [k, v] : params) (*request.mutable_params())[k] = v;
  Result<proto::Empty> created = co_await CallProto<proto::Empty>(
      *env_.transport, proxy_, roles::kProxyCreateIndex, request, deadline_);
  Finish(index, created.status(), /*is_write=*/false);
  co_return created.status();
}

Task<Result<proto::DescribeIndexResponse>> Client::DescribeIndex(std::string label,
                                                                 std::string collection) {
  const int64_t index = Begin(OpType::kIndex, label);
  proto::DescribeIndexRequest request;
  request.set_collection(collection);
  Result<proto::DescribeIndexResponse> described = co_await CallProto<proto::DescribeIndexResponse>(
      *env_.transport, proxy_, roles::kProxyDescribeIndex, request, deadline_);
  Finish(index, described.status(), /*is_write=*/false);
  co_return described;
}

Task<Status> Client::DropIndex(std::string label, std::string collection) {
  const int64_t index = Begin(OpType::kIndex, label);
  proto::DropIndexRequest request;
  request.set_collection(collection);
  Result<proto::Empty> dropped = co_await CallProto<proto::Empty>(
      *env_.transport, proxy_, roles::kProxyDropIndex, request, deadline_);
  Finish(index, dropped.status(), /*is_write=*/false);
  co_return dropped.status();
}

Task<Result<proto::SearchResults>> Client::Search(std::string label, std::string collection,
                                                  std::vector<float> query, int32_t topk,
                                                  proto::ConsistencyLevel level) {
  return Search(std::move(label), std::move(collection), std::move(query), topk, level,
                ReadOptions{});
}

Task<Result<proto::SearchResults>> Client::Search(std::string label, std::string collection,
                                                  std::vector<float> query, int32_t topk,
                                                  proto::ConsistencyLevel level,
                                                  ReadOptions options) {
  std::vector<std::vector<float>> queries;
  queries.push_back(std::move(query));
  return SearchBatch(std::move(label), std::move(collection), std::move(queries), topk, level,
                     std::move(options));
}

Task<Result<proto::SearchResults>> Client::SearchBatch(std::string label, std::string collection,
                                                       std::vector<std::vector<float>> queries,
                                                       int32_t topk, proto::ConsistencyLevel level,
                                                       ReadOptions options) {
  const auto nq = static_cast<int32_t>(queries.size());
  proto::SearchRequest request;
  request.set_collection(collection);
  for (const std::vector<float>& query : queries) {
    for (float f : query) request.add_vector(f);
  }
  if (nq != 1) request.set_nq(nq);
  request.set_topk(topk);
  request.set_consistency(level);
  request.set_filter(options.filter);
  for (const auto& [key, value] : options.params) (*request.mutable_params())[key] = value;
  for (const std::string& field : options.output_fields) request.add_output_fields(field);
  const uint64_t guarantee = GuaranteeFor(collection, level, options.guarantee_ts);
  request.set_guarantee_ts(guarantee);
  std::vector<int64_t> indices;
  for (int32_t q = 0; q < nq; ++q) {
    indices.push_back(
        Begin(OpType::kSearch, nq == 1 ? label : label + "[" + std::to_string(q) + "]"));
    reports::Operation& op = history_.at(indices.back());
    op.query = queries[static_cast<size_t>(q)];
    op.topk = topk;
    op.consistency = static_cast<reports::Consistency>(level);
    op.requested_guarantee_ts = guarantee;
    op.filter = options.filter;
    op.nq = nq;
    op.query_in_batch = q;
  }
  Result<proto::SearchResults> result = co_await CallProto<proto::SearchResults>(
      *env_.transport, proxy_, roles::kSearch, request, deadline_);
  const std::vector<std::vector<proto::Hit>> per_query =
      result.ok() ? HitsPerQuery(*result, nq) : std::vector<std::vector<proto::Hit>>();
  for (int32_t q = 0; q < nq; ++q) {
    Finish(indices[static_cast<size_t>(q)], result.status(), /*is_write=*/false);
    if (!result.ok()) continue;
    reports::Operation& op = history_.at(indices[static_cast<size_t>(q)]);
    op.guarantee_ts = result->guarantee_ts();
    op.metric = MetricOf(result->metric());  // as the server scored it
    for (const proto::ShardSnapshot& s : result->snapshots()) op.mvcc_ts.push_back(s.mvcc_ts());
    for (const proto::Hit& h : per_query[static_cast<size_t>(q)]) {
      op.hits.push_back({h.pk(), h.distance()});
    }
  }
  co_return result;
}

Task<Result<proto::QueryResults>> Client::Query(std::string label, std::string collection,
                                                std::string filter, proto::ConsistencyLevel level,
                                                bool count_only, int64_t limit,
                                                uint64_t guarantee_ts) {
  proto::QueryRequest request;
  request.set_collection(collection);
  request.set_filter(filter);
  request.set_consistency(level);
  request.set_limit(limit);
  if (count_only) request.add_output_fields("count(*)");
  const uint64_t guarantee = GuaranteeFor(collection, level, guarantee_ts);
  request.set_guarantee_ts(guarantee);
  const int64_t index = Begin(OpType::kQuery, label);
  {
    reports::Operation& op = history_.at(index);
    op.consistency = static_cast<reports::Consistency>(level);
    op.requested_guarantee_ts = guarantee;
    op.filter = filter;
    op.count_only = count_only;
    op.limit = limit > 0 ? limit : -1;
  }
  Result<proto::QueryResults> result = co_await CallProto<proto::QueryResults>(
      *env_.transport, proxy_, roles::kQuery, request, deadline_);
  Finish(index, result.status(), /*is_write=*/false);
  if (result.ok()) {
    reports::Operation& op = history_.at(index);
    op.guarantee_ts = result->guarantee_ts();
    for (const proto::ShardSnapshot& s : result->snapshots()) op.mvcc_ts.push_back(s.mvcc_ts());
    op.result_pks.assign(result->pks().begin(), result->pks().end());
    op.count = result->count();
  }
  co_return result;
}

}  // namespace simvus::scenarios
