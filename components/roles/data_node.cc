#include "components/roles/data_node.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/channel_consumer.h"
#include "components/roles/data_coord.h"
#include "components/roles/msg_position.h"
#include "components/roles/role_metrics.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

namespace {

bool Retryable(const Status& s) {
  return s.code() != StatusCode::kNotFound && s.code() != StatusCode::kFailedPrecondition &&
         s.code() != StatusCode::kInvalidArgument;
}

}  // namespace

void DataNode::Start() {
  RegisterProto<proto::WatchChannelsRequest, proto::Empty>(
      *env_.transport, kWatchDmChannels,
      [this](std::string, proto::WatchChannelsRequest r) { return Watch(std::move(r)); });
  RegisterProto<proto::FlushSegmentsRequest, proto::Empty>(
      *env_.transport, kFlushSegments,
      [this](std::string, proto::FlushSegmentsRequest r) { return FlushSegments(std::move(r)); });
  env_.Spawn(Recover());
}

Task<void> DataNode::Backoff(int attempt) {
  int64_t ms = 100;
  for (int i = 0; i < attempt && ms < config_.sync_retry_max_backoff.millis(); ++i) ms *= 2;
  co_await env_.clock->Sleep(
      Duration::Millis(std::min(ms, config_.sync_retry_max_backoff.millis())));
}

Task<void> DataNode::Recover() {
  const std::string prefix = kChannelWatchPrefix + env_.node + "/";
  for (int attempt = 0;; ++attempt) {
    const RangeRequest assignments{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> range = co_await env_.meta_store->Range(assignments);
    if (!range.ok()) {
      co_await Backoff(attempt);
      continue;
    }
    // Everything first, then consumption: a pchannel starts at its vchannels' lowest checkpoint.
    std::vector<Channel> recovered;
    std::map<std::string, int64_t> lowest;     // pchannel -> lowest checkpoint offset
    std::set<std::string> from_low_watermark;  // a vchannel has no checkpoint yet
    bool failed = false;
    for (const KeyValue& kv : range->kvs) {
      proto::WatchChannelsRequest watch;
      if (!watch.ParseFromString(kv.value) || watch.collection().vchannels_size() != 1) continue;
      Channel channel;
      channel.info = watch.collection();
      channel.vchannel = channel.info.vchannels(0);
      channel.pchannel = channel.info.pchannels(0);
      const RangeRequest cp_key{.key = ChannelCheckpointKey(channel.vchannel)};
      Result<RangeResult> cp = co_await env_.meta_store->Range(cp_key);
      const std::string seg_prefix = kSegmentPrefix + std::to_string(channel.info.id()) + "/";
      const RangeRequest segs{.key = seg_prefix, .range_end = PrefixEnd(seg_prefix)};
      Result<RangeResult> segments = co_await env_.meta_store->Range(segs);
      if (!cp.ok() || !segments.ok()) {
        failed = true;
        break;
      }
      std::optional<int64_t> start;
      if (!cp->kvs.empty()) {
        proto::ChannelCheckpoint checkpoint;
        if (checkpoint.ParseFromString(cp->kvs.front().value)) {
          channel.skip = checkpoint.position();
          channel.reported = checkpoint.position();
          channel.tick = checkpoint.position().ts();
          start = checkpoint.position().offset();
        }
      }
      for (const KeyValue& s : segments->kvs) {
        proto::SegmentInfo info;
        if (!info.ParseFromString(s.value) || info.vchannel() != channel.vchannel) continue;
        if (info.level() == proto::L0) {
          // Dropped L0 segments were compacted into flushed segments: still persisted.
          if (info.state() == proto::FLUSHED || info.state() == proto::DROPPED) {
            channel.deletes_persisted_through =
                std::max(channel.deletes_persisted_through, info.dml_position().offset());
          }
        } else if (info.state() == proto::FLUSHED || info.state() == proto::DROPPED) {
          channel.persisted.insert(info.id());
        } else if (info.state() == proto::SEALED || info.state() == proto::FLUSHING) {
          SegmentBuffer& b = segments_[info.id()];
          b.id = info.id();
          b.vchannel = channel.vchannel;
          b.flush_after = info.last_expire_ts();
        }
      }
      if (!start) {
        from_low_watermark.insert(channel.pchannel);
      } else if (!lowest.count(channel.pchannel) || lowest[channel.pchannel] > *start) {
        lowest[channel.pchannel] = *start;
      }
      env_.Step("data.recover",
                "recovers " + channel.vchannel + ": " + std::to_string(channel.persisted.size()) +
                    " persisted segment(s); replays " + channel.pchannel +
                    (start ? " from the checkpoint @offset " + std::to_string(*start) + " (ts " +
                                 ToString(Timestamp{channel.skip.ts()}) + ")"
                           : " from the start (no checkpoint yet)"));
      recovered.push_back(std::move(channel));
    }
    if (failed) {
      segments_.clear();
      co_await Backoff(attempt);
      continue;
    }
    for (Channel& channel : recovered) {
      const std::string pchannel = channel.pchannel;
      std::optional<int64_t> start;
      if (!from_low_watermark.count(pchannel)) start = lowest[pchannel];
      WatchOne(std::move(channel), start);
    }
    co_return;
  }
}

Task<Result<proto::Empty>> DataNode::Watch(proto::WatchChannelsRequest request) {
  const proto::CollectionInfo& info = request.collection();
  for (int i = 0; i < info.vchannels_size(); ++i) {
    Channel channel;
    channel.info = info;
    channel.vchannel = info.vchannels(i);
    channel.pchannel = info.pchannels(i);
    WatchOne(std::move(channel), std::nullopt);
  }
  co_return proto::Empty();
}

void DataNode::WatchOne(Channel channel, std::optional<int64_t> start) {
  if (channels_.count(channel.vchannel)) return;
  const std::string vchannel = channel.vchannel;
  const std::string pchannel = channel.pchannel;
  channel.schema = SegmentSchemaOf(channel.info.schema());
  channel.next_offset = start.value_or(0);
  const Channel& watched = channels_.emplace(vchannel, std::move(channel)).first->second;
  if (watched.reported.ts() != 0) RecordCheckpoint(watched);
  const bool first = vchannels_of_[pchannel].empty();
  vchannels_of_[pchannel].insert(vchannel);
  env_.Step("data.watch",
            "watches " + vchannel + ": consumes " + pchannel + " into its write buffers");
  if (first) {
    env_.Spawn(ConsumePChannelFrom(env_, pchannel, start,
                                   [this, pchannel](const proto::LogMessage& m, int64_t offset) {
                                     Apply(pchannel, m, offset);
                                   }));
  }
  if (!checkpoint_loop_started_) {
    checkpoint_loop_started_ = true;
    env_.Spawn(CheckpointLoop());
  }
}

Task<Result<proto::Empty>> DataNode::FlushSegments(proto::FlushSegmentsRequest request) {
  auto channel = channels_.find(request.vchannel());
  if (channel == channels_.end()) {
    co_return NotFound("flush segments: " + env_.node + " does not watch " + request.vchannel());
  }
  for (int i = 0; i < request.segment_ids_size() && i < request.flush_after_ts_size(); ++i) {
    const int64_t id = request.segment_ids(i);
    if (channel->second.persisted.count(id)) continue;
    SegmentBuffer& b = segments_[id];
    b.id = id;
    b.vchannel = request.vchannel();
    b.flush_after = request.flush_after_ts(i);
  }
  if (request.flush_ts() != 0) {
    channel->second.channel_flushes.emplace(request.flush_ts(), request.l0_segment_id());
  }
  MaybeSync(channel->second);
  co_return proto::Empty();
}

void DataNode::Apply(const std::string& pchannel, const proto::LogMessage& message,
                     int64_t offset) {
  if (message.has_time_tick()) {
    for (const std::string& vchannel : vchannels_of_[pchannel]) {
      Channel& channel = channels_[vchannel];
      if (offset < channel.next_offset) continue;
      channel.next_offset = offset + 1;
      channel.tick = std::max(channel.tick, message.time_tick().ts());
      const Metrics::Labels labels = {{metrics::kChannel, vchannel}};
      env_.metrics->Set(metrics::kDataNodeConsumeTtLagMs,
                        metrics::LagMs(env_.clock->Now(), channel.tick), labels);
      MaybeSync(channel);
    }
    return;
  }
  const std::string& vchannel =
      message.has_insert() ? message.insert().vchannel() : message.delete_().vchannel();
  auto found = channels_.find(vchannel);
  if (found == channels_.end()) return;
  Channel& channel = found->second;
  if (offset < channel.next_offset) return;
  channel.next_offset = offset + 1;
  if (offset < channel.skip.offset()) return;  // persisted before the checkpoint
  if (message.has_insert()) ApplyInsert(channel, message.insert(), offset);
  if (message.has_delete_()) ApplyDelete(channel, message.delete_(), offset);
}

void DataNode::ApplyInsert(Channel& channel, const proto::InsertMsg& insert, int64_t offset) {
  const int64_t id = insert.segment_id();
  if (channel.persisted.count(id)) {
    env_.Step("data.replay-skip", "skips insert ts=" + ToString(Timestamp{insert.ts()}) +
                                      " @offset " + std::to_string(offset) + ": segment " +
                                      std::to_string(id) + " is already flushed");
    return;
  }
  Result<segment::InsertBatch> batch = InsertBatchOf(channel.schema, insert);
  if (!batch.ok()) {
    env_.Step("data.reject", "insert @offset " + std::to_string(offset) +
                                 " does not fit the schema: " + batch.status().ToString());
    return;
  }
  SegmentBuffer& b = segments_[id];
  b.id = id;
  b.vchannel = channel.vchannel;
  if (!b.rows) b.rows = std::make_unique<segment::Segment>(segment::SegmentId{id}, channel.schema);
  if (b.rows->num_rows() == 0) {
    b.start = MakePosition(channel.pchannel, offset, insert.ts() - 1);
  }
  b.start.set_ts(std::min<uint64_t>(b.start.ts(), insert.ts() - 1));
  b.last = MakePosition(channel.pchannel, offset, insert.ts());
  Status inserted = b.rows->Insert(*batch);
  if (!inserted.ok()) {
    env_.Step("data.reject", "segment " + std::to_string(id) + " refuses insert @offset " +
                                 std::to_string(offset) + ": " + inserted.ToString());
    return;
  }
  b.bytes += static_cast<int64_t>(insert.ByteSizeLong());
  RecordBuffer(channel);
  env_.Step("data.buffer",
            "buffers insert ts=" + ToString(Timestamp{insert.ts()}) + " into segment " +
                std::to_string(id) + " (" + std::to_string(b.rows->num_rows()) +
                " row(s) buffered, not yet flushed)",
            channel.pchannel, env_.node);
}

void DataNode::ApplyDelete(Channel& channel, const proto::DeleteMsg& del, int64_t offset) {
  const bool reapply = config_.injected_bug == ClusterConfig::InjectedBug::kReplayReappliesDeletes;
  if (offset <= channel.deletes_persisted_through && !reapply) {
    env_.Step("data.replay-skip", "skips delete ts=" + ToString(Timestamp{del.ts()}) + " @offset " +
                                      std::to_string(offset) + ": already in an L0 segment");
    return;
  }
  DeleteBuffer& d = channel.deletes;
  if (d.empty()) d.start = MakePosition(channel.pchannel, offset, del.ts() - 1);
  d.start.set_ts(std::min<uint64_t>(d.start.ts(), del.ts() - 1));
  d.last = MakePosition(channel.pchannel, offset, del.ts());
  const std::vector<segment::PrimaryKey> pks(del.pks().begin(), del.pks().end());
  for (const segment::PrimaryKey& pk : pks) d.records.emplace_back(pk, Timestamp{del.ts()});
  RecordBuffer(channel);
  env_.Step("data.buffer",
            "buffers delete ts=" + ToString(Timestamp{del.ts()}) + " of " +
                std::to_string(del.pks_size()) + " pk(s) for " + channel.vchannel +
                " (for the next L0 segment)",
            channel.pchannel, env_.node);
}

void DataNode::MaybeSync(Channel& channel) {
  for (auto& [id, b] : segments_) {
    if (b.vchannel != channel.vchannel || b.syncing || b.flush_after == 0) continue;
    if (channel.tick < b.flush_after) continue;
    b.syncing = true;
    env_.Spawn(SyncSegment(id));
  }
  const int64_t delete_bytes = static_cast<int64_t>(channel.deletes.records.size()) * 16;
  if (channel.syncing_deletes.empty() && !channel.deletes.empty() &&
      delete_bytes >= config_.delete_buffer_bytes) {
    channel.syncing_deletes = std::move(channel.deletes);
    channel.deletes = DeleteBuffer{};
    env_.Spawn(SyncDeletes(channel.vchannel, 0, 0));
  }
  if (!channel.channel_flushes.empty() && channel.syncing_deletes.empty()) {
    auto first = channel.channel_flushes.begin();
    if (channel.tick >= first->first) {
      const uint64_t flush_ts = first->first;
      const int64_t l0 = first->second;
      channel.channel_flushes.erase(first);
      if (channel.deletes.empty()) {
        env_.Spawn(ReportCheckpoint(channel.vchannel));
      } else {
        channel.syncing_deletes = std::move(channel.deletes);
        channel.deletes = DeleteBuffer{};
        env_.Spawn(SyncDeletes(channel.vchannel, flush_ts, l0));
      }
    }
  }
}

proto::MsgPosition DataNode::Checkpoint(const Channel& channel, int64_t except) const {
  proto::MsgPosition cp = MakePosition(channel.pchannel, channel.next_offset, channel.tick);
  if (config_.injected_bug == ClusterConfig::InjectedBug::kCheckpointSkipsBuffer) return cp;
  auto hold = [&cp](const proto::MsgPosition& start) {
    cp.set_offset(std::min(cp.offset(), start.offset()));
    cp.set_ts(std::min(cp.ts(), start.ts()));
  };
  for (const auto& [id, b] : segments_) {
    if (b.vchannel != channel.vchannel || id == except || !b.rows || b.rows->num_rows() == 0)
      continue;
    hold(b.start);
  }
  if (!channel.deletes.empty()) hold(channel.deletes.start);
  if (!channel.syncing_deletes.empty()) hold(channel.syncing_deletes.start);
  // A message can arrive with a ts below a tick already consumed: its produce timed out and the
  // record landed late (an indeterminate write, swarm seed 1233). It is buffered and its offset
  // holds the checkpoint, but the checkpoint's ts does not move back for it.
  cp.set_ts(std::max(cp.ts(), channel.reported.ts()));
  return cp;
}

Task<void> DataNode::SyncSegment(int64_t segment_id) {
  if (Buggify(env_, "datanode/sync:slow")) {
    co_await env_.clock->Sleep(Duration::Millis(env_.rng->UniformInt(1, 1000)));
    if (!segments_.count(segment_id)) co_return;
  }
  const Instant sync_start = env_.clock->Now();
  SegmentBuffer& b = segments_[segment_id];
  const std::string vchannel = b.vchannel;
  Channel& channel = channels_[vchannel];
  // Claim: Sealed -> Flushing.
  for (int attempt = 0;; ++attempt) {
    proto::SegmentFlushingRequest claim;
    claim.set_segment_id(segment_id);
    Result<proto::Empty> claimed = co_await CallProto<proto::Empty>(
        *env_.transport, config_.data_coord, kSegmentFlushing, claim, config_.rpc_deadline);
    if (claimed.ok()) break;
    if (!Retryable(claimed.status())) {
      env_.Step("data.sync-abandoned", "segment " + std::to_string(segment_id) +
                                           " cannot be claimed: " + claimed.status().ToString());
      channel.persisted.insert(segment_id);
      segments_.erase(segment_id);
      RecordBuffer(channel);
      RecordSync(proto::L1, /*ok=*/false, sync_start, 0);
      co_return;
    }
    co_await Backoff(attempt);
  }
  if (!b.rows)
    b.rows = std::make_unique<segment::Segment>(segment::SegmentId{segment_id}, channel.schema);
  b.rows->Seal();
  const int64_t rows = b.rows->num_rows();
  proto::SaveBinlogPathsRequest save;
  save.set_segment_id(segment_id);
  save.set_collection_id(channel.info.id());
  save.set_vchannel(vchannel);
  save.set_level(proto::L1);
  save.set_num_rows(rows);
  if (rows > 0) {
    segment::SegmentStore store(*env_.object_store, config_.object_store_root);
    const segment::SegmentLocation location{.collection_id = channel.info.id(),
                                            .partition_id = 0,
                                            .segment_id = segment::SegmentId{segment_id}};
    const Instant save_start = env_.clock->Now();
    for (int attempt = 0;; ++attempt) {
      Result<segment::proto::SegmentManifest> manifest =
          co_await store.WriteSegment(*b.rows, location, segment_id);
      if (manifest.ok()) {
        save.set_manifest(manifest->SerializeAsString());
        break;
      }
      env_.Step("data.sync-retry", "segment " + std::to_string(segment_id) +
                                       ": writing binlogs failed (" + manifest.status().ToString() +
                                       "); retrying");
      co_await Backoff(attempt);
    }
    const Metrics::Labels saved_insert = {{metrics::kMsgType, "insert"}};
    env_.metrics->Observe(metrics::kDataNodeSaveLatency,
                          metrics::ElapsedMs(save_start, env_.clock->Now()),
                          metrics::SaveLatencyBucketsMs(), saved_insert);
    env_.Step("data.sync",
              "writes segment " + std::to_string(segment_id) + ": " + std::to_string(rows) +
                  " row(s) as insert binlogs per field, a statslog (pk bloom filter, min/max)",
              env_.node, "s3");
    *save.mutable_start_position() = b.start;
    *save.mutable_dml_position() = b.last;
  }
  co_await CrashPoint(env_, "datanode/sync:after-binlogs");
  bool saved_ok = false;
  for (int attempt = 0;; ++attempt) {
    *save.mutable_checkpoint() = Checkpoint(channel, segment_id);
    Result<proto::Empty> saved = co_await CallProto<proto::Empty>(
        *env_.transport, config_.data_coord, kSaveBinlogPaths, save, config_.rpc_deadline);
    if (saved.ok()) {
      if (PositionBefore(channel.reported, save.checkpoint())) channel.reported = save.checkpoint();
      RecordCheckpoint(channel);
      saved_ok = true;
      break;
    }
    if (!Retryable(saved.status())) {
      env_.Step("data.sync-abandoned",
                "segment " + std::to_string(segment_id) +
                    ": SaveBinlogPaths refused: " + saved.status().ToString());
      break;
    }
    co_await Backoff(attempt);
  }
  co_await CrashPoint(env_, "datanode/sync:after-save");
  channel.persisted.insert(segment_id);
  segments_.erase(segment_id);
  RecordBuffer(channel);
  RecordSync(proto::L1, saved_ok, sync_start, rows);
}

Task<void> DataNode::SyncDeletes(std::string vchannel, uint64_t flush_ts, int64_t l0_segment_id) {
  const Instant sync_start = env_.clock->Now();
  Channel& channel = channels_[vchannel];
  const DeleteBuffer& d = channel.syncing_deletes;
  for (int attempt = 0; l0_segment_id == 0; ++attempt) {
    proto::AllocIdRequest alloc;
    alloc.set_count(1);
    Result<proto::AllocIdResponse> id = co_await CallProto<proto::AllocIdResponse>(
        *env_.transport, config_.data_coord, kAllocId, alloc, config_.rpc_deadline);
    if (id.ok()) {
      l0_segment_id = id->first_id();
    } else {
      co_await Backoff(attempt);
    }
  }
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  const segment::SegmentLocation location{.collection_id = channel.info.id(),
                                          .partition_id = 0,
                                          .segment_id = segment::SegmentId{l0_segment_id}};
  std::string path;
  const Instant save_start = env_.clock->Now();
  for (int attempt = 0;; ++attempt) {
    std::vector<std::pair<segment::PrimaryKey, Timestamp>> records = d.records;
    Result<std::string> written =
        co_await store.WriteDeltaLog(location, /*int_pk=*/true, std::move(records), l0_segment_id);
    if (written.ok()) {
      path = *written;
      break;
    }
    env_.Step("data.sync-retry", "L0 segment " + std::to_string(l0_segment_id) +
                                     ": writing the deltalog failed (" +
                                     written.status().ToString() + "); retrying");
    co_await Backoff(attempt);
  }
  const Metrics::Labels saved_delete = {{metrics::kMsgType, "delete"}};
  env_.metrics->Observe(metrics::kDataNodeSaveLatency,
                        metrics::ElapsedMs(save_start, env_.clock->Now()),
                        metrics::SaveLatencyBucketsMs(), saved_delete);
  env_.Step("data.sync",
            "writes " + std::to_string(d.records.size()) + " delete(s) of " + vchannel +
                " into L0 segment " + std::to_string(l0_segment_id) +
                (flush_ts != 0 ? " (flush ts " + ToString(Timestamp{flush_ts}) + ")"
                               : " (the delete buffer is full)"),
            env_.node, "s3");
  segment::proto::SegmentManifest manifest;
  manifest.set_collection_id(channel.info.id());
  manifest.set_segment_id(l0_segment_id);
  manifest.add_delta_paths(path);
  proto::SaveBinlogPathsRequest save;
  save.set_segment_id(l0_segment_id);
  save.set_collection_id(channel.info.id());
  save.set_vchannel(vchannel);
  save.set_level(proto::L0);
  save.set_manifest(manifest.SerializeAsString());
  *save.mutable_start_position() = d.start;
  *save.mutable_dml_position() = d.last;
  const int64_t through = d.last.offset();
  bool saved_ok = false;
  for (int attempt = 0;; ++attempt) {
    // The checkpoint as it will be once these deletes count as persisted.
    DeleteBuffer held = std::move(channel.syncing_deletes);
    channel.syncing_deletes = DeleteBuffer{};
    *save.mutable_checkpoint() = Checkpoint(channel);
    channel.syncing_deletes = std::move(held);
    Result<proto::Empty> saved = co_await CallProto<proto::Empty>(
        *env_.transport, config_.data_coord, kSaveBinlogPaths, save, config_.rpc_deadline);
    if (saved.ok()) {
      if (PositionBefore(channel.reported, save.checkpoint())) channel.reported = save.checkpoint();
      RecordCheckpoint(channel);
      saved_ok = true;
      break;
    }
    if (!Retryable(saved.status())) break;
    co_await Backoff(attempt);
  }
  channel.deletes_persisted_through = std::max(channel.deletes_persisted_through, through);
  channel.syncing_deletes = DeleteBuffer{};
  RecordBuffer(channel);
  RecordSync(proto::L0, saved_ok, sync_start, 0);
  MaybeSync(channel);
}

Task<void> DataNode::CheckpointLoop() {
  for (;;) {
    co_await env_.clock->Sleep(config_.channel_checkpoint_interval);
    std::vector<std::string> vchannels;
    for (const auto& [vchannel, channel] : channels_) vchannels.push_back(vchannel);
    for (const std::string& vchannel : vchannels) co_await ReportCheckpoint(vchannel);
  }
}

Task<void> DataNode::ReportCheckpoint(std::string vchannel) {
  Channel& channel = channels_[vchannel];
  if (channel.tick == 0) co_return;  // nothing consumed yet
  const proto::MsgPosition cp = Checkpoint(channel);
  if (!PositionBefore(channel.reported, cp)) co_return;
  proto::UpdateChannelCheckpointRequest update;
  update.set_vchannel(vchannel);
  *update.mutable_position() = cp;
  Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
      *env_.transport, config_.data_coord, kUpdateChannelCheckpoint, update, config_.rpc_deadline);
  if (sent.ok() && PositionBefore(channel.reported, cp)) {
    channel.reported = cp;
    RecordCheckpoint(channel);
    env_.Detail("data.checkpoint", vchannel + " checkpoint @offset " + std::to_string(cp.offset()) +
                                       " ts " + ToString(Timestamp{cp.ts()}));
  }
}

}  // namespace simvus::roles

namespace simvus::roles {

void DataNode::RecordBuffer(const Channel& channel) {
  int64_t rows = 0;
  int64_t bytes = 0;
  for (const auto& [id, b] : segments_) {
    if (b.vchannel != channel.vchannel || !b.rows) continue;
    rows += b.rows->num_rows();
    bytes += b.bytes;
  }
  // 16 bytes per delete record (pk and ts), as the delete buffer's limit counts them.
  bytes += static_cast<int64_t>(channel.deletes.records.size() +
                                channel.syncing_deletes.records.size()) *
           16;
  const Metrics::Labels labels = {{metrics::kChannel, channel.vchannel}};
  env_.metrics->Set(metrics::kDataNodeBufferRows, static_cast<double>(rows), labels);
  env_.metrics->Set(metrics::kDataNodeFgBufferSize, static_cast<double>(bytes), labels);
}

void DataNode::RecordCheckpoint(const Channel& channel) {
  env_.metrics->Set(metrics::kDataNodeCheckpointMs, metrics::PhysicalMs(channel.reported.ts()),
                    {{metrics::kChannel, channel.vchannel}});
}

void DataNode::RecordSync(proto::SegmentLevel level, bool ok, Instant start, int64_t rows) {
  const std::string level_label = metrics::SegmentLevelLabel(level);
  env_.metrics->Increment(metrics::kDataNodeFlushBufferOpCount, 1,
                          {{metrics::kStatus, ok ? metrics::kSuccess : metrics::kFail},
                           {metrics::kSegmentLevel, level_label}});
  if (!ok) return;
  if (rows > 0)
    env_.metrics->Increment(metrics::kDataNodeFlushedDataRows, static_cast<double>(rows));
  env_.metrics->Observe(metrics::kDataNodeSyncLatencyMs,
                        metrics::ElapsedMs(start, env_.clock->Now()), Metrics::LatencyBucketsMs(),
                        {{metrics::kSegmentLevel, level_label}});
}

}  // namespace simvus::roles
