#include "components/roles/query_node.h"

#include <algorithm>
#include <variant>

#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"
#include "components/roles/row_conversion.h"
#include "components/roles/session.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

QueryNode::QueryNode(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}

void QueryNode::Start() {
  RegisterProto<proto::WatchDmChannelRequest, proto::Empty>(
      *env_.transport, kWatchDmChannel,
      [this](std::string, proto::WatchDmChannelRequest r) { return WatchDmChannel(std::move(r)); });
  RegisterProto<proto::UnwatchDmChannelRequest, proto::Empty>(
      *env_.transport, kUnwatchDmChannel,
      [this](std::string, proto::UnwatchDmChannelRequest r) -> Task<Result<proto::Empty>> {
        auto it = delegators_.find(r.vchannel());
        if (it != delegators_.end() && it->second->replica_id() == r.replica_id() &&
            it->second->View().target_version() <= r.target_version()) {
          env_.Step("query.unwatch", "stops delegating " + r.vchannel() +
                                         ": another node leads it for replica " +
                                         std::to_string(r.replica_id()));
          it->second->Stop();
          delegators_.erase(it);
        }
        co_return proto::Empty();
      });
  RegisterProto<proto::LoadSegmentsRequest, proto::Empty>(
      *env_.transport, kLoadSegments,
      [this](std::string, proto::LoadSegmentsRequest r) -> Task<Result<proto::Empty>> {
        Result<std::shared_ptr<Delegator>> d = DelegatorOf(r.vchannel());
        if (!d.ok()) co_return d.status();
        std::shared_ptr<Delegator> delegator = *d;
        co_return co_await delegator->LoadSegments(std::move(r));
      });
  RegisterProto<proto::ReleaseSegmentsRequest, proto::Empty>(
      *env_.transport, kReleaseSegments,
      [this](std::string, proto::ReleaseSegmentsRequest r) -> Task<Result<proto::Empty>> {
        Result<std::shared_ptr<Delegator>> d = DelegatorOf(r.vchannel());
        if (!d.ok()) co_return d.status();
        std::shared_ptr<Delegator> delegator = *d;
        co_return co_await delegator->ReleaseSegments(std::move(r));
      });
  RegisterProto<proto::SyncTargetRequest, proto::Empty>(
      *env_.transport, kSyncTarget,
      [this](std::string, proto::SyncTargetRequest r) -> Task<Result<proto::Empty>> {
        Result<std::shared_ptr<Delegator>> d = DelegatorOf(r.vchannel());
        if (!d.ok()) co_return d.status();
        co_return (*d)->SyncTarget(r);
      });
  RegisterProto<proto::ShardSearchRequest, proto::ShardSearchResponse>(
      *env_.transport, kShardSearch,
      [this](std::string, proto::ShardSearchRequest r) -> Task<Result<proto::ShardSearchResponse>> {
        const Instant start = env_.clock->Now();
        Result<std::shared_ptr<Delegator>> d = DelegatorOf(r.vchannel());
        if (!d.ok()) {
          RecordRead("search", "OnLeader", start, false);
          co_return d.status();
        }
        std::shared_ptr<Delegator> delegator = *d;
        Result<proto::ShardSearchResponse> answer = co_await delegator->Search(std::move(r));
        RecordRead("search", "OnLeader", start, answer.ok());
        co_return answer;
      });
  RegisterProto<proto::ShardQueryRequest, proto::ShardQueryResponse>(
      *env_.transport, kShardQuery,
      [this](std::string, proto::ShardQueryRequest r) -> Task<Result<proto::ShardQueryResponse>> {
        const Instant start = env_.clock->Now();
        Result<std::shared_ptr<Delegator>> d = DelegatorOf(r.vchannel());
        if (!d.ok()) {
          RecordRead("query", "OnLeader", start, false);
          co_return d.status();
        }
        std::shared_ptr<Delegator> delegator = *d;
        Result<proto::ShardQueryResponse> answer = co_await delegator->Query(std::move(r));
        RecordRead("query", "OnLeader", start, answer.ok());
        co_return answer;
      });
  RegisterProto<proto::ReleaseCollectionOnNodeRequest, proto::Empty>(
      *env_.transport, kReleaseCollectionOnNode,
      [this](std::string, proto::ReleaseCollectionOnNodeRequest r) {
        return ReleaseCollection(std::move(r));
      });
  RegisterProto<proto::Empty, proto::DataDistribution>(
      *env_.transport, kGetDataDistribution,
      [this](std::string, proto::Empty) -> Task<Result<proto::DataDistribution>> {
        co_return Distribution();
      });
  RegisterProto<proto::LoadSegmentsRequest, proto::Empty>(
      *env_.transport, kWorkerLoadSegments,
      [this](std::string, proto::LoadSegmentsRequest r) { return WorkerLoad(std::move(r)); });
  RegisterProto<proto::ReleaseSegmentsRequest, proto::Empty>(
      *env_.transport, kWorkerReleaseSegments,
      [this](std::string, proto::ReleaseSegmentsRequest r) -> Task<Result<proto::Empty>> {
        co_return WorkerRelease(r);
      });
  RegisterProto<proto::WorkerDeleteRequest, proto::Empty>(
      *env_.transport, kWorkerDelete,
      [this](std::string, proto::WorkerDeleteRequest r) -> Task<Result<proto::Empty>> {
        co_return WorkerDelete(r);
      });
  RegisterProto<proto::ShardSearchRequest, proto::ShardSearchResponse>(
      *env_.transport, kWorkerSearch,
      [this](std::string, proto::ShardSearchRequest r) -> Task<Result<proto::ShardSearchResponse>> {
        const Instant start = env_.clock->Now();
        Result<proto::ShardSearchResponse> answer = co_await WorkerSearch(std::move(r));
        RecordRead("search", "FromLeader", start, answer.ok());
        co_return answer;
      });
  RegisterProto<proto::ShardQueryRequest, proto::ShardQueryResponse>(
      *env_.transport, kWorkerQuery,
      [this](std::string, proto::ShardQueryRequest r) -> Task<Result<proto::ShardQueryResponse>> {
        const Instant start = env_.clock->Now();
        Result<proto::ShardQueryResponse> answer = co_await WorkerQuery(std::move(r));
        RecordRead("query", "FromLeader", start, answer.ok());
        co_return answer;
      });
  env_.Spawn(KeepSession(env_, kQueryNodeSessionPrefix, "querynode", config_.session_ttl));
}

// ------------------------------------------------------------------------------------ delegator

Task<Result<proto::Empty>> QueryNode::WatchDmChannel(proto::WatchDmChannelRequest request) {
  const proto::CollectionInfo& info = request.collection();
  if (request.shard() < 0 || request.shard() >= info.vchannels_size()) {
    co_return InvalidArgument("watch: shard " + std::to_string(request.shard()) + " of " +
                              std::to_string(info.vchannels_size()));
  }
  const std::string vchannel = info.vchannels(request.shard());
  auto it = delegators_.find(vchannel);
  if (it != delegators_.end()) {
    if (it->second->replica_id() == request.replica_id()) co_return proto::Empty();
    it->second->Stop();
    delegators_.erase(it);
  }
  auto delegator = std::make_shared<Delegator>(env_, config_, std::move(request));
  delegators_[vchannel] = delegator;
  delegator->Start();
  co_return proto::Empty();
}

Result<std::shared_ptr<Delegator>> QueryNode::DelegatorOf(const std::string& vchannel) const {
  auto it = delegators_.find(vchannel);
  if (it == delegators_.end()) {
    return Unavailable("channel not available: " + env_.node + " is not the delegator of " +
                       vchannel);
  }
  return it->second;
}

Task<Result<proto::Empty>> QueryNode::ReleaseCollection(
    proto::ReleaseCollectionOnNodeRequest request) {
  for (auto it = delegators_.begin(); it != delegators_.end();) {
    if (it->second->collection_id() == request.collection_id()) {
      it->second->Stop();
      it = delegators_.erase(it);
    } else {
      ++it;
    }
  }
  int released = 0;
  for (auto it = loaded_.begin(); it != loaded_.end();) {
    if (it->second->collection_id == request.collection_id()) {
      it = loaded_.erase(it);
      ++released;
    } else {
      ++it;
    }
  }
  RecordSealed();
  env_.Step("query.release", "releases collection " + std::to_string(request.collection_id()) +
                                 ": its delegators and " + std::to_string(released) +
                                 " sealed segment(s)");
  co_return proto::Empty();
}

proto::DataDistribution QueryNode::Distribution() const {
  proto::DataDistribution dist;
  dist.set_node(env_.node);
  for (const auto& [vchannel, delegator] : delegators_) *dist.add_leaders() = delegator->View();
  for (const auto& [id, loaded] : loaded_) {
    proto::LoadedSegment* s = dist.add_segments();
    s->set_collection_id(loaded->collection_id);
    s->set_segment_id(id);
    s->set_num_rows(loaded->segment->num_rows());
    s->set_indexed(loaded->indexed);
  }
  return dist;
}

// ------------------------------------------------------------------------------------ worker

Task<Result<proto::Empty>> QueryNode::WorkerLoad(proto::LoadSegmentsRequest request) {
  const segment::CollectionSchema schema = SegmentSchemaOf(request.schema());
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  for (const proto::SegmentLoadInfo& info : request.segments()) {
    const int64_t id = info.segment_id();
    const segment::SegmentLocation location{.collection_id = info.collection_id(),
                                            .partition_id = info.partition_id(),
                                            .segment_id = segment::SegmentId{id}};
    std::shared_ptr<Loaded> loaded;
    if (auto it = loaded_.find(id); it != loaded_.end()) loaded = it->second;
    if (!loaded) {
      segment::proto::SegmentManifest manifest;
      if (!manifest.ParseFromString(info.manifest())) {
        co_return DataLoss("segment " + std::to_string(id) + ": the manifest does not parse");
      }
      Result<std::unique_ptr<segment::Segment>> read = co_await store.LoadSegment(schema, manifest);
      if (!read.ok()) co_return read.status();
      const Instant load_start = env_.clock->Now();
      auto fresh = std::make_shared<Loaded>();
      fresh->collection_id = info.collection_id();
      fresh->vchannel = info.vchannel().empty() ? request.vchannel() : info.vchannel();
      fresh->segment = std::move(*read);
      std::set<int64_t> pks;
      const auto pk_column = static_cast<size_t>(schema.primary_key_index());
      for (int64_t pk : fresh->segment->column(static_cast<int>(pk_column)).int64s) {
        if (!pks.insert(pk).second) ++fresh->duplicate_rows;
      }
      Duration load_cost =
          Duration::Nanos(fresh->segment->num_rows() * config_.segment_load_cost_per_row.ns);
      // Buggify: a slow load (a cold cache, a busy disk); handoff waits for it.
      if (Buggify(env_, "querynode/load:slow")) {
        load_cost = load_cost + Duration::Millis(env_.rng->UniformInt(1, 1000));
      }
      co_await env_.compute->Run(load_cost, [] {});
      // Another load of the same segment may have finished meanwhile: keep the first copy (it
      // may already have received forwarded deletes).
      if (auto it = loaded_.find(id); it != loaded_.end()) {
        loaded = it->second;
      } else {
        loaded = fresh;
        loaded_[id] = fresh;
        env_.metrics->Observe(metrics::kQueryNodeLoadSegmentLatency,
                              metrics::ElapsedMs(load_start, env_.clock->Now()),
                              Metrics::LongTaskBucketsMs());
        RecordSealed();
        env_.Step("query.load",
                  "loads sealed segment " + std::to_string(id) + " (" +
                      std::to_string(fresh->segment->num_rows()) + " rows) from the object store",
                  "s3", env_.node);
      }
    }
    if (!loaded->indexed && !info.index_path().empty()) {
      Result<std::unique_ptr<ann::VectorIndex>> index =
          co_await store.LoadIndex(info.index_path(), location);
      if (!index.ok()) co_return index.status();
      if (!loaded->indexed) {
        Status set = loaded->segment->SetIndex(std::move(*index));
        if (!set.ok()) co_return set;
        loaded->indexed = true;
        env_.Step("query.load",
                  "loads the index of segment " + std::to_string(id) + " from " + info.index_path(),
                  "s3", env_.node);
      }
    }
  }
  co_await CrashPoint(env_, "querynode/load:before-attach");
  co_return proto::Empty();
}

Result<proto::Empty> QueryNode::WorkerRelease(const proto::ReleaseSegmentsRequest& request) {
  for (int64_t id : request.segment_ids()) {
    if (loaded_.erase(id) > 0) {
      env_.Step("query.release", "releases sealed segment " + std::to_string(id));
    }
  }
  RecordSealed();
  return proto::Empty();
}

void QueryNode::RecordSealed() {
  std::map<std::string, int64_t> sealed;
  for (const std::string& vchannel : sealed_channels_) sealed[vchannel] = 0;
  for (const auto& [id, loaded] : loaded_) ++sealed[loaded->vchannel];
  for (const auto& [vchannel, count] : sealed) {
    sealed_channels_.insert(vchannel);
    env_.metrics->Set(metrics::kQueryNodeSegmentNum, static_cast<double>(count),
                      {{metrics::kChannel, vchannel}, {metrics::kSegmentState, "Sealed"}});
  }
}

void QueryNode::RecordRead(const std::string& query_type, const std::string& scope, Instant start,
                           bool ok) {
  const Metrics::Labels request = {{metrics::kQueryType, query_type},
                                   {metrics::kStatus, ok ? metrics::kSuccess : metrics::kFail},
                                   {metrics::kScope, scope}};
  env_.metrics->Increment(metrics::kQueryNodeSqReqCount, 1, request);
  if (!ok) return;
  env_.metrics->Observe(metrics::kQueryNodeSqReqLatency,
                        metrics::ElapsedMs(start, env_.clock->Now()), Metrics::LatencyBucketsMs(),
                        {{metrics::kQueryType, query_type}, {metrics::kScope, scope}});
}

Result<proto::Empty> QueryNode::WorkerDelete(const proto::WorkerDeleteRequest& request) {
  auto it = loaded_.find(request.segment_id());
  if (it == loaded_.end()) {
    return NotFound("segment " + std::to_string(request.segment_id()) + " is not loaded on " +
                    env_.node);
  }
  if (request.pks_size() != request.timestamps_size()) {
    return InvalidArgument("delete: pks and timestamps differ in length");
  }
  std::vector<segment::PrimaryKey> pks(request.pks().begin(), request.pks().end());
  std::vector<Timestamp> tss;
  for (uint64_t ts : request.timestamps()) tss.push_back(Timestamp{ts});
  Status status = it->second->segment->Delete(pks, tss);
  if (!status.ok()) return status;
  return proto::Empty();
}

Result<std::vector<SegmentRef>> QueryNode::SegmentsOf(
    const google::protobuf::RepeatedField<int64_t>& ids) const {
  std::vector<SegmentRef> out;
  for (int64_t id : ids) {
    auto it = loaded_.find(id);
    if (it == loaded_.end()) {
      return Unavailable("segment lacks: sealed segment " + std::to_string(id) +
                         " is not loaded on " + env_.node);
    }
    out.push_back(SegmentRef{it->second->segment, it->second->duplicate_rows});
  }
  return out;
}

Task<Result<proto::ShardSearchResponse>> QueryNode::WorkerSearch(
    proto::ShardSearchRequest request) {
  Result<std::vector<SegmentRef>> segments = SegmentsOf(request.segment_ids());
  if (!segments.ok()) co_return segments.status();
  const std::vector<SegmentRef> pinned = std::move(*segments);
  // Injected bug "visibility-off-by-one", as in the delegator's growing search.
  const Timestamp mvcc{config_.injected_bug == ClusterConfig::InjectedBug::kVisibilityOffByOne
                           ? request.mvcc_ts() - 1
                           : request.mvcc_ts()};
  const bool dedup = config_.injected_bug != ClusterConfig::InjectedBug::kReduceKeepsDuplicates;
  const bool batch_bug = config_.injected_bug == ClusterConfig::InjectedBug::kBatchAnswersQuery0;
  Result<QueryHits> hits = QueryHits{};
  co_await env_.compute->RunCounted([&] {
    SearchWork work;
    hits = SearchSegments(pinned, request, mvcc, dedup, &work, batch_bug);
    Duration cost = SearchCost(work);
    cost.ns += cost.ns * config_.search_cost_extra_permille / 1000;  // 0 but in the gate's test
    return cost;
  });
  if (!hits.ok()) co_return hits.status();
  proto::ShardSearchResponse response;
  response.set_mvcc_ts(request.mvcc_ts());
  AddHits(*hits, response.mutable_hits(), response.mutable_topks());
  co_return response;
}

Task<Result<proto::ShardQueryResponse>> QueryNode::WorkerQuery(proto::ShardQueryRequest request) {
  Result<std::vector<SegmentRef>> segments = SegmentsOf(request.segment_ids());
  if (!segments.ok()) co_return segments.status();
  const std::vector<SegmentRef> pinned = std::move(*segments);
  if (pinned.empty()) co_return InvalidArgument("query: no segments named");
  Result<QueryAnswer> answer = QueryAnswer{};
  const Timestamp mvcc{request.mvcc_ts()};
  co_await env_.compute->Run(QueryCost(pinned),
                             [&] { answer = QuerySegments(pinned, request, mvcc); });
  if (!answer.ok()) co_return answer.status();
  proto::ShardQueryResponse response;
  if (request.count_only()) {
    response.set_count(answer->count);
  } else {
    response = QueryResponseOf(pinned.front().segment->schema(), answer->rows);
  }
  response.set_mvcc_ts(request.mvcc_ts());
  co_return response;
}

}  // namespace simvus::roles
