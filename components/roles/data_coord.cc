#include "components/roles/data_coord.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"

namespace simvus::roles {

namespace {

constexpr int64_t kFirstSegmentId = 1001;
constexpr int64_t kIdBlock = 1000;

std::string Padded(int64_t id) {
  std::string s = std::to_string(id);
  return std::string(s.size() < 12 ? 12 - s.size() : 0, '0') + s;
}

int64_t EstimatedRowBytes(const proto::CollectionSchema& schema) {
  int64_t bytes = 16;  // the RowID and Timestamp system columns
  for (const proto::FieldSchema& f : schema.fields()) {
    switch (f.type()) {
      case proto::INT64:
      case proto::DOUBLE:
        bytes += 8;
        break;
      case proto::BOOL:
        bytes += 1;
        break;
      case proto::VARCHAR:
        bytes += f.max_length();
        break;
      case proto::FLOAT_VECTOR:
        bytes += 4 * static_cast<int64_t>(f.dim());
        break;
      default:
        break;
    }
  }
  return bytes;
}

}  // namespace

std::string SegmentKey(int64_t collection_id, int64_t segment_id) {
  return kSegmentPrefix + std::to_string(collection_id) + "/" + Padded(segment_id);
}

std::string ChannelCheckpointKey(const std::string& vchannel) {
  return kChannelCheckpointPrefix + vchannel;
}

int64_t DataCoord::MaxRowsOf(const proto::CollectionSchema& schema, const ClusterConfig& config) {
  const double rows = static_cast<double>(config.segment_max_size_bytes) * config.seal_proportion /
                      static_cast<double>(EstimatedRowBytes(schema));
  return std::max<int64_t>(1, static_cast<int64_t>(rows));
}

DataCoord::DataCoord(Env& env, ClusterConfig config)
    : env_(env), config_(std::move(config)), mutex_(env.executor) {}

void DataCoord::Start() {
  RegisterProto<proto::WatchChannelsRequest, proto::Empty>(
      *env_.transport, kWatchChannels,
      [this](std::string, proto::WatchChannelsRequest r) { return WatchChannels(std::move(r)); });
  RegisterProto<proto::AssignSegmentIdRequest, proto::AssignSegmentIdResponse>(
      *env_.transport, kAssignSegmentId, [this](std::string, proto::AssignSegmentIdRequest r) {
        return AssignSegmentId(std::move(r));
      });
  RegisterProto<proto::AllocIdRequest, proto::AllocIdResponse>(
      *env_.transport, kAllocId,
      [this](std::string, proto::AllocIdRequest r) { return AllocId(std::move(r)); });
  RegisterProto<proto::FlushRequest, proto::FlushResponse>(
      *env_.transport, kDataCoordFlush,
      [this](std::string, proto::FlushRequest r) { return Flush(std::move(r)); });
  RegisterProto<proto::GetFlushStateRequest, proto::GetFlushStateResponse>(
      *env_.transport, kGetFlushState,
      [this](std::string, proto::GetFlushStateRequest r) { return GetFlushState(std::move(r)); });
  RegisterProto<proto::SegmentFlushingRequest, proto::Empty>(
      *env_.transport, kSegmentFlushing, [this](std::string, proto::SegmentFlushingRequest r) {
        return SegmentFlushing(std::move(r));
      });
  RegisterProto<proto::SaveBinlogPathsRequest, proto::Empty>(
      *env_.transport, kSaveBinlogPaths, [this](std::string, proto::SaveBinlogPathsRequest r) {
        return SaveBinlogPaths(std::move(r));
      });
  RegisterProto<proto::UpdateChannelCheckpointRequest, proto::Empty>(
      *env_.transport, kUpdateChannelCheckpoint,
      [this](std::string, proto::UpdateChannelCheckpointRequest r) {
        return UpdateChannelCheckpoint(std::move(r));
      });
  env_.Spawn(Recover());
}

Status DataCoord::CheckReady() const {
  if (!ready_) return Unavailable("datacoord: still recovering its meta");
  return Status::Ok();
}

Task<void> DataCoord::Recover() {
  co_await mutex_.Lock();
  for (;;) {
    const RangeRequest watches{.key = kChannelWatchPrefix,
                               .range_end = PrefixEnd(kChannelWatchPrefix)};
    Result<RangeResult> w = co_await env_.meta_store->Range(watches);
    const RangeRequest segments{.key = kSegmentPrefix, .range_end = PrefixEnd(kSegmentPrefix)};
    Result<RangeResult> s = co_await env_.meta_store->Range(segments);
    const RangeRequest cps{.key = kChannelCheckpointPrefix,
                           .range_end = PrefixEnd(kChannelCheckpointPrefix)};
    Result<RangeResult> c = co_await env_.meta_store->Range(cps);
    const RangeRequest id{.key = kSegmentIdKey};
    Result<RangeResult> i = co_await env_.meta_store->Range(id);
    if (!w.ok() || !s.ok() || !c.ok() || !i.ok()) {
      co_await env_.clock->Sleep(Duration::Millis(200));
      continue;
    }
    for (const KeyValue& kv : w->kvs) {
      proto::WatchChannelsRequest watch;
      if (!watch.ParseFromString(kv.value) || watch.collection().vchannels_size() != 1) continue;
      // Key: <prefix><data node>/<vchannel>.
      const std::string rest = kv.key.substr(std::string(kChannelWatchPrefix).size());
      const std::string node = rest.substr(0, rest.find('/'));
      const proto::CollectionInfo& one = watch.collection();
      owner_[one.vchannels(0)] = node;
      proto::CollectionInfo& info = collections_[one.id()];
      if (info.id() == 0) {
        info = one;
        info.clear_vchannels();
        info.clear_pchannels();
      }
      if (std::find(info.vchannels().begin(), info.vchannels().end(), one.vchannels(0)) ==
          info.vchannels().end()) {
        info.add_vchannels(one.vchannels(0));
        info.add_pchannels(one.pchannels(0));
      }
    }
    for (const KeyValue& kv : s->kvs) {
      Segment segment;
      if (!segment.info.ParseFromString(kv.value)) continue;
      segment.created = env_.clock->Now();
      segment.last_assigned = segment.created;
      segment.dropped = segment.created;
      segments_[segment.info.id()] = std::move(segment);
    }
    for (const KeyValue& kv : c->kvs) {
      proto::ChannelCheckpoint cp;
      if (cp.ParseFromString(kv.value)) checkpoints_[cp.vchannel()] = cp.position();
    }
    next_id_ = kFirstSegmentId;
    if (!i->kvs.empty()) next_id_ = std::stoll(i->kvs.front().value);
    id_limit_ = next_id_;
    break;
  }
  // Assignments handed out before a restart are unknown: seal every growing segment with an
  // expiry past any of them.
  std::vector<int64_t> open;
  for (const auto& [id, segment] : segments_) {
    if (segment.info.state() == proto::GROWING) open.push_back(id);
  }
  if (!open.empty()) {
    Result<Timestamp> now = co_await AllocTimestamp();
    while (!now.ok()) {
      co_await env_.clock->Sleep(Duration::Millis(200));
      now = co_await AllocTimestamp();
    }
    for (int64_t id : open) {
      segments_[id].info.set_last_expire_ts(now->AddPhysical(config_.assignment_expiration).value);
      const std::string why = "datacoord restarted: its assignments are unknown";
      (void)co_await Seal(id, why);
    }
  }
  // A seal persisted just before a crash may never have reached the data node: tell it again
  // (FlushSegments is idempotent).
  for (const auto& [id, segment] : segments_) {
    const proto::SegmentInfo& info = segment.info;
    if (info.level() != proto::L1 ||
        (info.state() != proto::SEALED && info.state() != proto::FLUSHING)) {
      continue;
    }
    proto::FlushSegmentsRequest again;
    again.set_vchannel(info.vchannel());
    again.add_segment_ids(id);
    again.add_flush_after_ts(info.last_expire_ts());
    NotifyDataNode(std::move(again));
  }
  ready_ = true;
  RecordSegments();
  RecordCheckpoints();
  env_.Step("data.recover", "datacoord loads " + std::to_string(segments_.size()) +
                                " segment(s) and " + std::to_string(checkpoints_.size()) +
                                " channel checkpoint(s) from the meta store");
  mutex_.Unlock();
  env_.Spawn(SealPolicyLoop());
  env_.Spawn(CompactionLoop());
  env_.Spawn(GcLoop());
}

Task<Result<Timestamp>> DataCoord::AllocTimestamp() {
  proto::AllocTimestampRequest request;
  request.set_count(1);
  Result<proto::AllocTimestampResponse> response =
      co_await CallProto<proto::AllocTimestampResponse>(
          *env_.transport, config_.root_coord, kAllocTimestamp, request, config_.rpc_deadline);
  if (!response.ok()) co_return response.status();
  co_return Timestamp{response->first_ts()};
}

Task<Result<int64_t>> DataCoord::NextId() {
  if (next_id_ >= id_limit_) {
    const int64_t limit = next_id_ + kIdBlock;
    Result<PutResult> put = co_await env_.meta_store->Put(kSegmentIdKey, std::to_string(limit));
    if (!put.ok()) co_return put.status();
    id_limit_ = limit;
  }
  co_return next_id_++;
}

Task<Status> DataCoord::Persist(const proto::SegmentInfo& info) {
  Result<PutResult> put = co_await env_.meta_store->Put(SegmentKey(info.collection_id(), info.id()),
                                                        info.SerializeAsString());
  if (!put.ok()) co_return put.status();
  co_return Status::Ok();
}

Task<Status> DataCoord::Seal(int64_t segment_id, const std::string& why) {
  Segment& segment = segments_[segment_id];
  proto::SegmentInfo sealed = segment.info;
  sealed.set_state(proto::SEALED);
  SIMVUS_CO_RETURN_IF_ERROR(co_await Persist(sealed));
  segment.info = sealed;
  growing_.erase(ChannelKey{sealed.collection_id(), sealed.vchannel()});
  RecordSegments();
  env_.Step("data.seal", "seals segment " + std::to_string(segment_id) + " of " +
                             sealed.vchannel() + " (" + why +
                             "): Growing -> Sealed; flushable once the channel tick passes " +
                             ToString(Timestamp{sealed.last_expire_ts()}));
  co_await CrashPoint(env_, "datacoord/seal:after-persist");
  proto::FlushSegmentsRequest request;
  request.set_vchannel(sealed.vchannel());
  request.add_segment_ids(segment_id);
  request.add_flush_after_ts(sealed.last_expire_ts());
  NotifyDataNode(std::move(request));
  co_return Status::Ok();
}

void DataCoord::NotifyDataNode(proto::FlushSegmentsRequest request) {
  auto owner = owner_.find(request.vchannel());
  if (owner == owner_.end()) return;
  env_.Spawn(NotifyLoop(owner->second, std::move(request)));
}

Task<void> DataCoord::NotifyLoop(std::string data_node, proto::FlushSegmentsRequest request) {
  // The data node also finds sealed segments in the MetaStore when it (re)starts, so a few tries
  // are enough; a channel flush (flush_ts) is retried longer, since only this request carries it.
  const int attempts = request.flush_ts() != 0 ? 60 : 10;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
        *env_.transport, data_node, kFlushSegments, request, config_.rpc_deadline);
    if (sent.ok()) co_return;
    co_await env_.clock->Sleep(Duration::Seconds(1));
  }
}

Task<void> DataCoord::SealPolicyLoop() {
  for (;;) {
    co_await env_.clock->Sleep(Duration::Seconds(1));
    co_await mutex_.Lock();
    const Instant now = env_.clock->Now();
    std::vector<std::pair<int64_t, std::string>> due;
    for (const auto& [key, id] : growing_) {
      const Segment& s = segments_[id];
      const proto::CollectionInfo& info = collections_[s.info.collection_id()];
      const int64_t bytes = s.assigned * EstimatedRowBytes(info.schema());
      if (now - s.created >= config_.segment_max_life) {
        due.emplace_back(id, "lifetime: older than dataCoord.segment.maxLife");
      } else if (now - s.last_assigned >= config_.segment_max_idle &&
                 bytes >= config_.min_size_from_idle_to_sealed) {
        due.emplace_back(id, "idle: no writes for dataCoord.segment.maxIdleTime");
      }
    }
    for (const auto& [id, why] : due) (void)co_await Seal(id, why);
    mutex_.Unlock();
  }
}

Task<Result<proto::Empty>> DataCoord::WatchChannels(proto::WatchChannelsRequest request) {
  const proto::CollectionInfo& info = request.collection();
  collections_[info.id()] = info;
  for (int i = 0; i < info.vchannels_size(); ++i) {
    const std::string& data_node =
        config_.data_nodes[static_cast<size_t>(i) % config_.data_nodes.size()];
    proto::WatchChannelsRequest watch;
    proto::CollectionInfo* one = watch.mutable_collection();
    *one = info;
    one->clear_vchannels();
    one->clear_pchannels();
    one->add_vchannels(info.vchannels(i));
    one->add_pchannels(info.pchannels(i));
    // Persist first, so that a restarted data node finds its channels.
    Result<PutResult> put = co_await env_.meta_store->Put(
        kChannelWatchPrefix + data_node + "/" + info.vchannels(i), watch.SerializeAsString());
    if (!put.ok()) co_return put.status();
    owner_[info.vchannels(i)] = data_node;
    env_.Step("data.assign",
              "assigns " + info.vchannels(i) + " to " + data_node + " (recorded in the meta store)",
              env_.node, data_node);
    Result<proto::Empty> watched = co_await CallProto<proto::Empty>(
        *env_.transport, data_node, kWatchDmChannels, watch, config_.rpc_deadline);
    if (!watched.ok()) co_return watched.status();
  }
  co_return proto::Empty();
}

Task<Result<proto::AssignSegmentIdResponse>> DataCoord::AssignSegmentId(
    proto::AssignSegmentIdRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  co_await mutex_.Lock();
  Result<Timestamp> now = co_await AllocTimestamp();
  if (!now.ok()) {
    mutex_.Unlock();
    co_return now.status();
  }
  const uint64_t expire = now->AddPhysical(config_.assignment_expiration).value;
  proto::AssignSegmentIdResponse response;
  Status status = Status::Ok();
  for (const proto::SegmentIdRequest& r : request.requests()) {
    auto collection = collections_.find(r.collection_id());
    if (collection == collections_.end()) {
      status = NotFound("assign segment: collection " + std::to_string(r.collection_id()) +
                        " is not known to datacoord");
      break;
    }
    const ChannelKey key{r.collection_id(), r.vchannel()};
    auto open = growing_.find(key);
    if (open != growing_.end()) {
      const Segment& s = segments_[open->second];
      const bool full = s.assigned > 0 && s.assigned + r.count() > s.info.max_rows();
      // Buggify: seal early, as a smaller segment size would (more segments, more handoffs).
      if (full || (s.assigned > 0 && Buggify(env_, "datacoord/seal:early"))) {
        const std::string why =
            full ? "capacity: " + std::to_string(s.assigned) + " rows, the next write would pass " +
                       std::to_string(s.info.max_rows())
                 : "buggify: sealed early at " + std::to_string(s.assigned) + " rows";
        status = co_await Seal(open->second, why);
        if (!status.ok()) break;
        open = growing_.end();
      }
    }
    if (open == growing_.end()) {
      Result<int64_t> id = co_await NextId();
      if (!id.ok()) {
        status = id.status();
        break;
      }
      Segment s;
      s.info.set_id(*id);
      s.info.set_collection_id(r.collection_id());
      s.info.set_partition_id(r.partition_id());
      s.info.set_vchannel(r.vchannel());
      s.info.set_state(proto::GROWING);
      s.info.set_level(proto::L1);
      s.info.set_max_rows(MaxRowsOf(collection->second.schema(), config_));
      s.info.set_created_ts(now->value);
      s.created = env_.clock->Now();
      status = co_await Persist(s.info);
      if (!status.ok()) break;
      env_.Step("data.open-segment", "opens segment " + std::to_string(*id) + " on " +
                                         r.vchannel() + " (Growing, seals at " +
                                         std::to_string(s.info.max_rows()) + " rows)");
      segments_[*id] = std::move(s);
      open = growing_.emplace(key, *id).first;
      RecordSegments();
    }
    Segment& s = segments_[open->second];
    s.assigned += r.count();
    s.last_assigned = env_.clock->Now();
    s.info.set_last_expire_ts(std::max(s.info.last_expire_ts(), expire));
    proto::SegmentIdAssignment* a = response.add_assignments();
    a->set_segment_id(s.info.id());
    a->set_vchannel(r.vchannel());
    a->set_count(r.count());
    a->set_expire_ts(expire);
    // A write older than the collection's latest flush must not stay in a growing segment: the
    // flush promised everything before its ts.
    auto fence = flush_fence_.find(r.collection_id());
    if (fence != flush_fence_.end() && r.ts() <= fence->second) {
      const std::string why = "holds a write older than the last flush";
      status = co_await Seal(s.info.id(), why);
    } else if (s.assigned >= s.info.max_rows()) {
      const std::string why = "capacity: full at " + std::to_string(s.assigned) + " rows";
      status = co_await Seal(s.info.id(), why);
    }
    if (!status.ok()) break;
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return response;
}

Task<Result<proto::AllocIdResponse>> DataCoord::AllocId(proto::AllocIdRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  if (request.count() < 1 || request.count() > kIdBlock) {
    co_return InvalidArgument("alloc id: count must be in [1, " + std::to_string(kIdBlock) +
                              "], got " + std::to_string(request.count()));
  }
  co_await mutex_.Lock();
  proto::AllocIdResponse response;
  Status status = Status::Ok();
  for (int32_t i = 0; i < request.count(); ++i) {
    Result<int64_t> id = co_await NextId();
    if (!id.ok()) {
      status = id.status();
      break;
    }
    if (i == 0) response.set_first_id(*id);
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  response.set_count(request.count());
  co_return response;
}

Task<Result<proto::FlushResponse>> DataCoord::Flush(proto::FlushRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  const proto::CollectionInfo* info = nullptr;
  for (const auto& [id, c] : collections_) {
    if (c.schema().name() == request.collection()) info = &c;
  }
  if (info == nullptr) {
    co_return NotFound("flush: collection \"" + request.collection() + "\" does not exist");
  }
  const int64_t collection_id = info->id();
  co_await mutex_.Lock();
  Result<Timestamp> flush_ts = co_await AllocTimestamp();
  if (!flush_ts.ok()) {
    mutex_.Unlock();
    co_return flush_ts.status();
  }
  std::vector<int64_t> open;
  for (const auto& [key, id] : growing_) {
    if (key.first == collection_id) open.push_back(id);
  }
  for (int64_t id : open) {
    const std::string why = "Flush(" + request.collection() + ")";
    Status sealed = co_await Seal(id, why);
    if (!sealed.ok()) {
      mutex_.Unlock();
      co_return sealed;
    }
  }
  flush_fence_[collection_id] = flush_ts->value;
  proto::FlushResponse response;
  response.set_collection_id(collection_id);
  response.set_flush_ts(flush_ts->value);
  for (const auto& [id, s] : segments_) {
    if (s.info.collection_id() != collection_id || s.info.level() != proto::L1) continue;
    if (s.info.state() == proto::SEALED || s.info.state() == proto::FLUSHING) {
      response.add_segment_ids(id);
      // Sealed earlier: remind its data node (a notice lost to a crash is not lost for good).
      if (std::find(open.begin(), open.end(), id) == open.end()) {
        proto::FlushSegmentsRequest again;
        again.set_vchannel(s.info.vchannel());
        again.add_segment_ids(id);
        again.add_flush_after_ts(s.info.last_expire_ts());
        NotifyDataNode(std::move(again));
      }
    } else if (s.info.state() == proto::FLUSHED) {
      response.add_flushed_segment_ids(id);
    }
  }
  // Each vchannel's deletes go into a fresh L0 segment once its tick passes the flush ts.
  const proto::CollectionInfo collection = collections_[collection_id];
  for (const std::string& vchannel : collection.vchannels()) {
    Result<int64_t> l0 = co_await NextId();
    if (!l0.ok()) {
      mutex_.Unlock();
      co_return l0.status();
    }
    proto::FlushSegmentsRequest channel_flush;
    channel_flush.set_vchannel(vchannel);
    channel_flush.set_flush_ts(flush_ts->value);
    channel_flush.set_l0_segment_id(*l0);
    NotifyDataNode(std::move(channel_flush));
  }
  mutex_.Unlock();
  env_.Step("data.flush",
            "Flush(" + request.collection() + ") at flush ts " + ToString(*flush_ts) + ": " +
                std::to_string(response.segment_ids_size()) + " segment(s) to flush, " +
                std::to_string(response.flushed_segment_ids_size()) + " already flushed");
  co_return response;
}

Task<Result<proto::GetFlushStateResponse>> DataCoord::GetFlushState(
    proto::GetFlushStateRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  const proto::CollectionInfo* info = nullptr;
  for (const auto& [id, c] : collections_) {
    if (c.schema().name() == request.collection()) info = &c;
  }
  if (info == nullptr) {
    co_return NotFound("get flush state: collection \"" + request.collection() +
                       "\" does not exist");
  }
  proto::GetFlushStateResponse response;
  int32_t unflushed = 0;
  for (int64_t id : request.segment_ids()) {
    auto s = segments_.find(id);
    if (s == segments_.end()) {
      co_return NotFound("get flush state: segment " + std::to_string(id) + " does not exist");
    }
    if (s->second.info.state() != proto::FLUSHED && s->second.info.state() != proto::DROPPED)
      ++unflushed;
  }
  uint64_t min_cp = ~uint64_t{0};
  for (const std::string& vchannel : info->vchannels()) {
    auto cp = checkpoints_.find(vchannel);
    min_cp = std::min<uint64_t>(min_cp, cp == checkpoints_.end() ? 0 : cp->second.ts());
  }
  response.set_unflushed_segments(unflushed);
  response.set_min_checkpoint_ts(min_cp);
  response.set_flushed(unflushed == 0 && min_cp >= request.flush_ts());
  co_return response;
}

Task<Result<proto::Empty>> DataCoord::SegmentFlushing(proto::SegmentFlushingRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  co_await mutex_.Lock();
  auto s = segments_.find(request.segment_id());
  Status status = Status::Ok();
  if (s == segments_.end()) {
    status = NotFound("segment " + std::to_string(request.segment_id()) + " does not exist");
  } else if (s->second.info.state() == proto::SEALED &&
             config_.injected_bug != ClusterConfig::InjectedBug::kSealedToFlushed) {
    proto::SegmentInfo flushing = s->second.info;
    flushing.set_state(proto::FLUSHING);
    status = co_await Persist(flushing);
    if (status.ok()) {
      s->second.info = flushing;
      RecordSegments();
      env_.Step("data.flushing", "segment " + std::to_string(flushing.id()) +
                                     ": Sealed -> Flushing (a data node claimed it)");
    }
  } else if (s->second.info.state() != proto::FLUSHING && s->second.info.state() != proto::SEALED) {
    status = FailedPrecondition("segment " + std::to_string(request.segment_id()) + " is " +
                                proto::SegmentState_Name(s->second.info.state()) +
                                ", not Sealed: nothing to flush");
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

void DataCoord::AdvanceCheckpoint(const std::string& vchannel, const proto::MsgPosition& position,
                                  std::vector<TxnOp>& ops) {
  auto cp = checkpoints_.find(vchannel);
  // Never backward, in offset or in ts: a late report of an older sync is dropped. (The injected
  // bug only skips unchanged ones.)
  if (cp != checkpoints_.end()) {
    const proto::MsgPosition& old = cp->second;
    const bool same = position.offset() == old.offset() && position.ts() == old.ts();
    const bool not_back = position.offset() >= old.offset() && position.ts() >= old.ts();
    const bool unguarded = config_.injected_bug == ClusterConfig::InjectedBug::kCheckpointUnguarded;
    if (same || (!not_back && !unguarded)) return;
  }
  checkpoints_[vchannel] = position;
  proto::ChannelCheckpoint value;
  value.set_vchannel(vchannel);
  *value.mutable_position() = position;
  ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                      .key = ChannelCheckpointKey(vchannel),
                      .value = value.SerializeAsString()});
}

Task<Status> DataCoord::Commit(std::vector<TxnOp> ops,
                               std::map<std::string, proto::MsgPosition> checkpoints_before) {
  if (ops.empty()) co_return Status::Ok();
  std::vector<Compare> always;
  std::vector<TxnOp> otherwise;
  Result<TxnResult> txn =
      co_await env_.meta_store->Txn(std::move(always), std::move(ops), std::move(otherwise));
  if (txn.ok()) {
    RecordCheckpoints();
    co_return Status::Ok();
  }
  checkpoints_ = std::move(checkpoints_before);
  co_return txn.status();
}

Task<Result<proto::Empty>> DataCoord::SaveBinlogPaths(proto::SaveBinlogPathsRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  co_await mutex_.Lock();
  proto::SegmentInfo flushed;
  Status status = Status::Ok();
  auto s = segments_.find(request.segment_id());
  const bool l0 = request.level() == proto::L0;
  bool repeat = false;
  if (l0) {
    if (s != segments_.end()) {
      repeat = true;  // a retry whose first attempt landed
    } else {
      flushed.set_id(request.segment_id());
      flushed.set_collection_id(request.collection_id());
      flushed.set_vchannel(request.vchannel());
      flushed.set_level(proto::L0);
    }
  } else if (s == segments_.end()) {
    status = NotFound("save binlog paths: segment " + std::to_string(request.segment_id()) +
                      " does not exist");
  } else if (s->second.info.state() == proto::FLUSHED || s->second.info.state() == proto::DROPPED) {
    repeat = true;
  } else if (s->second.info.state() == proto::FLUSHING ||
             (s->second.info.state() == proto::SEALED &&
              config_.injected_bug == ClusterConfig::InjectedBug::kSealedToFlushed)) {
    flushed = s->second.info;
  } else {
    status = FailedPrecondition(
        "save binlog paths: segment " + std::to_string(request.segment_id()) + " is " +
        proto::SegmentState_Name(s->second.info.state()) + ", not Flushing");
  }
  if (status.ok() && !repeat) {
    flushed.set_state(request.num_rows() == 0 && !l0 ? proto::DROPPED : proto::FLUSHED);
    flushed.set_num_rows(request.num_rows());
    flushed.set_manifest(request.manifest());
    *flushed.mutable_start_position() = request.start_position();
    *flushed.mutable_dml_position() = request.dml_position();
  }
  std::vector<TxnOp> ops;
  if (status.ok() && !repeat) {
    ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                        .key = SegmentKey(flushed.collection_id(), flushed.id()),
                        .value = flushed.SerializeAsString()});
  }
  const std::map<std::string, proto::MsgPosition> before = checkpoints_;
  if (status.ok() && request.has_checkpoint()) {
    AdvanceCheckpoint(request.vchannel(), request.checkpoint(), ops);
  }
  if (status.ok()) status = co_await Commit(std::move(ops), before);
  if (status.ok() && !repeat) {
    Segment& entry = segments_[flushed.id()];
    entry.info = flushed;
    entry.dropped = env_.clock->Now();
    RecordSegments();
    env_.Step(
        "data.flushed",
        std::string(l0 ? "L0 segment " : "segment ") + std::to_string(flushed.id()) + ": " +
            (l0 ? "deltalog saved, Flushed"
             : flushed.state() == proto::DROPPED
                 ? "no rows, Dropped"
                 : "Flushing -> Flushed with " + std::to_string(flushed.num_rows()) + " row(s)") +
            "; checkpoint of " + request.vchannel() + " at ts " +
            ToString(Timestamp{checkpoints_[request.vchannel()].ts()}));
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

Task<Result<proto::Empty>> DataCoord::UpdateChannelCheckpoint(
    proto::UpdateChannelCheckpointRequest request) {
  SIMVUS_CO_RETURN_IF_ERROR(CheckReady());
  co_await mutex_.Lock();
  std::vector<TxnOp> ops;
  const std::map<std::string, proto::MsgPosition> before = checkpoints_;
  AdvanceCheckpoint(request.vchannel(), request.position(), ops);
  const Status status = co_await Commit(std::move(ops), before);
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

void DataCoord::RecordSegments() {
  // Counts by (state, level), every state present so that an emptied state reads 0.
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (proto::SegmentState state :
       {proto::GROWING, proto::SEALED, proto::FLUSHING, proto::FLUSHED, proto::DROPPED}) {
    for (proto::SegmentLevel level : {proto::L0, proto::L1}) {
      counts[{metrics::SegmentStateLabel(state), metrics::SegmentLevelLabel(level)}] = 0;
    }
  }
  for (const auto& [id, segment] : segments_) {
    const proto::SegmentInfo& info = segment.info;
    ++counts[{metrics::SegmentStateLabel(info.state()), metrics::SegmentLevelLabel(info.level())}];
    auto published = published_states_.find(id);
    if (published != published_states_.end() && published->second == info.state()) continue;
    // The state-set: 1 for the segment's state, 0 for the others.
    const std::string segment_id = std::to_string(id);
    for (proto::SegmentState state :
         {proto::GROWING, proto::SEALED, proto::FLUSHING, proto::FLUSHED, proto::DROPPED}) {
      env_.metrics->Set(metrics::kDataCoordSegmentState, state == info.state() ? 1 : 0,
                        {{metrics::kSegmentId, segment_id},
                         {metrics::kSegmentState, metrics::SegmentStateLabel(state)}});
    }
    published_states_[id] = info.state();
  }
  for (auto it = published_states_.begin(); it != published_states_.end();) {
    if (segments_.count(it->first) > 0) {
      ++it;
      continue;
    }
    const std::string segment_id = std::to_string(it->first);
    for (proto::SegmentState state :
         {proto::GROWING, proto::SEALED, proto::FLUSHING, proto::FLUSHED, proto::DROPPED}) {
      env_.metrics->RemoveGauge(metrics::kDataCoordSegmentState,
                                {{metrics::kSegmentId, segment_id},
                                 {metrics::kSegmentState, metrics::SegmentStateLabel(state)}});
    }
    it = published_states_.erase(it);
  }
  for (const auto& [key, count] : counts) {
    env_.metrics->Set(metrics::kDataCoordSegmentNum, static_cast<double>(count),
                      {{metrics::kSegmentState, key.first}, {metrics::kSegmentLevel, key.second}});
  }
}

void DataCoord::RecordCheckpoints() {
  for (const auto& [vchannel, position] : checkpoints_) {
    env_.metrics->Set(metrics::kDataCoordChannelCheckpointUnixSeconds,
                      metrics::PhysicalMs(position.ts()) / 1000.0, {{metrics::kChannel, vchannel}});
  }
}

}  // namespace simvus::roles
