// DataCoord's garbage collection (semantics §5 "GC"): a segment Dropped (compacted away, or empty)
// for gc.dropTolerance, whose data the channel checkpoint has passed, loses its files, then its
// MetaStore key. Files a live segment references are never touched: only the Dropped segment's
// own manifest is read.
#include "components/roles/data_coord.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

Task<void> DataCoord::GcLoop() {
  for (;;) {
    co_await env_.clock->Sleep(config_.gc_interval);
    co_await CollectGarbage();
  }
}

Task<void> DataCoord::CollectGarbage() {
  std::vector<int64_t> due;
  for (const auto& [id, s] : segments_) {
    if (s.info.state() != proto::DROPPED || s.compacting ||
        env_.clock->Now() - s.dropped < config_.gc_drop_tolerance) {
      continue;
    }
    // The meta goes only once the channel checkpoint is past the segment's data: a data node
    // replaying from the checkpoint must still find it Dropped and skip its messages.
    auto cp = checkpoints_.find(s.info.vchannel());
    if (cp == checkpoints_.end() || cp->second.offset() <= s.info.dml_position().offset()) continue;
    due.push_back(id);
  }
  for (int64_t id : due) {
    const proto::SegmentInfo info = segments_[id].info;
    segment::proto::SegmentManifest manifest;
    manifest.ParseFromString(info.manifest());
    std::vector<std::string> files;
    for (const segment::proto::FieldBinlog& b : manifest.binlogs()) files.push_back(b.path());
    if (!manifest.stats_path().empty()) files.push_back(manifest.stats_path());
    for (const std::string& p : manifest.delta_paths()) files.push_back(p);
    if (config_.injected_bug == ClusterConfig::InjectedBug::kGcByLogId &&
        info.level() == proto::L0) {
      // The bug: every deltalog named by this log id, wherever L0 compaction wrote it.
      const std::string suffix = "/" + std::to_string(id);
      const std::string prefix =
          config_.object_store_root + "/delta_log/" + std::to_string(info.collection_id()) + "/";
      ListObjectsRequest list{.prefix = prefix};
      Result<ListObjectsPage> page = co_await env_.object_store->List(list);
      if (page.ok()) {
        for (const ObjectInfo& o : page->objects) {
          if (o.key.size() > suffix.size() &&
              o.key.compare(o.key.size() - suffix.size(), suffix.size(), suffix) == 0) {
            files.push_back(o.key);
          }
        }
      }
    }
    Status deleted = Status::Ok();
    if (!files.empty()) deleted = co_await env_.object_store->DeleteMany(files);
    if (!deleted.ok()) continue;  // next round
    Result<DeleteResult> gone =
        co_await env_.meta_store->Delete(SegmentKey(info.collection_id(), info.id()));
    if (!gone.ok()) continue;
    segments_.erase(id);
    RecordSegments();
    env_.Step("data.gc", "GC: segment " + std::to_string(id) + " was Dropped " +
                             ToString(config_.gc_drop_tolerance) + " ago: its " +
                             std::to_string(files.size()) + " file(s) and its meta are removed");
  }
}

}  // namespace simvus::roles
