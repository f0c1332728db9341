#include "components/roles/proxy.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"
#include "components/roles/routing.h"
#include "components/roles/row_conversion.h"
#include "components/roles/session.h"

namespace simvus::roles {

Proxy::Proxy(Env& env, ClusterConfig config)
    : env_(env), config_(std::move(config)), stats_mutex_(env.executor) {}

void Proxy::Start() {
  RegisterProto<proto::InsertRequest, proto::MutationResult>(
      *env_.transport, kInsert,
      [this](std::string, proto::InsertRequest r) -> Task<Result<proto::MutationResult>> {
        const Instant start = env_.clock->Now();
        Result<proto::MutationResult> result = co_await Insert(std::move(r));
        RecordMutation("insert", start, result);
        co_return result;
      });
  RegisterProto<proto::InsertRequest, proto::MutationResult>(
      *env_.transport, kUpsert,
      [this](std::string, proto::InsertRequest r) -> Task<Result<proto::MutationResult>> {
        const Instant start = env_.clock->Now();
        Result<proto::MutationResult> result = co_await Upsert(std::move(r));
        RecordMutation("upsert", start, result);
        co_return result;
      });
  RegisterProto<proto::DeleteRequest, proto::MutationResult>(
      *env_.transport, kDelete,
      [this](std::string, proto::DeleteRequest r) -> Task<Result<proto::MutationResult>> {
        const Instant start = env_.clock->Now();
        Result<proto::MutationResult> result = co_await Delete(std::move(r));
        RecordMutation("delete", start, result);
        co_return result;
      });
  RegisterProto<proto::SearchRequest, proto::SearchResults>(
      *env_.transport, kSearch,
      [this](std::string, proto::SearchRequest r) -> Task<Result<proto::SearchResults>> {
        const Instant start = env_.clock->Now();
        const int64_t nq = std::max(r.nq(), 1);
        Result<proto::SearchResults> result = co_await Search(std::move(r));
        RecordRead("search", start, result.ok(), nq);
        co_return result;
      });
  RegisterProto<proto::FlushRequest, proto::FlushResponse>(
      *env_.transport, kFlush,
      [this](std::string, proto::FlushRequest r) -> Task<Result<proto::FlushResponse>> {
        co_return co_await CallProto<proto::FlushResponse>(
            *env_.transport, config_.data_coord, kDataCoordFlush, r, config_.rpc_deadline);
      });
  RegisterProto<proto::GetFlushStateRequest, proto::GetFlushStateResponse>(
      *env_.transport, kProxyGetFlushState,
      [this](std::string,
             proto::GetFlushStateRequest r) -> Task<Result<proto::GetFlushStateResponse>> {
        co_return co_await CallProto<proto::GetFlushStateResponse>(
            *env_.transport, config_.data_coord, kGetFlushState, r, config_.rpc_deadline);
      });
  RegisterProto<proto::CreateIndexRequest, proto::Empty>(
      *env_.transport, kProxyCreateIndex,
      [this](std::string, proto::CreateIndexRequest r) -> Task<Result<proto::Empty>> {
        co_return co_await CallProto<proto::Empty>(*env_.transport, config_.index_coord,
                                                   kCreateIndex, r, config_.rpc_deadline);
      });
  RegisterProto<proto::DescribeIndexRequest, proto::DescribeIndexResponse>(
      *env_.transport, kProxyDescribeIndex,
      [this](std::string,
             proto::DescribeIndexRequest r) -> Task<Result<proto::DescribeIndexResponse>> {
        co_return co_await CallProto<proto::DescribeIndexResponse>(
            *env_.transport, config_.index_coord, kDescribeIndex, r, config_.rpc_deadline);
      });
  RegisterProto<proto::DropIndexRequest, proto::Empty>(
      *env_.transport, kProxyDropIndex,
      [this](std::string, proto::DropIndexRequest r) -> Task<Result<proto::Empty>> {
        co_return co_await CallProto<proto::Empty>(*env_.transport, config_.index_coord, kDropIndex,
                                                   r, config_.rpc_deadline);
      });
  RegisterProto<proto::QueryRequest, proto::QueryResults>(
      *env_.transport, kQuery,
      [this](std::string, proto::QueryRequest r) -> Task<Result<proto::QueryResults>> {
        const Instant start = env_.clock->Now();
        Result<proto::QueryResults> result = co_await Query(std::move(r));
        RecordRead("query", start, result.ok());
        co_return result;
      });
  RegisterProto<proto::LoadCollectionRequest, proto::Empty>(
      *env_.transport, kLoadCollection,
      [this](std::string, proto::LoadCollectionRequest r) -> Task<Result<proto::Empty>> {
        co_return co_await CallProto<proto::Empty>(*env_.transport, config_.query_coord,
                                                   kQueryCoordLoadCollection, r,
                                                   config_.rpc_deadline);
      });
  RegisterProto<proto::ReleaseCollectionRequest, proto::Empty>(
      *env_.transport, kReleaseCollection,
      [this](std::string, proto::ReleaseCollectionRequest r) -> Task<Result<proto::Empty>> {
        leaders_.erase(r.collection());
        co_return co_await CallProto<proto::Empty>(*env_.transport, config_.query_coord,
                                                   kQueryCoordReleaseCollection, r,
                                                   config_.rpc_deadline);
      });
  RegisterProto<proto::GetLoadingProgressRequest, proto::GetLoadingProgressResponse>(
      *env_.transport, kProxyGetLoadingProgress,
      [this](std::string, proto::GetLoadingProgressRequest r)
          -> Task<Result<proto::GetLoadingProgressResponse>> {
        co_return co_await CallProto<proto::GetLoadingProgressResponse>(
            *env_.transport, config_.query_coord, kGetLoadingProgress, r, config_.rpc_deadline);
      });
  RegisterProto<proto::CreateCollectionRequest, proto::CollectionInfo>(
      *env_.transport, kProxyCreateCollection,
      [this](std::string, proto::CreateCollectionRequest r) -> Task<Result<proto::CollectionInfo>> {
        Status valid = ValidateSchema(r.schema());
        if (!valid.ok()) co_return valid;
        co_return co_await CallProto<proto::CollectionInfo>(
            *env_.transport, config_.root_coord, kCreateCollection, r, config_.rpc_deadline);
      });
  env_.Spawn(KeepSession(env_, kProxySessionPrefix, "proxy", config_.session_ttl));
  env_.Spawn(TimeTickLoop());
}

Task<Result<Timestamp>> Proxy::AllocTimestamp() {
  proto::AllocTimestampRequest request;
  request.set_count(1);
  Result<proto::AllocTimestampResponse> response =
      co_await CallProto<proto::AllocTimestampResponse>(
          *env_.transport, config_.root_coord, kAllocTimestamp, request, config_.rpc_deadline);
  if (!response.ok()) co_return response.status();
  co_return Timestamp{response->first_ts()};
}

Task<void> Proxy::TimeTickLoop() {
  for (;;) {
    co_await env_.clock->Sleep(config_.time_tick_interval);
    Result<Timestamp> now = co_await AllocTimestamp();
    if (!now.ok()) continue;
    // Under the stats lock: a DML that already holds a ts is either pending here or produced.
    co_await stats_mutex_.Lock();
    proto::ChannelTimeTickReport report;
    report.set_source(env_.node);
    report.set_default_ts(now->value);
    // Injected bug "tick-ignores-inflight": report the fresh default for every pchannel, as if
    // no DML were in flight, so ticks can pass a write that is still on its way to the log.
    const bool ignore_in_flight =
        config_.injected_bug == ClusterConfig::InjectedBug::kTickIgnoresInFlight;
    for (const auto& [pchannel, in_flight] : pending_) {
      if (in_flight.empty() || ignore_in_flight) continue;
      report.add_pchannels(pchannel);
      report.add_timestamps(*in_flight.begin() - 1);
    }
    stats_mutex_.Unlock();
    RecordTimeTicks(report);
    // Buggify: the tick goes out late (a slow network or a busy proxy); its ts stays as computed.
    if (Buggify(env_, "proxy/time-tick:late")) {
      co_await env_.clock->Sleep(Duration::Millis(env_.rng->UniformInt(1, 300)));
    }
    SendProto(*env_.transport, config_.root_coord, kUpdateChannelTimeTick, report);
  }
}

void Proxy::RecordMutation(const std::string& msg_type, Instant start,
                           const Result<proto::MutationResult>& result) {
  const Metrics::Labels request = {
      {metrics::kFunction, msg_type},
      {metrics::kStatus, result.ok() ? metrics::kSuccess : metrics::kFail}};
  env_.metrics->Increment(metrics::kProxyReqCount, 1, request);
  if (!result.ok()) return;
  const double rows = static_cast<double>(result->pks_size());
  if (msg_type == "insert") env_.metrics->Increment(metrics::kProxyInsertVectorsCount, rows);
  if (msg_type == "upsert") env_.metrics->Increment(metrics::kProxyUpsertVectorsCount, rows);
  if (msg_type == "delete") env_.metrics->Increment(metrics::kProxyDeleteVectorsCount, rows);
  env_.metrics->Observe(metrics::kProxyMutationLatency,
                        metrics::ElapsedMs(start, env_.clock->Now()), Metrics::LatencyBucketsMs(),
                        {{metrics::kMsgType, msg_type}});
}

void Proxy::RecordRead(const std::string& query_type, Instant start, bool ok, int64_t nq) {
  const Metrics::Labels request = {{metrics::kFunction, query_type},
                                   {metrics::kStatus, ok ? metrics::kSuccess : metrics::kFail}};
  env_.metrics->Increment(metrics::kProxyReqCount, 1, request);
  if (!ok) return;
  if (query_type == "search") {
    env_.metrics->Increment(metrics::kProxySearchVectorsCount, static_cast<double>(nq));
  }
  env_.metrics->Observe(metrics::kProxySqLatency, metrics::ElapsedMs(start, env_.clock->Now()),
                        Metrics::LatencyBucketsMs(), {{metrics::kQueryType, query_type}});
}

void Proxy::RecordTimeTicks(const proto::ChannelTimeTickReport& report) {
  // Every pchannel this proxy writes to: the default unless the report names it.
  std::map<std::string, uint64_t> ticks;
  for (const auto& [name, info] : collections_) {
    for (const std::string& pchannel : info.pchannels()) ticks[pchannel] = report.default_ts();
  }
  for (const auto& [pchannel, in_flight] : pending_) ticks[pchannel] = report.default_ts();
  for (int i = 0; i < report.pchannels_size(); ++i) {
    ticks[report.pchannels(i)] = report.timestamps(i);
  }
  const Instant now = env_.clock->Now();
  for (const auto& [pchannel, tick] : ticks) {
    const Metrics::Labels channel = {{metrics::kChannel, pchannel}};
    env_.metrics->Set(metrics::kProxyTimeTickMs, metrics::PhysicalMs(tick), channel);
    env_.metrics->Set(metrics::kProxyTtLagMs, metrics::LagMs(now, tick), channel);
  }
}

Task<Result<proto::CollectionInfo>> Proxy::GetCollection(const std::string& name) {
  auto it = collections_.find(name);
  if (it != collections_.end()) co_return it->second;
  proto::DescribeCollectionRequest request;
  request.set_name(name);
  Result<proto::CollectionInfo> info = co_await CallProto<proto::CollectionInfo>(
      *env_.transport, config_.root_coord, kDescribeCollection, request, config_.rpc_deadline);
  if (info.ok()) collections_[name] = *info;
  co_return info;
}

Result<int64_t> ValidateInsert(const proto::CollectionSchema& schema,
                               const proto::InsertRequest& request) {
  std::map<std::string, const proto::FieldData*> given;
  for (const proto::FieldData& field : request.fields()) {
    if (!given.emplace(field.name(), &field).second) {
      return InvalidArgument("field '" + field.name() + "': given more than once");
    }
  }
  int64_t rows = -1;
  auto check_rows = [&rows](const std::string& name, int64_t n) -> Status {
    if (rows >= 0 && n != rows) {
      return InvalidArgument("field '" + name + "': " + std::to_string(n) + " rows, expected " +
                             std::to_string(rows) + " like the other fields");
    }
    rows = n;
    return Status::Ok();
  };
  for (const proto::FieldSchema& field : schema.fields()) {
    auto it = given.find(field.name());
    if (it == given.end()) return InvalidArgument("field '" + field.name() + "': missing");
    const proto::FieldData& data = *it->second;
    // Exactly the data of the field's type may be set.
    const int64_t counts[] = {data.int64_data_size(), data.double_data_size(),
                              data.bool_data_size(), data.string_data_size(),
                              data.float_vector_size()};
    const proto::DataType kinds[] = {proto::INT64, proto::DOUBLE, proto::BOOL, proto::VARCHAR,
                                     proto::FLOAT_VECTOR};
    for (size_t k = 0; k < 5; ++k) {
      if (kinds[k] != field.type() && counts[k] > 0) {
        return InvalidArgument("field '" + field.name() + "': expected " +
                               proto::DataType_Name(field.type()) + " values, got " +
                               proto::DataType_Name(kinds[k]) +
                               (field.is_primary_key() ? " (primary key type is INT64)" : ""));
      }
    }
    switch (field.type()) {
      case proto::INT64:
        SIMVUS_RETURN_IF_ERROR(check_rows(field.name(), data.int64_data_size()));
        break;
      case proto::DOUBLE:
        SIMVUS_RETURN_IF_ERROR(check_rows(field.name(), data.double_data_size()));
        break;
      case proto::BOOL:
        SIMVUS_RETURN_IF_ERROR(check_rows(field.name(), data.bool_data_size()));
        break;
      case proto::VARCHAR:
        for (int r = 0; r < data.string_data_size(); ++r) {
          if (static_cast<int64_t>(data.string_data(r).size()) > field.max_length()) {
            return InvalidArgument("field '" + field.name() + "': row " + std::to_string(r) +
                                   " is " + std::to_string(data.string_data(r).size()) +
                                   " bytes, expected at most max_length " +
                                   std::to_string(field.max_length()));
          }
        }
        SIMVUS_RETURN_IF_ERROR(check_rows(field.name(), data.string_data_size()));
        break;
      case proto::FLOAT_VECTOR: {
        if (data.dim() != field.dim()) {
          return InvalidArgument("field '" + field.name() + "': vector dim " +
                                 std::to_string(data.dim()) + ", expected " +
                                 std::to_string(field.dim()));
        }
        if (data.float_vector_size() % field.dim() != 0) {
          return InvalidArgument(
              "field '" + field.name() + "': " + std::to_string(data.float_vector_size()) +
              " floats is not a whole number of " + std::to_string(field.dim()) + "-dim vectors");
        }
        SIMVUS_RETURN_IF_ERROR(check_rows(field.name(), data.float_vector_size() / field.dim()));
        break;
      }
      default:
        return InvalidArgument("field '" + field.name() + "': type " +
                               proto::DataType_Name(field.type()) + " not supported here");
    }
    given.erase(it);
  }
  if (!given.empty()) {
    return InvalidArgument("field '" + given.begin()->first + "': not in the collection schema");
  }
  if (rows <= 0) return InvalidArgument("insert: no rows");
  return rows;
}

Task<Result<Timestamp>> Proxy::ProduceDml(
    const proto::CollectionInfo& info,
    std::function<std::vector<proto::LogMessage>(int32_t shard, uint64_t ts)> build,
    const std::string& what) {
  // Allocate and register atomically with respect to the time-tick reporter.
  co_await stats_mutex_.Lock();
  Result<Timestamp> ts = co_await AllocTimestamp();
  if (ts.ok()) {
    env_.Step("proxy.tso",
              what + ": TSO stamps it ts=" + ToString(*ts) + " (all its rows share this ts)",
              config_.root_coord, env_.node);
  }
  if (!ts.ok()) {
    stats_mutex_.Unlock();
    co_return ts.status();
  }
  std::vector<std::pair<int32_t, proto::LogMessage>> messages;
  for (int32_t shard = 0; shard < info.vchannels_size(); ++shard) {
    for (proto::LogMessage& message : build(shard, ts->value)) {
      messages.emplace_back(shard, std::move(message));
      pending_[info.pchannels(shard)].insert(ts->value);
    }
  }
  stats_mutex_.Unlock();

  // Every insert message names its segment: one AssignSegmentID for the whole write.
  proto::AssignSegmentIdRequest assign;
  assign.set_source(env_.node);
  for (const auto& [shard, message] : messages) {
    if (!message.has_insert()) continue;
    proto::SegmentIdRequest* r = assign.add_requests();
    r->set_collection_id(info.id());
    r->set_vchannel(info.vchannels(shard));
    r->set_count(message.insert().num_rows());
    r->set_ts(ts->value);
  }
  Status status = Status::Ok();
  if (assign.requests_size() > 0) {
    Result<proto::AssignSegmentIdResponse> assigned =
        co_await CallProto<proto::AssignSegmentIdResponse>(
            *env_.transport, config_.data_coord, kAssignSegmentId, assign, config_.rpc_deadline);
    if (assigned.ok() && assigned->assignments_size() != assign.requests_size()) {
      assigned =
          Internal("AssignSegmentID answered " + std::to_string(assigned->assignments_size()) +
                   " of " + std::to_string(assign.requests_size()) + " requests");
    }
    if (!assigned.ok()) {
      status = assigned.status();
    } else {
      int next = 0;
      for (auto& [shard, message] : messages) {
        if (!message.has_insert()) continue;
        const proto::SegmentIdAssignment& a = assigned->assignments(next++);
        message.mutable_insert()->set_segment_id(a.segment_id());
        env_.Step("proxy.segment",
                  what + ": DataCoord assigns segment " + std::to_string(a.segment_id()) + " on " +
                      a.vchannel() + " (good for rows with ts < " +
                      ToString(Timestamp{a.expire_ts()}) + ")",
                  config_.data_coord, env_.node);
      }
    }
  }
  for (const auto& [shard, message] : messages) {
    if (!status.ok()) break;
    const std::string& pchannel = info.pchannels(shard);
    const TopicPartition tp{pchannel, 0};
    Result<LogPosition> pos = co_await env_.log->Produce(tp, message.SerializeAsString());
    if (!pos.ok() && status.ok()) status = pos.status();
    if (pos.ok()) {
      env_.Step("log.produce",
                what + " ts=" + ToString(*ts) + " appended to " + info.vchannels(shard) +
                    " @offset " + std::to_string(pos->offset),
                env_.node, pchannel);
    }
  }
  if (status.ok()) co_await CrashPoint(env_, "proxy/dml:after-produce");
  for (const auto& [shard, message] : messages) {
    auto& in_flight = pending_[info.pchannels(shard)];
    in_flight.erase(in_flight.find(ts->value));
  }
  if (!status.ok()) co_return status;
  co_return *ts;
}

Task<Result<proto::MutationResult>> Proxy::Insert(proto::InsertRequest request) {
  return Write(std::move(request), /*upsert=*/false);
}

Task<Result<proto::MutationResult>> Proxy::Upsert(proto::InsertRequest request) {
  return Write(std::move(request), /*upsert=*/true);
}

Task<Result<proto::MutationResult>> Proxy::Write(proto::InsertRequest request, bool upsert) {
  Result<proto::CollectionInfo> info = co_await GetCollection(request.collection());
  if (!info.ok()) co_return info.status();
  Result<int64_t> rows = ValidateInsert(info->schema(), request);
  if (!rows.ok()) co_return rows.status();
  const int32_t shards = info->vchannels_size();
  const proto::CollectionInfo& collection = *info;
  const int pk_field = SegmentSchemaOf(collection.schema()).primary_key_index();
  std::function<std::vector<proto::LogMessage>(int32_t, uint64_t)> build =
      [&](int32_t shard, uint64_t ts) -> std::vector<proto::LogMessage> {
    // One InsertMsg per dml_max_message_bytes of the shard's rows, all at the write's ts.
    std::vector<proto::LogMessage> messages;
    for (proto::InsertMsg& rows_of_shard : InsertMessagesForShard(
             collection.schema(), request, *rows, shard, shards, config_.dml_max_message_bytes)) {
      proto::LogMessage insert_message;
      proto::InsertMsg* insert = insert_message.mutable_insert();
      *insert = std::move(rows_of_shard);
      insert->set_collection_id(collection.id());
      insert->set_vchannel(collection.vchannels(shard));
      insert->set_ts(ts);
      insert->set_source(env_.node);
      messages.push_back(std::move(insert_message));
    }
    if (!upsert || messages.empty()) return messages;
    // An upsert's delete of the same pks goes first, at the same ts.
    proto::LogMessage delete_message;
    proto::DeleteMsg* del = delete_message.mutable_delete_();
    for (const proto::LogMessage& insert : messages) {
      for (int64_t pk : insert.insert().fields(pk_field).int64_data()) del->add_pks(pk);
    }
    del->set_collection_id(collection.id());
    del->set_vchannel(collection.vchannels(shard));
    del->set_ts(ts);
    del->set_source(env_.node);
    messages.insert(messages.begin(), std::move(delete_message));
    return messages;
  };
  Result<Timestamp> ts = co_await ProduceDml(
      collection, std::move(build),
      (upsert ? "upsert of " : "insert of ") + std::to_string(*rows) + " row(s)");
  if (!ts.ok()) co_return ts.status();
  proto::MutationResult result;
  result.set_timestamp(ts->value);
  *result.mutable_pks() = PrimaryKeysOf(collection.schema(), request).int64_data();
  co_return result;
}

Task<Result<proto::MutationResult>> Proxy::Delete(proto::DeleteRequest request) {
  Result<proto::CollectionInfo> info = co_await GetCollection(request.collection());
  if (!info.ok()) co_return info.status();
  if (request.pks_size() == 0) co_return InvalidArgument("delete: pks must not be empty");
  const int32_t shards = info->vchannels_size();
  const proto::CollectionInfo& collection = *info;
  std::function<std::vector<proto::LogMessage>(int32_t, uint64_t)> build =
      [&](int32_t shard, uint64_t ts) -> std::vector<proto::LogMessage> {
    proto::LogMessage message;
    proto::DeleteMsg* del = message.mutable_delete_();
    for (int64_t pk : request.pks()) {
      if (ShardOfPk(pk, shards) == shard) del->add_pks(pk);
    }
    if (del->pks_size() == 0) return {};
    del->set_collection_id(collection.id());
    del->set_vchannel(collection.vchannels(shard));
    del->set_ts(ts);
    del->set_source(env_.node);
    return {message};
  };
  Result<Timestamp> ts = co_await ProduceDml(
      collection, std::move(build), "delete of " + std::to_string(request.pks_size()) + " pk(s)");
  if (!ts.ok()) co_return ts.status();
  proto::MutationResult result;
  result.set_timestamp(ts->value);
  *result.mutable_pks() = request.pks();
  co_return result;
}

}  // namespace simvus::roles
