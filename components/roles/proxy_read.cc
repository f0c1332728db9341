// The proxy's read path: Search and Query (semantics §3, §7, §9). See proxy.h.
#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "components/env/rpc.h"
#include "components/env/when_all.h"
#include "components/expr/predicate.h"
#include "components/roles/proxy.h"
#include "components/roles/routing.h"
#include "components/roles/row_conversion.h"
#include "components/roles/segment_reads.h"
#include "components/segment/reduce.h"

namespace simvus::roles {

namespace {

bool Retriable(const Status& status) {
  return status.code() == StatusCode::kUnavailable ||
         status.code() == StatusCode::kDeadlineExceeded || status.code() == StatusCode::kNotFound;
}

// Injected bug "reduce-keeps-duplicates": each query's hits from the shards merged best first and
// cut, without keeping one copy per pk.
QueryHits MergeKeepingDuplicates(const std::vector<segment::SearchResult>& parts, int64_t topk,
                                 ann::MetricType metric) {
  QueryHits queries(parts.empty() ? 0 : parts[0].queries.size());
  const bool larger_is_better = ann::PositivelyRelated(metric);
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<segment::Hit>& hits = queries[q];
    for (const segment::SearchResult& part : parts) {
      for (const segment::Hit& hit : part.queries[q]) hits.push_back(hit);
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [larger_is_better](const segment::Hit& a, const segment::Hit& b) {
                       return larger_is_better ? a.score > b.score : a.score < b.score;
                     });
    if (static_cast<int64_t>(hits.size()) > topk) hits.resize(static_cast<size_t>(topk));
  }
  return queries;
}

// A filter must parse and name only scalar fields of the schema (errors say where and why).
Status ValidateFilter(const proto::CollectionSchema& schema, const std::string& filter) {
  if (filter.empty()) return Status::Ok();
  Result<expr::Predicate> compiled =
      expr::Predicate::Compile(filter, SegmentSchemaOf(schema).ScalarFields());
  if (!compiled.ok()) return InvalidArgument("filter: " + compiled.status().message());
  return Status::Ok();
}

Status ValidateOutputFields(const proto::CollectionSchema& schema,
                            const google::protobuf::RepeatedPtrField<std::string>& names) {
  for (const std::string& name : names) {
    bool known = false;
    for (const proto::FieldSchema& field : schema.fields()) known = known || field.name() == name;
    if (!known) return InvalidArgument("output field '" + name + "': not in the collection schema");
  }
  return Status::Ok();
}

// Generic checks; the worker checks the values against the segment's index (nprobe <= nlist...).
Status ValidateSearchParams(const google::protobuf::Map<std::string, std::string>& params) {
  const std::map<std::string, std::string> sorted(params.begin(), params.end());
  for (const auto& [key, value] : sorted) {
    if (key != "nprobe" && key != "ef") continue;
    int64_t v = 0;
    size_t used = 0;
    try {
      v = std::stoll(value, &used);
    } catch (...) {
      used = 0;
    }
    if (used != value.size() || used == 0 || v < 1 || v > (int64_t{1} << 31)) {
      return InvalidArgument("search param " + key + "='" + value +
                             "': expected an integer in [1, 2^31]");
    }
  }
  return Status::Ok();
}

std::string PkFieldOf(const proto::CollectionSchema& schema) {
  for (const proto::FieldSchema& field : schema.fields()) {
    if (field.is_primary_key()) return field.name();
  }
  return "pk";
}

}  // namespace

Task<Result<Timestamp>> Proxy::GuaranteeTs(proto::ConsistencyLevel level, uint64_t given,
                                           const std::string& what) {
  switch (level) {
    case proto::STRONG: {
      Result<Timestamp> ts = co_await AllocTimestamp();
      if (!ts.ok()) co_return ts.status();
      env_.Step("proxy.search",
                "Strong " + what + ": guarantee ts = fresh TSO ts " + ToString(*ts) +
                    "; every write acked before now has a smaller ts",
                config_.root_coord, env_.node);
      co_return *ts;
    }
    case proto::BOUNDED:
      co_return Timestamp::Compose(env_.clock->Now().unix_ms(), 0)
          .AddPhysical(Duration::Zero() - config_.graceful_time);
    case proto::EVENTUALLY:
      co_return Timestamp{1};
    case proto::SESSION:
      // Injected bug "ignore-session-ts": the client's last write ts is dropped.
      if (config_.injected_bug == ClusterConfig::InjectedBug::kIgnoreSessionTs) {
        co_return Timestamp{1};
      }
      co_return Timestamp{std::max<uint64_t>(given, 1)};
    default:
      co_return Timestamp{std::max<uint64_t>(given, 1)};
  }
}

Task<Result<proto::GetShardLeadersResponse>> Proxy::ShardLeaders(const std::string& collection,
                                                                 bool refresh) {
  auto it = leaders_.find(collection);
  if (!refresh && it != leaders_.end() &&
      env_.clock->Now() - it->second.fetched < config_.shard_leader_cache_ttl) {
    co_return it->second.leaders;
  }
  proto::GetShardLeadersRequest request;
  request.set_collection(collection);
  Result<proto::GetShardLeadersResponse> leaders =
      co_await CallProto<proto::GetShardLeadersResponse>(
          *env_.transport, config_.query_coord, kGetShardLeaders, request, config_.rpc_deadline);
  if (!leaders.ok()) {
    // QueryCoord unreachable: the last known leaders are still the best guess (a delegator that
    // moved answers "not the delegator" and the read retries). Not loaded: forget them.
    if (leaders.status().code() == StatusCode::kFailedPrecondition) leaders_.erase(collection);
    if (Retriable(leaders.status()) && it != leaders_.end()) co_return it->second.leaders;
    co_return leaders.status();
  }
  leaders_[collection] = CachedLeaders{*leaders, env_.clock->Now()};
  co_return *leaders;
}

template <typename Resp>
Task<Result<Resp>> Proxy::CallShard(const std::string& collection, int32_t shard,
                                    std::function<Task<Result<Resp>>(std::string node)> call) {
  const Instant give_up = env_.clock->Now() + config_.read_retry_budget;
  Status last = Unavailable("no delegator tried");
  for (int attempt = 0;; ++attempt) {
    Result<proto::GetShardLeadersResponse> leaders = co_await ShardLeaders(collection, attempt > 0);
    if (leaders.ok() && shard < leaders->shards_size()) {
      const proto::ShardLeaders& replicas = leaders->shards(shard);
      const int n = replicas.nodes_size();
      const uint64_t first = next_replica_++;
      for (int i = 0; i < n; ++i) {
        const std::string node = replicas.nodes(static_cast<int>((first + i) % n));
        Result<Resp> answer = co_await call(node);
        if (answer.ok() || !Retriable(answer.status())) co_return answer;
        last = answer.status();
        env_.Step("proxy.retry", "shard " + replicas.vchannel() + " on " + node + ": " +
                                     last.ToString() + "; tries another replica or leader");
      }
    } else if (!leaders.ok()) {
      if (!Retriable(leaders.status())) co_return leaders.status();
      last = leaders.status();
    }
    if (env_.clock->Now() >= give_up) co_return last;
    co_await env_.clock->Sleep(Duration::Millis(std::min(1000, 100 << std::min(attempt, 3))));
  }
}

Task<Result<proto::ShardQueryResponse>> Proxy::QueryShard(const std::string& collection,
                                                          int32_t shard,
                                                          proto::ShardQueryRequest request) {
  std::function<Task<Result<proto::ShardQueryResponse>>(std::string)> call =
      [this, request](std::string node) -> Task<Result<proto::ShardQueryResponse>> {
    co_return co_await CallProto<proto::ShardQueryResponse>(*env_.transport, node, kShardQuery,
                                                            request, config_.rpc_deadline);
  };
  co_return co_await CallShard<proto::ShardQueryResponse>(collection, shard, call);
}

Task<Result<proto::SearchResults>> Proxy::Search(proto::SearchRequest request) {
  Result<proto::CollectionInfo> info = co_await GetCollection(request.collection());
  if (!info.ok()) co_return info.status();
  int32_t dim = 0;
  for (const proto::FieldSchema& field : info->schema().fields()) {
    if (field.type() == proto::FLOAT_VECTOR) dim = field.dim();
  }
  // Milvus's nq: query vectors in one request, 1..quotaAndLimits.limits.maxNQ (16384).
  const int32_t nq = request.nq() == 0 ? 1 : request.nq();
  if (nq < 1 || nq > segment::kMaxNq) {
    co_return InvalidArgument("nq " + std::to_string(request.nq()) + ": expected 1.." +
                              std::to_string(segment::kMaxNq) + " query vectors (0: 1)");
  }
  if (request.vector_size() != int64_t{nq} * dim) {
    co_return InvalidArgument(
        nq == 1 ? "search vector: dim " + std::to_string(request.vector_size()) + ", expected " +
                      std::to_string(dim)
                : "search vectors: " + std::to_string(request.vector_size()) + " floats for nq " +
                      std::to_string(nq) +
                      ", expected nq x dim = " + std::to_string(int64_t{nq} * dim));
  }
  if (request.topk() < 1 || request.offset() < 0 ||
      int64_t{request.topk()} + request.offset() > segment::kMaxTopK) {
    co_return InvalidArgument("topk " + std::to_string(request.topk()) + " + offset " +
                              std::to_string(request.offset()) + ": expected topk >= 1, offset " +
                              ">= 0 and topk + offset <= " + std::to_string(segment::kMaxTopK));
  }
  SIMVUS_CO_RETURN_IF_ERROR(ValidateFilter(info->schema(), request.filter()));
  SIMVUS_CO_RETURN_IF_ERROR(ValidateOutputFields(info->schema(), request.output_fields()));
  SIMVUS_CO_RETURN_IF_ERROR(ValidateSearchParams(request.params()));
  Result<Timestamp> guarantee =
      co_await GuaranteeTs(request.consistency(), request.guarantee_ts(), "search");
  if (!guarantee.ok()) co_return guarantee.status();
  proto::SearchResults results;
  results.set_guarantee_ts(guarantee->value);
  results.set_metric(info->schema().metric());
  const int64_t k = int64_t{request.topk()} + request.offset();
  std::vector<segment::SearchResult> parts;  // one per shard, reduced below
  // Every shard at once; no partial results (semantics §7).
  std::vector<std::function<Task<Result<proto::ShardSearchResponse>>()>> calls;
  for (int32_t shard = 0; shard < info->vchannels_size(); ++shard) {
    proto::ShardSearchRequest sub;
    sub.set_vchannel(info->vchannels(shard));
    sub.set_collection_id(info->id());
    *sub.mutable_vector() = request.vector();
    sub.set_nq(nq);
    sub.set_topk(static_cast<int32_t>(k));
    sub.set_guarantee_ts(guarantee->value);
    sub.set_filter(request.filter());
    *sub.mutable_params() = request.params();
    calls.push_back(
        [this, sub, shard,
         collection = request.collection()]() -> Task<Result<proto::ShardSearchResponse>> {
          std::function<Task<Result<proto::ShardSearchResponse>>(std::string)> call =
              [this, sub](std::string node) -> Task<Result<proto::ShardSearchResponse>> {
            co_return co_await CallProto<proto::ShardSearchResponse>(
                *env_.transport, node, kShardSearch, sub, config_.rpc_deadline);
          };
          co_return co_await CallShard<proto::ShardSearchResponse>(collection, shard, call);
        });
  }
  std::vector<Result<proto::ShardSearchResponse>> answers =
      co_await WhenAll<proto::ShardSearchResponse>(env_, std::move(calls));
  for (int32_t shard = 0; shard < info->vchannels_size(); ++shard) {
    Result<proto::ShardSearchResponse>& answer = answers[static_cast<size_t>(shard)];
    if (!answer.ok()) co_return answer.status();
    proto::ShardSnapshot* snapshot = results.add_snapshots();
    snapshot->set_vchannel(info->vchannels(shard));
    snapshot->set_mvcc_ts(answer->mvcc_ts());
    parts.push_back(
        SearchResultOf(answer->hits(), answer->topks(), MetricOf(info->schema().metric())));
    if (parts.back().queries.size() != static_cast<size_t>(nq)) {
      co_return Internal("shard " + info->vchannels(shard) + " answered " +
                         std::to_string(parts.back().queries.size()) + " queries of " +
                         std::to_string(nq));
    }
  }
  // The proxy's reduce (semantics §9), per query: best score per pk, best first, then offset and
  // top-k.
  QueryHits hits;
  if (config_.injected_bug == ClusterConfig::InjectedBug::kReduceKeepsDuplicates) {
    hits = MergeKeepingDuplicates(parts, k, MetricOf(info->schema().metric()));
    for (std::vector<segment::Hit>& query : hits) {
      query.erase(
          query.begin(),
          query.begin() + std::min<int64_t>(request.offset(), static_cast<int64_t>(query.size())));
    }
  } else {
    Result<segment::SearchResult> merged =
        segment::ReduceSearchResults(parts, request.topk(), request.offset());
    if (!merged.ok()) co_return merged.status();
    hits = std::move(merged->queries);
  }
  AddHits(hits, results.mutable_hits(), results.mutable_topks());
  if (request.output_fields_size() > 0 && results.hits_size() > 0) {
    SIMVUS_CO_RETURN_IF_ERROR(co_await FillOutputFields(*info, request, results));
  }
  co_return results;
}

Task<Status> Proxy::FillOutputFields(const proto::CollectionInfo& info,
                                     const proto::SearchRequest& request,
                                     proto::SearchResults& results) {
  const segment::CollectionSchema schema = SegmentSchemaOf(info.schema());
  const std::string pk_field = PkFieldOf(info.schema());
  std::map<int64_t, std::pair<int, int>> row_of;  // pk -> (shard's part, row in it)
  std::vector<proto::ShardQueryResponse> answers(static_cast<size_t>(info.vchannels_size()));
  for (int32_t shard = 0; shard < info.vchannels_size(); ++shard) {
    std::set<int64_t> of_shard;  // a pk found by several queries of a batch is fetched once
    for (const proto::Hit& hit : results.hits()) {
      if (ShardOfPk(hit.pk(), info.vchannels_size()) == shard) of_shard.insert(hit.pk());
    }
    std::string pks;
    for (int64_t pk : of_shard) pks += (pks.empty() ? "" : ", ") + std::to_string(pk);
    if (pks.empty()) continue;
    proto::ShardQueryRequest sub;
    sub.set_vchannel(info.vchannels(shard));
    sub.set_collection_id(info.id());
    sub.set_filter(pk_field + " in [" + pks + "]");
    sub.set_limit(-1);
    *sub.mutable_output_fields() = request.output_fields();
    sub.set_pin_mvcc(true);
    sub.set_mvcc_ts(results.snapshots(shard).mvcc_ts());
    Result<proto::ShardQueryResponse> answer =
        co_await QueryShard(request.collection(), shard, sub);
    if (!answer.ok()) co_return answer.status();
    for (int r = 0; r < answer->pks_size(); ++r) row_of[answer->pks(r)] = {shard, r};
    answers[static_cast<size_t>(shard)] = std::move(*answer);
  }
  for (const std::string& name : request.output_fields()) {
    Result<int> index = schema.FieldIndex(name);
    if (!index.ok()) co_return index.status();
    segment::FieldColumn column =
        segment::FieldColumn::Empty(schema.fields[static_cast<size_t>(*index)]);
    for (const proto::Hit& hit : results.hits()) {
      auto at = row_of.find(hit.pk());
      if (at == row_of.end()) {
        co_return Internal("output fields: pk " + std::to_string(hit.pk()) +
                           " was found by the search but not by its requery");
      }
      const proto::ShardQueryResponse& answer = answers[static_cast<size_t>(at->second.first)];
      for (const proto::FieldData& data : answer.fields()) {
        if (data.name() != name) continue;
        Result<segment::FieldColumn> values =
            FieldColumnOf(schema.fields[static_cast<size_t>(*index)], data);
        if (!values.ok()) co_return values.status();
        column.AppendRange(*values, at->second.second, at->second.second + 1);
      }
    }
    *results.add_fields() = FieldDataOf(name, column);
  }
  co_return Status::Ok();
}

Task<Result<proto::QueryResults>> Proxy::Query(proto::QueryRequest request) {
  Result<proto::CollectionInfo> info = co_await GetCollection(request.collection());
  if (!info.ok()) co_return info.status();
  bool count_only = false;
  google::protobuf::RepeatedPtrField<std::string> fields;
  for (const std::string& name : request.output_fields()) {
    if (name == "count(*)") {
      count_only = true;
    } else {
      *fields.Add() = name;
    }
  }
  if (count_only && !fields.empty()) {
    co_return InvalidArgument("output fields: count(*) cannot be mixed with other fields");
  }
  if (!count_only && request.filter().empty() && request.limit() <= 0) {
    co_return InvalidArgument("query: a filter or a limit is required");
  }
  if (request.limit() < 0 || request.offset() < 0 ||
      request.limit() + request.offset() > segment::kMaxTopK) {
    co_return InvalidArgument("limit " + std::to_string(request.limit()) + " + offset " +
                              std::to_string(request.offset()) +
                              ": expected limit + offset <= " + std::to_string(segment::kMaxTopK));
  }
  SIMVUS_CO_RETURN_IF_ERROR(ValidateFilter(info->schema(), request.filter()));
  SIMVUS_CO_RETURN_IF_ERROR(ValidateOutputFields(info->schema(), fields));
  Result<Timestamp> guarantee =
      co_await GuaranteeTs(request.consistency(), request.guarantee_ts(), "query");
  if (!guarantee.ok()) co_return guarantee.status();
  const segment::CollectionSchema schema = SegmentSchemaOf(info->schema());
  proto::QueryResults results;
  results.set_guarantee_ts(guarantee->value);
  std::vector<segment::QueryResult> parts;
  int64_t count = 0;
  const int64_t limit = request.limit() > 0 ? request.limit() + request.offset() : -1;
  std::vector<std::function<Task<Result<proto::ShardQueryResponse>>()>> calls;
  for (int32_t shard = 0; shard < info->vchannels_size(); ++shard) {
    proto::ShardQueryRequest sub;
    sub.set_vchannel(info->vchannels(shard));
    sub.set_collection_id(info->id());
    sub.set_filter(request.filter());
    sub.set_count_only(count_only);
    sub.set_limit(limit);
    sub.set_guarantee_ts(guarantee->value);
    *sub.mutable_output_fields() = fields;
    calls.push_back([this, sub, shard, collection = request.collection()]() {
      return QueryShard(collection, shard, sub);
    });
  }
  std::vector<Result<proto::ShardQueryResponse>> answers =
      co_await WhenAll<proto::ShardQueryResponse>(env_, std::move(calls));
  for (int32_t shard = 0; shard < info->vchannels_size(); ++shard) {
    Result<proto::ShardQueryResponse>& answer = answers[static_cast<size_t>(shard)];
    if (!answer.ok()) co_return answer.status();
    proto::ShardSnapshot* snapshot = results.add_snapshots();
    snapshot->set_vchannel(info->vchannels(shard));
    snapshot->set_mvcc_ts(answer->mvcc_ts());
    if (count_only) {
      count += answer->count();
      continue;
    }
    Result<segment::QueryResult> part = QueryResultOf(schema, *answer);
    if (!part.ok()) co_return part.status();
    parts.push_back(std::move(*part));
  }
  if (count_only) {
    results.set_count(count);
    co_return results;
  }
  Result<segment::QueryResult> merged = segment::ReduceQueryResults(parts, limit);
  if (!merged.ok()) co_return merged.status();
  const int64_t skip = std::min<int64_t>(request.offset(), merged->num_rows());
  for (int64_t r = skip; r < merged->num_rows(); ++r) {
    results.add_pks(std::get<int64_t>(merged->pks[static_cast<size_t>(r)]));
  }
  for (size_t f = 0; f < merged->field_names.size(); ++f) {
    segment::FieldColumn column = segment::FieldColumn::Empty(
        schema.fields[static_cast<size_t>(*schema.FieldIndex(merged->field_names[f]))]);
    column.AppendRange(merged->fields[f], skip, merged->num_rows());
    *results.add_fields() = FieldDataOf(merged->field_names[f], column);
  }
  co_return results;
}

}  // namespace simvus::roles
