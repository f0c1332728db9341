#include "scenarios/storage_audit.h"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "components/roles/cluster_config.h"
#include "components/roles/data_coord.h"
#include "components/roles/index_coord.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment_store.h"

namespace simvus::scenarios {

namespace {

constexpr int kAttempts = 50;

template <typename T>
Task<Result<T>> Retry(Env& env, std::function<Task<Result<T>>()> call) {
  Result<T> r = co_await call();
  for (int attempt = 1;
       attempt < kAttempts && !r.ok() && r.status().code() != StatusCode::kDataLoss &&
       r.status().code() != StatusCode::kNotFound;
       ++attempt) {
    co_await env.clock->Sleep(Duration::Millis(200));
    r = co_await call();
  }
  co_return r;
}

Task<Result<RangeResult>> RangeRetrying(Env& env, std::string key, std::string end) {
  std::function<Task<Result<RangeResult>>()> call = [&env, key,
                                                     end]() -> Task<Result<RangeResult>> {
    const RangeRequest request{.key = key, .range_end = end};
    co_return co_await env.meta_store->Range(request);
  };
  co_return co_await Retry<RangeResult>(env, std::move(call));
}

// Every event under `prefix` from revision 1 through `through`.
Task<Result<std::vector<WatchEvent>>> HistoryOf(Env& env, std::string prefix, int64_t through) {
  std::vector<WatchEvent> events;
  int64_t next = 1;
  for (int attempt = 0; next <= through && attempt < kAttempts; ++attempt) {
    Result<std::unique_ptr<MetaWatch>> watch =
        co_await env.meta_store->Watch(prefix, PrefixEnd(prefix), next);
    if (!watch.ok()) {
      co_await env.clock->Sleep(Duration::Millis(200));
      continue;
    }
    while (next <= through) {
      Result<std::vector<WatchEvent>> batch = co_await (*watch)->Next();
      if (!batch.ok()) {
        if (batch.status().code() == StatusCode::kOutOfRange) co_return batch.status();
        break;  // re-establish from `next`
      }
      for (WatchEvent& e : *batch) {
        next = e.kv.mod_revision + 1;
        if (e.kv.mod_revision <= through) events.push_back(std::move(e));
      }
    }
  }
  if (next <= through) co_return Unavailable("audit: could not read the meta store's history");
  co_return events;
}

std::string StateOf(const Bytes& value, std::string* level) {
  proto::SegmentInfo info;
  if (!info.ParseFromString(value)) return "unparseable";
  *level = info.level() == proto::L0 ? "L0" : "L1";
  return proto::SegmentState_Name(info.state());
}

}  // namespace

Task<Result<reports::StoredCollection>> ReadStoredCollection(Env& env, std::string collection,
                                                             std::string object_store_root) {
  Result<RangeResult> described =
      co_await RangeRetrying(env, roles::kCollectionPrefix + collection, "");
  if (!described.ok()) co_return described.status();
  if (described->kvs.empty()) co_return NotFound("audit: no collection " + collection);
  proto::CollectionInfo info;
  if (!info.ParseFromString(described->kvs.front().value)) {
    co_return DataLoss("audit: collection " + collection + " does not parse");
  }
  const segment::CollectionSchema schema = roles::SegmentSchemaOf(info.schema());
  const std::string prefix = roles::kSegmentPrefix + std::to_string(info.id()) + "/";
  Result<RangeResult> segments = co_await RangeRetrying(env, prefix, PrefixEnd(prefix));
  if (!segments.ok()) co_return segments.status();

  reports::StoredCollection stored;
  segment::SegmentStore store(*env.object_store, object_store_root);
  for (const KeyValue& kv : segments->kvs) {
    proto::SegmentInfo s;
    if (!s.ParseFromString(kv.value)) co_return DataLoss("audit: " + kv.key + " does not parse");
    if (s.state() != proto::FLUSHED) continue;
    ++stored.flushed_segments;
    segment::proto::SegmentManifest manifest;
    if (!manifest.ParseFromString(s.manifest())) {
      co_return DataLoss("audit: segment " + std::to_string(s.id()) + " has no readable manifest");
    }
    if (s.level() == proto::L1) {
      std::function<Task<Result<std::unique_ptr<segment::Segment>>>()> load =
          [&store, &schema, &manifest]() { return store.LoadSegment(schema, manifest); };
      Result<std::unique_ptr<segment::Segment>> loaded =
          co_await Retry<std::unique_ptr<segment::Segment>>(env, std::move(load));
      if (!loaded.ok()) co_return loaded.status();
      const segment::Segment& seg = **loaded;
      for (int64_t row = 0; row < seg.num_rows(); ++row) {
        const segment::PrimaryKey pk = seg.pk(row);
        stored.rows.push_back(
            {std::get<int64_t>(pk), seg.timestamps()[static_cast<size_t>(row)].value, s.id()});
      }
    }
    const segment::SegmentLocation location{.collection_id = s.collection_id(),
                                            .partition_id = s.partition_id(),
                                            .segment_id = segment::SegmentId{s.id()}};
    for (const std::string& path : manifest.delta_paths()) {
      using Records = std::vector<std::pair<segment::PrimaryKey, Timestamp>>;
      std::function<Task<Result<Records>>()> read = [&store, path, location]() {
        return store.LoadDeltaLog(path, location, /*int_pk=*/true);
      };
      Result<Records> records = co_await Retry<Records>(env, std::move(read));
      if (!records.ok()) co_return records.status();
      for (const auto& [pk, ts] : *records) {
        stored.deletes.push_back({std::get<int64_t>(pk), ts.value, s.id(), s.level() == proto::L0});
      }
    }
  }

  // The watch replays up to the newest change under the prefix (the store's revision may be
  // later: other keys moved on).
  int64_t through = 0;
  for (const KeyValue& kv : segments->kvs) through = std::max(through, kv.mod_revision);
  if (!segments->kvs.empty()) {
    Result<std::vector<WatchEvent>> events = co_await HistoryOf(env, prefix, through);
    if (!events.ok()) co_return events.status();
    for (const WatchEvent& e : *events) {
      reports::SegmentTransition t;
      proto::SegmentInfo now;
      t.revision = e.kv.mod_revision;
      if (e.prev) t.from = StateOf(e.prev->value, &t.level);
      if (e.type == WatchEvent::Type::kDelete) {
        t.to = "deleted";
      } else {
        t.to = StateOf(e.kv.value, &t.level);
      }
      now.ParseFromString(e.type == WatchEvent::Type::kDelete && e.prev ? e.prev->value
                                                                        : e.kv.value);
      // The key names the segment even when a delete event carries no previous value.
      t.segment_id = std::stoll(e.kv.key.substr(e.kv.key.rfind('/') + 1));
      t.compacted = now.compaction_from_size() > 0;
      if (t.level.empty()) t.level = now.level() == proto::L0 ? "L0" : "L1";
      stored.transitions.push_back(std::move(t));
    }
  }
  for (const std::string& vchannel : info.vchannels()) {
    const std::string key = roles::ChannelCheckpointKey(vchannel);
    Result<RangeResult> cp = co_await RangeRetrying(env, key, "");
    if (!cp.ok()) co_return cp.status();
    if (cp->kvs.empty()) continue;
    Result<std::vector<WatchEvent>> events =
        co_await HistoryOf(env, key, cp->kvs.front().mod_revision);
    if (!events.ok()) co_return events.status();
    for (const WatchEvent& e : *events) {
      proto::ChannelCheckpoint c;
      if (e.type != WatchEvent::Type::kPut || !c.ParseFromString(e.kv.value)) continue;
      stored.checkpoints.push_back(
          {vchannel, c.position().offset(), c.position().ts(), e.kv.mod_revision});
    }
  }
  co_return stored;
}

Task<Result<reports::StoredIndexes>> ReadStoredIndexes(Env& env, std::string collection,
                                                       std::string object_store_root) {
  Result<RangeResult> described =
      co_await RangeRetrying(env, roles::kCollectionPrefix + collection, "");
  if (!described.ok()) co_return described.status();
  proto::CollectionInfo info;
  if (described->kvs.empty() || !info.ParseFromString(described->kvs.front().value)) {
    co_return NotFound("audit: no collection " + collection);
  }
  reports::StoredIndexes stored;
  const std::string segment_prefix = roles::kSegmentPrefix + std::to_string(info.id()) + "/";
  Result<RangeResult> segments =
      co_await RangeRetrying(env, segment_prefix, PrefixEnd(segment_prefix));
  if (!segments.ok()) co_return segments.status();
  std::map<int64_t, int64_t> partition_of;
  for (const KeyValue& kv : segments->kvs) {
    proto::SegmentInfo s;
    if (!s.ParseFromString(kv.value) || s.level() != proto::L1 || s.state() != proto::FLUSHED)
      continue;
    stored.flushed_rows[s.id()] = s.num_rows();
    partition_of[s.id()] = s.partition_id();
  }
  const std::string task_prefix = roles::kSegmentIndexPrefix + std::to_string(info.id()) + "/";
  Result<RangeResult> tasks = co_await RangeRetrying(env, task_prefix, PrefixEnd(task_prefix));
  if (!tasks.ok()) co_return tasks.status();
  segment::SegmentStore store(*env.object_store, object_store_root);
  for (const KeyValue& kv : tasks->kvs) {
    proto::SegmentIndex t;
    if (!t.ParseFromString(kv.value)) co_return DataLoss("audit: " + kv.key + " does not parse");
    reports::StoredIndexTask task;
    task.segment_id = t.segment_id();
    task.build_id = t.build_id();
    task.version = t.version();
    task.state = proto::IndexState_Name(t.state());
    task.path = t.index_path();
    if (t.state() == proto::FINISHED) {
      const segment::SegmentLocation location{.collection_id = info.id(),
                                              .partition_id = partition_of[t.segment_id()],
                                              .segment_id = segment::SegmentId{t.segment_id()}};
      const std::string path = t.index_path();
      std::function<Task<Result<std::unique_ptr<ann::VectorIndex>>>()> load =
          [&store, path, location]() { return store.LoadIndex(path, location); };
      Result<std::unique_ptr<ann::VectorIndex>> index =
          co_await Retry<std::unique_ptr<ann::VectorIndex>>(env, std::move(load));
      if (index.ok()) {
        task.file_rows = (*index)->size();
      } else {
        task.load_error = index.status().ToString();
      }
    }
    stored.tasks.push_back(std::move(task));
  }
  co_return stored;
}

std::function<Task<reports::CheckResult>(ScenarioContext&)> AuditFlushed(std::string collection,
                                                                         bool indexes) {
  return [collection, indexes](ScenarioContext& ctx) -> Task<reports::CheckResult> {
    Env& env = ctx.clients.front()->env();
    reports::CheckResult failed;
    failed.ok = false;
    Result<reports::StoredCollection> stored =
        co_await ReadStoredCollection(env, collection, ctx.config.object_store_root);
    if (!stored.ok()) {
      failed.invariant = "flush-durability";
      failed.detail = "the stored collection cannot be read: " + stored.status().ToString();
      co_return failed;
    }
    ctx.say("storage audit: " + std::to_string(stored->flushed_segments) +
            " flushed segment(s) hold " + std::to_string(stored->rows.size()) + " row(s) and " +
            std::to_string(stored->deletes.size()) + " delete(s); " +
            std::to_string(stored->transitions.size()) + " segment state change(s), " +
            std::to_string(stored->checkpoints.size()) + " checkpoint(s) in the meta store");
    reports::CheckResult flushed = reports::CheckFlushed(*ctx.history, *stored);
    if (!flushed.ok || !indexes) co_return flushed;
    Result<reports::StoredIndexes> built =
        co_await ReadStoredIndexes(env, collection, ctx.config.object_store_root);
    if (!built.ok()) {
      failed.invariant = "index-file";
      failed.detail = "the index tasks cannot be read: " + built.status().ToString();
      co_return failed;
    }
    int64_t finished = 0, versions = 0;
    for (const reports::StoredIndexTask& t : built->tasks) {
      finished += t.state == "FINISHED";
      versions += t.version;
    }
    ctx.say("index audit: " + std::to_string(finished) + " of " +
            std::to_string(built->flushed_rows.size()) + " flushed segment(s) indexed, " +
            std::to_string(versions) + " build version(s) issued for " +
            std::to_string(built->tasks.size()) + " task(s)");
    co_return reports::CheckIndexes(*built);
  };
}

}  // namespace simvus::scenarios
