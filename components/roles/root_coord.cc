#include "components/roles/root_coord.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"
#include "components/roles/routing.h"
#include "components/roles/row_conversion.h"

namespace simvus::roles {

RootCoord::RootCoord(Env& env, ClusterConfig config)
    : env_(env), config_(std::move(config)), tso_(env_, config_) {
  for (int32_t i = 0; i < config_.dml_channel_num; ++i) pchannel_usage_[config_.PChannel(i)] = 0;
}

Status ValidateSchema(const proto::CollectionSchema& schema) {
  if (schema.name().empty()) return InvalidArgument("collection name: must not be empty");
  std::set<std::string> names;
  int primary_keys = 0, vectors = 0;
  for (const proto::FieldSchema& field : schema.fields()) {
    if (field.name().empty()) return InvalidArgument("field name: must not be empty");
    if (!names.insert(field.name()).second) {
      return InvalidArgument("field '" + field.name() + "': duplicate field name");
    }
    if (field.is_primary_key()) {
      ++primary_keys;
      if (field.type() != proto::INT64) {
        return InvalidArgument("field '" + field.name() + "': primary key type " +
                               proto::DataType_Name(field.type()) +
                               " is not supported in this slice; expected INT64");
      }
    }
    switch (field.type()) {
      case proto::INT64:
      case proto::DOUBLE:
      case proto::BOOL:
      case proto::FLOAT_VECTOR:
        break;
      case proto::VARCHAR:
        if (field.max_length() < 1 || field.max_length() > 65535) {
          return InvalidArgument("field '" + field.name() + "': max_length " +
                                 std::to_string(field.max_length()) +
                                 ", expected 1..65535 (VARCHAR fields need one)");
        }
        break;
      default:
        return InvalidArgument("field '" + field.name() + "': type " +
                               proto::DataType_Name(field.type()) +
                               " is not supported; expected INT64, DOUBLE, BOOL, VARCHAR or "
                               "FLOAT_VECTOR");
    }
    if (field.type() == proto::FLOAT_VECTOR) {
      ++vectors;
      if (field.dim() < 1 || field.dim() > 32768) {
        return InvalidArgument("field '" + field.name() + "': dim " + std::to_string(field.dim()) +
                               ", expected 1..32768");
      }
    }
  }
  if (primary_keys != 1) {
    return InvalidArgument("schema: " + std::to_string(primary_keys) +
                           " primary key fields, expected exactly 1");
  }
  if (vectors != 1) {
    return InvalidArgument("schema: " + std::to_string(vectors) +
                           " FLOAT_VECTOR fields, expected exactly 1");
  }
  if (!proto::MetricType_IsValid(schema.metric())) {
    return InvalidArgument("metric: " + std::to_string(schema.metric()) +
                           ", expected L2, IP or COSINE");
  }
  if (schema.shards_num() < 0 || schema.shards_num() > 16) {
    return InvalidArgument("shards_num: " + std::to_string(schema.shards_num()) +
                           ", expected 1..16 (0 means the default, 1)");
  }
  // The segments' own rules (identifier names among them) must hold too, or the collection
  // would be created and then fail to load on every query node.
  return SegmentSchemaOf(schema).Validate();
}

void RootCoord::Start() {
  RegisterProto<proto::AllocTimestampRequest, proto::AllocTimestampResponse>(
      *env_.transport, kAllocTimestamp,
      [this](std::string from,
             proto::AllocTimestampRequest request) -> Task<Result<proto::AllocTimestampResponse>> {
        Result<Timestamp> first = co_await tso_.Allocate(request.count());
        if (!first.ok()) co_return first.status();
        env_.Detail("tso.alloc", "allocates " + std::to_string(request.count()) +
                                     " timestamp(s) from " + ToString(*first) + " for " + from);
        proto::AllocTimestampResponse response;
        response.set_first_ts(first->value);
        response.set_count(request.count());
        co_return response;
      });
  RegisterProto<proto::CreateCollectionRequest, proto::CollectionInfo>(
      *env_.transport, kCreateCollection,
      [this](std::string,
             proto::CreateCollectionRequest request) -> Task<Result<proto::CollectionInfo>> {
        Result<proto::CollectionInfo> created = co_await CreateCollection(std::move(request));
        const Metrics::Labels labels = {
            {metrics::kFunction, "CreateCollection"},
            {metrics::kStatus, created.ok() ? metrics::kSuccess : metrics::kFail}};
        env_.metrics->Increment(metrics::kRootCoordDdlReqCount, 1, labels);
        co_return created;
      });
  RegisterProto<proto::DescribeCollectionRequest, proto::CollectionInfo>(
      *env_.transport, kDescribeCollection,
      [this](std::string, proto::DescribeCollectionRequest request) {
        return DescribeCollection(request.name());
      });
  RegisterOneWayProto<proto::ChannelTimeTickReport>(
      *env_.transport, kUpdateChannelTimeTick,
      [this](std::string, proto::ChannelTimeTickReport report) { OnTimeTickReport(report); });
  env_.Spawn(InitLoop());
}

Task<void> RootCoord::InitLoop() {
  for (;;) {
    Status status = co_await tso_.Init();
    if (status.ok()) break;
    env_.Step("tso.init", "cannot initialize TSO (" + status.ToString() + "); retrying");
    co_await env_.clock->Sleep(Duration::Millis(200));
  }
  env_.Spawn(TsoLoop());
  env_.Spawn(SessionLoop());
}

Task<void> RootCoord::TsoLoop() {
  for (;;) {
    co_await env_.clock->Sleep(config_.tso_update_step);
    Status status = co_await tso_.UpdateTimestamp();
    if (!status.ok()) env_.Detail("tso.update", "cannot save TSO window: " + status.ToString());
  }
}

Task<void> RootCoord::SessionLoop() {
  // Registered proxies are the keys under the proxy session prefix; a session disappears when its
  // lease expires. Re-read every tick interval.
  for (;;) {
    const RangeRequest sessions{.key = kProxySessionPrefix,
                                .range_end = PrefixEnd(kProxySessionPrefix)};
    Result<RangeResult> range = co_await env_.meta_store->Range(sessions);
    if (range.ok()) {
      std::set<std::string> now;
      for (const KeyValue& kv : range->kvs) {
        now.insert(kv.key.substr(std::string(kProxySessionPrefix).size()));
      }
      if (now != sessions_) {
        for (const std::string& s : now) {
          if (!sessions_.count(s)) env_.Step("session.join", "proxy session registered: " + s);
        }
        for (const std::string& s : sessions_) {
          if (!now.count(s)) {
            env_.Step("session.leave", "proxy session gone (lease expired): " + s);
            reports_.erase(s);
          }
        }
        sessions_ = std::move(now);
      }
    }
    co_await env_.clock->Sleep(config_.time_tick_interval);
  }
}

void RootCoord::OnTimeTickReport(const proto::ChannelTimeTickReport& report) {
  if (!sessions_.count(report.source())) return;  // not (yet) a registered session
  reports_[report.source()] = report;
  if (broadcasting_) return;
  for (const std::string& s : sessions_) {
    if (!reports_.count(s)) return;  // a round needs every session
  }
  std::map<std::string, uint64_t> ticks;
  for (const auto& [pchannel, usage] : pchannel_usage_) {
    uint64_t tick = ~uint64_t{0};
    for (const auto& [source, r] : reports_) {
      uint64_t ts = r.default_ts();
      for (int i = 0; i < r.pchannels_size(); ++i) {
        if (r.pchannels(i) == pchannel) ts = r.timestamps(i);
      }
      tick = std::min(tick, ts);
    }
    if (tick > last_tick_[pchannel]) ticks[pchannel] = tick;
  }
  reports_.clear();
  if (ticks.empty()) return;
  broadcasting_ = true;
  env_.Spawn(BroadcastTicks(std::move(ticks)));
}

Task<void> RootCoord::BroadcastTicks(std::map<std::string, uint64_t> ticks) {
  for (const auto& [pchannel, tick] : ticks) {
    proto::LogMessage message;
    message.mutable_time_tick()->set_ts(tick);
    const TopicPartition tp{pchannel, 0};
    Result<LogPosition> pos = co_await env_.log->Produce(tp, message.SerializeAsString());
    if (pos.ok()) {
      last_tick_[pchannel] = tick;
      const Metrics::Labels labels = {{metrics::kChannel, pchannel}};
      env_.metrics->Set(metrics::kRootCoordProduceTtLagMs, metrics::LagMs(env_.clock->Now(), tick),
                        labels);
      env_.Detail("timetick.send", "time tick " + ToString(Timestamp{tick}) + " -> " + pchannel +
                                       " @" + std::to_string(pos->offset));
    }
  }
  broadcasting_ = false;
}

Task<Result<proto::CollectionInfo>> RootCoord::DescribeCollection(std::string name) {
  const RangeRequest read{.key = kCollectionPrefix + name};
  Result<RangeResult> range = co_await env_.meta_store->Range(read);
  if (!range.ok()) co_return range.status();
  if (range->kvs.empty()) co_return NotFound("collection '" + name + "' does not exist");
  proto::CollectionInfo info;
  if (!info.ParseFromString(range->kvs[0].value)) {
    co_return DataLoss("collection '" + name + "': stored metadata does not decode");
  }
  co_return info;
}

Task<Result<proto::CollectionInfo>> RootCoord::CreateCollection(
    proto::CreateCollectionRequest request) {
  proto::CollectionSchema schema = request.schema();
  if (schema.shards_num() == 0) schema.set_shards_num(1);
  SIMVUS_CO_RETURN_IF_ERROR(ValidateSchema(schema));
  Result<Timestamp> ts = co_await tso_.Allocate(1);
  if (!ts.ok()) co_return ts.status();

  proto::CollectionInfo info;
  // Milvus draws collection IDs from its TSO-based ID allocator; the creation ts is unique too.
  info.set_id(static_cast<int64_t>(ts->value));
  info.set_create_ts(ts->value);
  *info.mutable_schema() = schema;
  for (int32_t shard = 0; shard < schema.shards_num(); ++shard) {
    auto least = std::min_element(pchannel_usage_.begin(), pchannel_usage_.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    least->second++;
    info.add_pchannels(least->first);
    info.add_vchannels(VirtualChannel(least->first, info.id(), shard));
  }
  // Create only if absent: a txn comparing the key's create revision with 0.
  const std::string key = kCollectionPrefix + schema.name();
  std::vector<Compare> absent = {Compare{.key = key,
                                         .target = Compare::Target::kCreateRevision,
                                         .op = Compare::Op::kEqual,
                                         .number = 0}};
  std::vector<TxnOp> put = {
      TxnOp{.kind = TxnOp::Kind::kPut, .key = key, .value = info.SerializeAsString()}};
  Result<TxnResult> txn = co_await env_.meta_store->Txn(std::move(absent), std::move(put), {});
  if (!txn.ok()) co_return txn.status();
  if (!txn->succeeded) {
    co_return AlreadyExists("collection '" + schema.name() + "' already exists");
  }
  for (const std::string& pchannel : info.pchannels()) {
    Status created = co_await env_.log->CreateTopic(pchannel, 1);
    if (!created.ok() && created.code() != StatusCode::kAlreadyExists) co_return created;
  }
  env_.Step("ddl.create", "creates collection '" + schema.name() + "' (id " +
                              std::to_string(info.id()) + ", " +
                              std::to_string(schema.shards_num()) + " shard(s) on " +
                              info.vchannels(0) + "); schema saved to the meta store");
  proto::WatchChannelsRequest watch;
  *watch.mutable_collection() = info;
  Result<proto::Empty> watched = co_await CallProto<proto::Empty>(
      *env_.transport, config_.data_coord, kWatchChannels, watch, config_.rpc_deadline);
  if (!watched.ok()) co_return watched.status();
  co_return info;
}

}  // namespace simvus::roles
