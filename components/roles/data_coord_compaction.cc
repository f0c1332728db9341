// DataCoord's compactions (semantics §6 "Compaction"): L0 compaction applies a channel's L0
// deletes to its flushed segments; mix compaction merges small flushed segments, dropping the rows
// their deltalogs delete. Both commit in one MetaStore txn; data_coord.h has the rules.
#include <algorithm>

#include "components/roles/data_coord.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

namespace {

segment::SegmentLocation LocationOf(const proto::SegmentInfo& info) {
  return {.collection_id = info.collection_id(),
          .partition_id = info.partition_id(),
          .segment_id = segment::SegmentId{info.id()}};
}

}  // namespace

Task<void> DataCoord::CompactionLoop() {
  Instant last_mix = env_.clock->Now();
  for (;;) {
    co_await env_.clock->Sleep(config_.l0_compaction_interval);
    co_await CompactL0();
    if (env_.clock->Now() - last_mix >= config_.mix_compaction_interval) {
      last_mix = env_.clock->Now();
      co_await CompactSmallSegments();
    }
  }
}

Task<void> DataCoord::CompactL0() {
  co_await mutex_.Lock();
  std::vector<std::pair<int64_t, std::vector<int64_t>>> plans;
  for (auto& [id, l0] : segments_) {
    if (l0.info.level() != proto::L0 || l0.info.state() != proto::FLUSHED || l0.compacting) {
      continue;
    }
    // Every row older than these deletes must be in a flushed segment first: a row still in a
    // data node's buffer would miss them once the L0 segment is gone (Milvus #45339).
    auto cp = checkpoints_.find(l0.info.vchannel());
    const bool older_rows_flushed =
        cp != checkpoints_.end() && cp->second.ts() >= l0.info.dml_position().ts();
    if (!older_rows_flushed &&
        config_.injected_bug != ClusterConfig::InjectedBug::kL0IgnoresCheckpoint) {
      continue;
    }
    std::vector<int64_t> targets;
    bool busy = false;
    for (const auto& [tid, t] : segments_) {
      if (t.info.level() != proto::L1 || t.info.vchannel() != l0.info.vchannel() ||
          t.info.collection_id() != l0.info.collection_id() || t.info.state() != proto::FLUSHED) {
        continue;
      }
      busy = busy || t.compacting;
      targets.push_back(tid);
    }
    if (busy) continue;
    l0.compacting = true;
    for (int64_t t : targets) segments_[t].compacting = true;
    plans.emplace_back(id, std::move(targets));
  }
  mutex_.Unlock();
  for (auto& [l0, targets] : plans) {
    Status done = co_await RunL0Compaction(l0, targets);
    if (!done.ok()) {
      env_.Step("data.compaction-retry", "L0 compaction of segment " + std::to_string(l0) +
                                             " failed (" + done.ToString() +
                                             "); retried next round");
    }
    segments_[l0].compacting = false;
    for (int64_t t : targets) segments_[t].compacting = false;
  }
}

Task<Status> DataCoord::RunL0Compaction(int64_t l0_id, std::vector<int64_t> targets) {
  const proto::SegmentInfo l0 = segments_[l0_id].info;
  const proto::CollectionInfo& collection = collections_[l0.collection_id()];
  const bool int_pk =
      SegmentSchemaOf(collection.schema()).primary_key().type == segment::DataType::kInt64;
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  segment::proto::SegmentManifest l0_manifest;
  if (!l0_manifest.ParseFromString(l0.manifest())) {
    co_return DataLoss("L0 segment " + std::to_string(l0_id) + ": manifest does not parse");
  }
  std::vector<std::pair<segment::PrimaryKey, Timestamp>> deletes;
  for (const std::string& path : l0_manifest.delta_paths()) {
    Result<std::vector<std::pair<segment::PrimaryKey, Timestamp>>> records =
        co_await store.LoadDeltaLog(path, LocationOf(l0), int_pk);
    if (!records.ok()) co_return records.status();
    deletes.insert(deletes.end(), records->begin(), records->end());
  }
  // Each target gets the deletes its bloom filter may hold, in a deltalog named by the L0 id.
  std::vector<proto::SegmentInfo> updated;
  for (int64_t target : targets) {
    proto::SegmentInfo info = segments_[target].info;
    segment::proto::SegmentManifest manifest;
    if (!manifest.ParseFromString(info.manifest())) {
      co_return DataLoss("segment " + std::to_string(target) + ": manifest does not parse");
    }
    Result<segment::SegmentStats> stats = co_await store.LoadStats(manifest);
    if (!stats.ok()) co_return stats.status();
    std::vector<std::pair<segment::PrimaryKey, Timestamp>> hits;
    for (const auto& record : deletes) {
      if (stats->bloom.MayContain(record.first)) hits.push_back(record);
    }
    if (hits.empty()) continue;
    Result<std::string> path =
        co_await store.WriteDeltaLog(LocationOf(info), int_pk, std::move(hits), l0_id);
    if (!path.ok()) co_return path.status();
    if (std::find(manifest.delta_paths().begin(), manifest.delta_paths().end(), *path) ==
        manifest.delta_paths().end()) {
      manifest.add_delta_paths(*path);
    }
    info.set_manifest(manifest.SerializeAsString());
    updated.push_back(std::move(info));
  }
  co_await mutex_.Lock();
  std::vector<TxnOp> ops;
  for (const proto::SegmentInfo& info : updated) {
    ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                        .key = SegmentKey(info.collection_id(), info.id()),
                        .value = info.SerializeAsString()});
  }
  proto::SegmentInfo dropped = l0;
  dropped.set_state(proto::DROPPED);
  ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                      .key = SegmentKey(dropped.collection_id(), dropped.id()),
                      .value = dropped.SerializeAsString()});
  const Status committed = co_await Commit(std::move(ops), checkpoints_);
  if (committed.ok()) {
    for (const proto::SegmentInfo& info : updated) segments_[info.id()].info = info;
    segments_[l0_id].info = dropped;
    segments_[l0_id].dropped = env_.clock->Now();
    RecordSegments();
    env_.Step("data.l0-compaction",
              "L0 compaction: the " + std::to_string(deletes.size()) + " delete(s) of L0 segment " +
                  std::to_string(l0_id) + " go into the deltalogs of " +
                  std::to_string(updated.size()) + " of " + std::to_string(targets.size()) +
                  " flushed segment(s) (bloom filter hits); the L0 segment is Dropped");
  }
  mutex_.Unlock();
  co_return committed;
}

Task<void> DataCoord::CompactSmallSegments() {
  co_await mutex_.Lock();
  // Per (collection, vchannel): the small flushed segments, oldest first.
  std::map<ChannelKey, std::vector<int64_t>> small;
  for (const auto& [id, s] : segments_) {
    if (s.info.level() != proto::L1 || s.info.state() != proto::FLUSHED || s.compacting) continue;
    if (static_cast<double>(s.info.num_rows()) >=
        config_.small_proportion * static_cast<double>(s.info.max_rows())) {
      continue;
    }
    small[ChannelKey{s.info.collection_id(), s.info.vchannel()}].push_back(id);
  }
  std::vector<std::pair<int64_t, std::vector<int64_t>>> plans;
  for (auto& [key, ids] : small) {
    std::vector<int64_t> inputs;
    int64_t rows = 0;
    for (int64_t id : ids) {
      const proto::SegmentInfo& info = segments_[id].info;
      if (rows + info.num_rows() > info.max_rows()) break;
      rows += info.num_rows();
      inputs.push_back(id);
    }
    if (inputs.size() < 2) continue;
    Result<int64_t> result = co_await NextId();
    if (!result.ok()) continue;
    for (int64_t id : inputs) segments_[id].compacting = true;
    plans.emplace_back(*result, std::move(inputs));
  }
  mutex_.Unlock();
  for (auto& [result, inputs] : plans) {
    Status done = co_await RunMixCompaction(result, inputs);
    if (!done.ok()) {
      env_.Step("data.compaction-retry", "mix compaction into segment " + std::to_string(result) +
                                             " failed (" + done.ToString() +
                                             "); retried next round");
    }
    for (int64_t id : inputs) segments_[id].compacting = false;
  }
}

Task<Status> DataCoord::RunMixCompaction(int64_t result_id, std::vector<int64_t> inputs) {
  const proto::SegmentInfo first = segments_[inputs.front()].info;
  const proto::CollectionInfo& collection = collections_[first.collection_id()];
  const segment::CollectionSchema schema = SegmentSchemaOf(collection.schema());
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  segment::InsertBatch merged;
  for (const segment::FieldSchema& f : schema.fields) {
    merged.columns.push_back(segment::FieldColumn::Empty(f));
  }
  proto::MsgPosition start, end;
  int64_t dropped_rows = 0;
  for (int64_t id : inputs) {
    const proto::SegmentInfo& info = segments_[id].info;
    segment::proto::SegmentManifest manifest;
    if (!manifest.ParseFromString(info.manifest())) {
      co_return DataLoss("segment " + std::to_string(id) + ": manifest does not parse");
    }
    Result<std::unique_ptr<segment::Segment>> loaded = co_await store.LoadSegment(schema, manifest);
    if (!loaded.ok()) co_return loaded.status();
    const segment::Segment& seg = **loaded;
    // A row its own deltalogs delete (at any ts after the row's) is gone from the result.
    std::vector<int64_t> keep;
    for (int64_t row = 0; row < seg.num_rows(); ++row) {
      if (seg.IsVisible(row, Timestamp::Max())) {
        keep.push_back(row);
      } else {
        ++dropped_rows;
      }
    }
    for (size_t c = 0; c < merged.columns.size(); ++c) {
      merged.columns[c].AppendRows(seg.column(static_cast<int>(c)), keep);
    }
    for (int64_t row : keep)
      merged.timestamps.push_back(seg.timestamps()[static_cast<size_t>(row)]);
    if (start.pchannel().empty() || info.start_position().offset() < start.offset()) {
      start = info.start_position();
    }
    if (end.pchannel().empty() || end.offset() < info.dml_position().offset()) {
      end = info.dml_position();
    }
  }
  proto::SegmentInfo result;
  result.set_id(result_id);
  result.set_collection_id(first.collection_id());
  result.set_partition_id(first.partition_id());
  result.set_vchannel(first.vchannel());
  result.set_state(proto::FLUSHED);
  result.set_level(proto::L1);
  result.set_max_rows(first.max_rows());
  result.set_num_rows(merged.num_rows());
  *result.mutable_start_position() = start;
  *result.mutable_dml_position() = end;
  for (int64_t id : inputs) result.add_compaction_from(id);
  if (merged.num_rows() > 0) {
    segment::Segment out(segment::SegmentId{result_id}, schema);
    SIMVUS_CO_RETURN_IF_ERROR(out.Insert(merged));
    out.Seal();
    const segment::SegmentLocation location{.collection_id = result.collection_id(),
                                            .partition_id = result.partition_id(),
                                            .segment_id = segment::SegmentId{result_id}};
    Result<segment::proto::SegmentManifest> manifest =
        co_await store.WriteSegment(out, location, result_id);
    if (!manifest.ok()) co_return manifest.status();
    result.set_manifest(manifest->SerializeAsString());
  }
  co_await mutex_.Lock();
  std::vector<TxnOp> ops;
  if (merged.num_rows() > 0) {
    ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                        .key = SegmentKey(result.collection_id(), result_id),
                        .value = result.SerializeAsString()});
  }
  std::vector<proto::SegmentInfo> dropped;
  for (int64_t id : inputs) {
    proto::SegmentInfo d = segments_[id].info;
    d.set_state(proto::DROPPED);
    ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                        .key = SegmentKey(d.collection_id(), d.id()),
                        .value = d.SerializeAsString()});
    dropped.push_back(std::move(d));
  }
  const Status committed = co_await Commit(std::move(ops), checkpoints_);
  if (committed.ok()) {
    if (merged.num_rows() > 0) {
      Segment& entry = segments_[result_id];
      entry.info = result;
      entry.created = env_.clock->Now();
      entry.dropped = entry.created;
    }
    for (const proto::SegmentInfo& d : dropped) {
      segments_[d.id()].info = d;
      segments_[d.id()].dropped = env_.clock->Now();
    }
    RecordSegments();
    std::string from;
    for (int64_t id : inputs) from += (from.empty() ? "" : ", ") + std::to_string(id);
    env_.Step("data.mix-compaction", "mix compaction: segments " + from + " -> segment " +
                                         std::to_string(result_id) + " (" +
                                         std::to_string(merged.num_rows()) + " row(s), " +
                                         std::to_string(dropped_rows) +
                                         " deleted row(s) physically removed); the inputs "
                                         "are Dropped");
  }
  mutex_.Unlock();
  co_return committed;
}

}  // namespace simvus::roles
