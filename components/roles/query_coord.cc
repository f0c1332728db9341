#include "components/roles/query_coord.h"

#include <algorithm>

#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"

namespace simvus::roles {

namespace {

std::string CollectionLoadKey(int64_t collection_id) {
  return kCollectionLoadPrefix + std::to_string(collection_id);
}

// The worker a delegator's view names for `segment_id`, or null.
const std::string* WorkerOf(const proto::LeaderView& view, int64_t segment_id) {
  for (const proto::AttachedSegment& s : view.sealed()) {
    if (s.segment_id() == segment_id) return &s.worker();
  }
  return nullptr;
}

RangeRequest PrefixRange(const std::string& prefix) {
  return RangeRequest{.key = prefix, .range_end = PrefixEnd(prefix)};
}

}  // namespace

QueryCoord::QueryCoord(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}

void QueryCoord::Start() {
  RegisterProto<proto::LoadCollectionRequest, proto::Empty>(
      *env_.transport, kQueryCoordLoadCollection,
      [this](std::string, proto::LoadCollectionRequest r) { return LoadCollection(std::move(r)); });
  RegisterProto<proto::ReleaseCollectionRequest, proto::Empty>(
      *env_.transport, kQueryCoordReleaseCollection,
      [this](std::string, proto::ReleaseCollectionRequest r) {
        return ReleaseCollection(std::move(r));
      });
  RegisterProto<proto::GetLoadingProgressRequest, proto::GetLoadingProgressResponse>(
      *env_.transport, kGetLoadingProgress,
      [this](std::string, proto::GetLoadingProgressRequest r)
          -> Task<Result<proto::GetLoadingProgressResponse>> { co_return LoadingProgress(r); });
  RegisterProto<proto::GetShardLeadersRequest, proto::GetShardLeadersResponse>(
      *env_.transport, kGetShardLeaders,
      [this](std::string, proto::GetShardLeadersRequest r)
          -> Task<Result<proto::GetShardLeadersResponse>> { co_return ShardLeaders(r); });
  env_.Spawn(CheckLoop());
}

Task<void> QueryCoord::Recover() {
  for (;;) {
    Result<RangeResult> range = co_await env_.meta_store->Range(PrefixRange(kCollectionLoadPrefix));
    if (range.ok()) {
      for (const KeyValue& kv : range->kvs) {
        proto::CollectionLoadInfo info;
        if (!info.ParseFromString(kv.value)) continue;
        Loaded& loaded = loaded_[info.collection_id()];
        loaded.info = info;
        env_.Step("querycoord.recover",
                  "recovers loaded collection " + info.collection().schema().name() + " (" +
                      std::to_string(info.replica_number()) + " replica(s)) from the meta store");
      }
      ready_ = true;
      co_return;
    }
    co_await env_.clock->Sleep(Duration::Millis(500));
  }
}

Task<void> QueryCoord::CheckLoop() {
  co_await Recover();
  for (;;) {
    // Nodes, then what they hold, then each collection's checks (which first give new nodes a
    // replica: after a restart, the one their delegators already serve).
    co_await RefreshNodes();
    co_await PullDistribution();
    std::vector<int64_t> ids;
    for (const auto& [id, loaded] : loaded_) ids.push_back(id);
    // Buggify: a round of checks is skipped (a slow coordinator), so handoff and failover wait.
    if (!Buggify(env_, "querycoord/checkers:skip")) {
      for (int64_t id : ids) co_await Check(id);
    }
    co_await env_.clock->Sleep(config_.dist_pull_interval);
  }
}

Task<void> QueryCoord::RefreshNodes() {
  Result<RangeResult> range = co_await env_.meta_store->Range(PrefixRange(kQueryNodeSessionPrefix));
  if (!range.ok()) co_return;  // keep the last view; an etcd outage is not a node failure
  std::map<std::string, int64_t> now;
  for (const KeyValue& kv : range->kvs) {
    proto::Session session;
    if (session.ParseFromString(kv.value)) now[session.node()] = session.server_id();
  }
  for (const auto& [node, server] : nodes_) {
    auto it = now.find(node);
    if (it == now.end() || it->second != server) {
      env_.Step("querycoord.node-down",
                node + (it == now.end() ? ": its session expired" : ": restarted (new session)") +
                    "; it leaves its replicas, the checkers move its channels and segments",
                node, env_.node);
      for (auto& [id, loaded] : loaded_) {
        for (Replica& replica : loaded.replicas) replica.nodes.erase(node);
      }
      dist_.erase(node);
      for (auto load = loading_.begin(); load != loading_.end();) {
        const bool its = load->second.leader == node || load->second.worker == node;
        load = its ? loading_.erase(load) : std::next(load);
      }
    }
  }
  for (const auto& [node, server] : now) {
    auto it = nodes_.find(node);
    if (it == nodes_.end() || it->second != server) {
      env_.Step("querycoord.node-up", node + " registered: available for replicas", node,
                env_.node);
    }
  }
  nodes_ = std::move(now);
  env_.metrics->Set(metrics::kQueryCoordQueryNodeNum, static_cast<double>(nodes_.size()));
  env_.metrics->Set(metrics::kQueryCoordCollectionNum, static_cast<double>(loaded_.size()));
}

void QueryCoord::AssignNodes(Loaded& loaded) {
  const int32_t replicas = std::max(1, loaded.info.replica_number());
  while (static_cast<int32_t>(loaded.replicas.size()) < replicas) {
    loaded.replicas.push_back(Replica{.id = static_cast<int64_t>(loaded.replicas.size()) + 1});
  }
  std::set<std::string> assigned;
  for (const Replica& r : loaded.replicas) assigned.insert(r.nodes.begin(), r.nodes.end());
  for (const auto& [node, server] : nodes_) {
    if (assigned.count(node)) continue;
    // A node that already serves a replica (its delegators say which, e.g. after a QueryCoord
    // restart) goes back to it; any other node joins the smallest replica.
    Replica* to = nullptr;
    if (auto d = dist_.find(node); d != dist_.end()) {
      for (const proto::LeaderView& v : d->second.leaders()) {
        if (v.collection_id() != loaded.info.collection_id()) continue;
        for (Replica& r : loaded.replicas) {
          if (r.id == v.replica_id()) to = &r;
        }
      }
    }
    if (to == nullptr) {
      to = &*std::min_element(
          loaded.replicas.begin(), loaded.replicas.end(),
          [](const Replica& a, const Replica& b) { return a.nodes.size() < b.nodes.size(); });
    }
    to->nodes.insert(node);
    env_.Step("querycoord.replica", node + " joins replica " + std::to_string(to->id) + " of " +
                                        loaded.info.collection().schema().name());
  }
}

Task<void> QueryCoord::PullDistribution() {
  std::vector<std::string> nodes;
  for (const auto& [node, server] : nodes_) nodes.push_back(node);
  for (const std::string& node : nodes) {
    Result<proto::DataDistribution> dist = co_await CallProto<proto::DataDistribution>(
        *env_.transport, node, kGetDataDistribution, proto::Empty(), Duration::Seconds(1));
    if (dist.ok()) {
      if (Alive(node)) dist_[node] = std::move(*dist);
    } else {
      dist_.erase(node);  // unreachable: nothing it holds can be counted on
    }
  }
}

Task<Result<QueryCoord::Target>> QueryCoord::ReadTarget(const proto::CollectionInfo& collection) {
  const std::string id = std::to_string(collection.id());
  Result<RangeResult> segments =
      co_await env_.meta_store->Range(PrefixRange(kSegmentPrefix + id + "/"));
  if (!segments.ok()) co_return segments.status();
  Result<RangeResult> indexes =
      co_await env_.meta_store->Range(PrefixRange(kSegmentIndexPrefix + id + "/"));
  if (!indexes.ok()) co_return indexes.status();
  std::map<int64_t, std::string> index_paths;
  for (const KeyValue& kv : indexes->kvs) {
    proto::SegmentIndex index;
    if (index.ParseFromString(kv.value) && index.state() == proto::FINISHED) {
      index_paths[index.segment_id()] = index.index_path();
    }
  }
  Target target;
  std::map<int64_t, std::vector<int64_t>> compacted_from;
  for (const KeyValue& kv : segments->kvs) {
    proto::SegmentInfo info;
    if (!info.ParseFromString(kv.value)) continue;
    compacted_from[info.id()].assign(info.compaction_from().begin(), info.compaction_from().end());
    if (info.state() != proto::FLUSHED || info.level() != proto::L1 || info.num_rows() == 0) {
      continue;
    }
    proto::SegmentLoadInfo& load = target.sealed[info.id()];
    load.set_segment_id(info.id());
    load.set_collection_id(info.collection_id());
    load.set_partition_id(info.partition_id());
    load.set_vchannel(info.vchannel());
    load.set_num_rows(info.num_rows());
    load.set_manifest(info.manifest());
    if (auto it = index_paths.find(info.id()); it != index_paths.end()) {
      load.set_index_path(it->second);
    }
  }
  // Excluded: the target's segments and, transitively, the segments compacted into them.
  std::vector<int64_t> todo;
  for (const auto& [sid, info] : target.sealed) todo.push_back(sid);
  while (!todo.empty()) {
    const int64_t sid = todo.back();
    todo.pop_back();
    if (!target.excluded.insert(sid).second) continue;
    for (int64_t from : compacted_from[sid]) todo.push_back(from);
  }
  co_return target;
}

int64_t QueryCoord::NextTargetVersion() {
  for (const auto& [node, dist] : dist_) {
    for (const proto::LeaderView& v : dist.leaders()) {
      max_target_version_ = std::max(max_target_version_, v.target_version());
    }
  }
  return ++max_target_version_;
}

QueryCoord::Leader QueryCoord::LeaderOf(const Replica& replica, const std::string& vchannel) const {
  Leader best;
  for (const std::string& node : replica.nodes) {
    auto it = dist_.find(node);
    if (it == dist_.end()) continue;
    for (const proto::LeaderView& v : it->second.leaders()) {
      if (v.vchannel() != vchannel || v.replica_id() != replica.id) continue;
      if (best.view == nullptr || v.target_version() > best.view->target_version()) {
        best = Leader{node, &v};
      }
    }
  }
  return best;
}

std::map<std::string, int> QueryCoord::WorkerLoad(const Loaded& loaded,
                                                  const Replica& replica) const {
  std::map<std::string, int> load;
  for (const std::string& node : replica.nodes) load[node] = 0;
  for (const proto::CollectionInfo& c : {loaded.info.collection()}) {
    for (const std::string& vchannel : c.vchannels()) {
      const proto::LeaderView* view = LeaderOf(replica, vchannel).view;
      if (view == nullptr) continue;
      for (const proto::AttachedSegment& s : view->sealed()) {
        if (load.count(s.worker())) ++load[s.worker()];
      }
    }
  }
  return load;
}

Task<void> QueryCoord::Check(int64_t collection_id) {
  auto it = loaded_.find(collection_id);
  if (it == loaded_.end()) co_return;
  Loaded& loaded = it->second;
  AssignNodes(loaded);
  const Instant now = env_.clock->Now();
  if (!loaded.has_next || now - loaded.next_refreshed >= config_.next_target_interval) {
    Result<Target> next = co_await ReadTarget(loaded.info.collection());
    if (!loaded_.count(collection_id)) co_return;  // released meanwhile
    if (next.ok()) {
      const Target& base = loaded.has_next ? loaded.next : loaded.current;
      bool changed = !loaded.has_next || next->sealed.size() != base.sealed.size();
      for (const auto& [sid, info] : next->sealed) {
        auto b = base.sealed.find(sid);
        changed = changed || b == base.sealed.end() || b->second.index_path() != info.index_path();
      }
      if (changed) {
        next->version = NextTargetVersion();
        env_.Step("querycoord.next-target",
                  loaded.info.collection().schema().name() + ": next target " +
                      std::to_string(next->version) + " from DataCoord's meta: " +
                      std::to_string(next->sealed.size()) + " sealed segment(s)",
                  "etcd", env_.node);
        loaded.next = std::move(*next);
        loaded.has_next = true;
      }
      loaded.next_refreshed = now;
    }
  }
  co_await CheckChannels(loaded);
  if (!loaded_.count(collection_id)) co_return;
  co_await CheckSegments(loaded);
  if (!loaded_.count(collection_id)) co_return;
  co_await SwitchTarget(loaded);
  if (!loaded_.count(collection_id)) co_return;
  co_await SyncLeaders(loaded);
  if (!loaded_.count(collection_id)) co_return;
  co_await ReleaseOrphans(loaded);
  if (!loaded_.count(collection_id)) co_return;
  if (now - last_balance_ >= config_.balance_interval) {
    last_balance_ = now;
    co_await Balance(loaded);
  }
}

Task<void> QueryCoord::CheckChannels(Loaded& loaded) {
  const proto::CollectionInfo collection = loaded.info.collection();
  // Duplicate delegators (a node that was cut off while its shard moved, then came back): the
  // one LeaderOf does not pick stops.
  std::vector<std::pair<std::string, proto::UnwatchDmChannelRequest>> duplicates;
  for (const Replica& replica : loaded.replicas) {
    for (const std::string& vchannel : collection.vchannels()) {
      const Leader leader = LeaderOf(replica, vchannel);
      for (const auto& [node, dist] : dist_) {
        for (const proto::LeaderView& v : dist.leaders()) {
          if (v.vchannel() != vchannel || v.replica_id() != replica.id || &v == leader.view) {
            continue;
          }
          proto::UnwatchDmChannelRequest unwatch;
          unwatch.set_vchannel(vchannel);
          unwatch.set_replica_id(replica.id);
          unwatch.set_target_version(v.target_version());
          duplicates.emplace_back(node, unwatch);
        }
      }
    }
  }
  for (const auto& [node, unwatch] : duplicates) {
    env_.Step("querycoord.channel",
              "stops the duplicate delegator of " + unwatch.vchannel() + " on " + node, env_.node,
              node);
    // Best effort: the next check (or reload) repairs a lost call.
    Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
        *env_.transport, node, kUnwatchDmChannel, unwatch, config_.rpc_deadline);
    if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
    if (!loaded_.count(collection.id())) co_return;
  }
  for (size_t r = 0; r < loaded.replicas.size(); ++r) {
    for (int32_t shard = 0; shard < collection.vchannels_size(); ++shard) {
      const Replica& replica = loaded.replicas[r];
      if (replica.nodes.empty()) continue;
      if (LeaderOf(replica, collection.vchannels(shard)).view != nullptr) continue;
      // The node of the replica leading the fewest channels.
      std::string node;
      int fewest = 1 << 30;
      for (const std::string& n : replica.nodes) {
        auto d = dist_.find(n);
        if (d == dist_.end()) continue;  // not pulled yet
        const int leading = d->second.leaders_size();
        if (leading < fewest) {
          fewest = leading;
          node = n;
        }
      }
      if (node.empty()) continue;
      proto::WatchDmChannelRequest watch;
      *watch.mutable_collection() = collection;
      watch.set_shard(shard);
      watch.set_replica_id(replica.id);
      for (int64_t id : loaded.current.excluded) watch.add_excluded_segments(id);
      env_.Step("querycoord.channel",
                "assigns " + collection.vchannels(shard) + " of replica " +
                    std::to_string(replica.id) + " to " + node,
                env_.node, node);
      Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
          *env_.transport, node, kWatchDmChannel, watch, config_.rpc_deadline);
      if (sent.ok()) {
        // Count it at once so that the next channel goes elsewhere.
        auto d = dist_.find(node);
        if (d != dist_.end()) {
          proto::LeaderView* v = d->second.add_leaders();
          v->set_collection_id(collection.id());
          v->set_vchannel(collection.vchannels(shard));
          v->set_replica_id(replica.id);
        }
      }
    }
  }
}

Task<void> QueryCoord::CheckSegments(Loaded& loaded) {
  const proto::CollectionInfo collection = loaded.info.collection();
  for (size_t r = 0; r < loaded.replicas.size(); ++r) {
    for (const std::string& vchannel : collection.vchannels()) {
      const Replica replica = loaded.replicas[r];
      const Leader found = LeaderOf(replica, vchannel);
      if (found.view == nullptr) continue;
      const proto::LeaderView view = *found.view;
      const std::string leader = found.node;
      std::map<int64_t, proto::SegmentLoadInfo> wanted;
      for (const Target* t : {&loaded.current, &loaded.next}) {
        for (const auto& [sid, info] : t->sealed) {
          if (info.vchannel() == vchannel) wanted[sid] = info;
        }
      }
      std::map<std::string, int> load = WorkerLoad(loaded, replica);
      for (const auto& [sid, info] : wanted) {
        const std::string* at = WorkerOf(view, sid);
        const bool attached = at != nullptr && replica.nodes.count(*at) && Alive(*at);
        bool needs_index = false;
        if (attached && !info.index_path().empty()) {
          auto d = dist_.find(*at);
          if (d != dist_.end()) {
            for (const proto::LoadedSegment& s : d->second.segments()) {
              if (s.segment_id() == sid && !s.indexed()) needs_index = true;
            }
          }
        }
        if (attached && !needs_index) continue;
        std::string worker = attached ? *at : std::string();
        if (worker.empty()) {
          int least = 1 << 30;
          for (const auto& [node, n] : load) {
            if (dist_.count(node) && n < least) {
              least = n;
              worker = node;
            }
          }
        }
        if (worker.empty()) continue;
        ++load[worker];
        env_.Step("querycoord.segment",
                  std::string(needs_index ? "loads the finished index of" : "loads") +
                      " sealed segment " + std::to_string(sid) + " of " + vchannel + " on " +
                      worker + " for the delegator on " + leader,
                  env_.node, leader);
        StartAttach(leader, vchannel, replica.id, worker, info, /*narrate_failure=*/true);
      }
      // Attached segments no target names (compacted away, dropped): detach them.
      proto::ReleaseSegmentsRequest release;
      release.set_collection_id(collection.id());
      release.set_vchannel(vchannel);
      for (const proto::AttachedSegment& s : view.sealed()) {
        if (!wanted.count(s.segment_id())) release.add_segment_ids(s.segment_id());
      }
      if (release.segment_ids_size() > 0) {
        // Best effort: the next check (or reload) repairs a lost call.
        Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
            *env_.transport, leader, kReleaseSegments, release, config_.rpc_deadline);
        if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
        if (!loaded_.count(collection.id())) co_return;
      }
    }
  }
}

Task<void> QueryCoord::SwitchTarget(Loaded& loaded) {
  if (!loaded.has_next || loaded.next.version <= loaded.current.version) co_return;
  const proto::CollectionInfo& collection = loaded.info.collection();
  for (const Replica& replica : loaded.replicas) {
    if (replica.nodes.empty()) co_return;
    for (const std::string& vchannel : collection.vchannels()) {
      const proto::LeaderView* view = LeaderOf(replica, vchannel).view;
      if (view == nullptr) co_return;
      for (const auto& [sid, info] : loaded.next.sealed) {
        if (info.vchannel() != vchannel) continue;
        const std::string* at = WorkerOf(*view, sid);
        if (at == nullptr || !Alive(*at)) co_return;
      }
    }
  }
  env_.Step("querycoord.target",
            collection.schema().name() + ": next target " + std::to_string(loaded.next.version) +
                " is complete (every replica has every channel and segment): it becomes current");
  loaded.current = loaded.next;
  const Metrics::Labels labels = {{"collection", collection.schema().name()}};
  env_.metrics->Set(metrics::kQueryCoordCurrentTargetVersion,
                    static_cast<double>(loaded.current.version), labels);
  co_return;
}

Task<void> QueryCoord::SyncLeaders(Loaded& loaded) {
  if (loaded.current.version == 0) co_return;
  const proto::CollectionInfo collection = loaded.info.collection();
  const Target target = loaded.current;
  for (size_t r = 0; r < loaded.replicas.size(); ++r) {
    for (const std::string& vchannel : collection.vchannels()) {
      const Replica replica = loaded.replicas[r];
      const Leader found = LeaderOf(replica, vchannel);
      const proto::LeaderView* view = found.view;
      const std::string leader = found.node;
      if (view == nullptr || view->target_version() >= target.version) continue;
      proto::SyncTargetRequest sync;
      sync.set_collection_id(collection.id());
      sync.set_vchannel(vchannel);
      sync.set_target_version(target.version);
      bool complete = true;
      for (const auto& [sid, info] : target.sealed) {
        if (info.vchannel() != vchannel) continue;
        const std::string* at = WorkerOf(*view, sid);
        if (at == nullptr || !Alive(*at)) complete = false;
        sync.add_sealed_segments(sid);
      }
      if (!complete) continue;
      for (int64_t id : target.excluded) sync.add_excluded_segments(id);
      // Best effort: the next check (or reload) repairs a lost call.
      Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
          *env_.transport, leader, kSyncTarget, sync, config_.rpc_deadline);
      if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
      if (!loaded_.count(collection.id())) co_return;
    }
  }
}

Task<void> QueryCoord::ReleaseOrphans(Loaded& loaded) {
  const int64_t collection_id = loaded.info.collection_id();
  // Every (worker, segment) some delegator of this collection uses.
  std::set<std::pair<std::string, int64_t>> used;
  for (const auto& [node, dist] : dist_) {
    for (const proto::LeaderView& v : dist.leaders()) {
      if (v.collection_id() != collection_id) continue;
      for (const proto::AttachedSegment& s : v.sealed()) used.insert({s.worker(), s.segment_id()});
    }
  }
  // And every copy a load in flight may be about to attach: the distribution was pulled before
  // it finished (releasing it then left a delegator attached to a copy its worker had dropped).
  for (const auto& [key, load] : loading_) used.insert({load.worker, load.segment_id});
  std::vector<std::pair<std::string, proto::ReleaseSegmentsRequest>> releases;
  std::map<std::pair<std::string, int64_t>, int> orphans;
  for (const auto& [node, dist] : dist_) {
    proto::ReleaseSegmentsRequest release;
    release.set_collection_id(collection_id);
    for (const proto::LoadedSegment& s : dist.segments()) {
      const std::pair<std::string, int64_t> copy{node, s.segment_id()};
      if (s.collection_id() != collection_id || used.count(copy)) continue;
      auto seen = loaded.orphan_rounds.find(copy);
      const int rounds = (seen == loaded.orphan_rounds.end() ? 0 : seen->second) + 1;
      orphans[copy] = rounds;
      if (rounds >= 2) release.add_segment_ids(s.segment_id());
    }
    if (release.segment_ids_size() > 0) releases.emplace_back(node, release);
  }
  loaded.orphan_rounds = std::move(orphans);
  for (const auto& [node, release] : releases) {
    env_.Step("querycoord.orphan",
              "releases " + std::to_string(release.segment_ids_size()) + " sealed segment(s) on " +
                  node + " no delegator uses",
              env_.node, node);
    // Best effort: the next check (or reload) repairs a lost call.
    Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
        *env_.transport, node, kWorkerReleaseSegments, release, config_.rpc_deadline);
    if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
    if (!loaded_.count(collection_id)) co_return;
  }
}

Task<void> QueryCoord::Balance(Loaded& loaded) {
  const proto::CollectionInfo collection = loaded.info.collection();
  for (size_t r = 0; r < loaded.replicas.size(); ++r) {
    const Replica replica = loaded.replicas[r];
    std::map<std::string, int> load = WorkerLoad(loaded, replica);
    std::string most, least;
    for (const auto& [node, n] : load) {
      if (!dist_.count(node)) continue;
      if (most.empty() || n > load[most]) most = node;
      if (least.empty() || n < load[least]) least = node;
    }
    if (most.empty() || least.empty() || load[most] - load[least] < 2) continue;
    // Move one segment of `most`: load it on `least` through its delegator.
    for (const std::string& vchannel : collection.vchannels()) {
      const Leader found = LeaderOf(replica, vchannel);
      if (found.view == nullptr) continue;
      const std::string leader = found.node;
      for (const proto::AttachedSegment& attached : found.view->sealed()) {
        const int64_t sid = attached.segment_id();
        if (attached.worker() != most) continue;
        auto info = loaded.current.sealed.find(sid);
        if (info == loaded.current.sealed.end()) continue;
        env_.Step("querycoord.balance",
                  "balances replica " + std::to_string(replica.id) + ": moves segment " +
                      std::to_string(sid) + " from " + most + " (" + std::to_string(load[most]) +
                      " segments) to " + least + " (" + std::to_string(load[least]) + ")",
                  env_.node, leader);
        // Best effort: the next balance round tries again.
        StartAttach(leader, vchannel, replica.id, least, info->second, /*narrate_failure=*/false);
        co_return;
      }
    }
  }
}

Task<Status> QueryCoord::Attach(const std::string& leader, const std::string& vchannel,
                                int64_t replica_id, const std::string& worker,
                                const proto::SegmentLoadInfo& segment) {
  proto::LoadSegmentsRequest request;
  request.set_collection_id(segment.collection_id());
  request.set_vchannel(vchannel);
  request.set_replica_id(replica_id);
  request.set_worker(worker);
  *request.add_segments() = segment;
  // Loading reads binlogs and the index from S3: longer than an ordinary RPC.
  Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
      *env_.transport, leader, kLoadSegments, request, Duration::Seconds(30));
  co_return sent.status();
}

void QueryCoord::StartAttach(const std::string& leader, const std::string& vchannel,
                             int64_t replica_id, const std::string& worker,
                             const proto::SegmentLoadInfo& segment, bool narrate_failure) {
  const std::string key =
      leader + "|" + vchannel + "|" + std::to_string(segment.segment_id()) + "|" + worker;
  if (loading_.count(key)) return;
  const uint64_t id = ++next_load_id_;
  loading_[key] = InFlightLoad{id, leader, worker, segment.segment_id()};
  env_.Spawn(RunAttach(key, id, leader, vchannel, replica_id, worker, segment, narrate_failure));
}

Task<void> QueryCoord::RunAttach(std::string key, uint64_t id, std::string leader,
                                 std::string vchannel, int64_t replica_id, std::string worker,
                                 proto::SegmentLoadInfo segment, bool narrate_failure) {
  Status sent = co_await Attach(leader, vchannel, replica_id, worker, segment);
  if (!sent.ok()) {
    if (narrate_failure) {
      env_.Step("querycoord.segment", "loading segment " + std::to_string(segment.segment_id()) +
                                          " failed: " + sent.ToString() +
                                          "; retried at the next check");
    } else {
      env_.Detail("rpc.failed", sent.ToString());
    }
  }
  auto it = loading_.find(key);
  if (it != loading_.end() && it->second.id == id) loading_.erase(it);
}

Task<Result<proto::CollectionInfo>> QueryCoord::DescribeCollection(const std::string& name) {
  proto::DescribeCollectionRequest request;
  request.set_name(name);
  co_return co_await CallProto<proto::CollectionInfo>(
      *env_.transport, config_.root_coord, kDescribeCollection, request, config_.rpc_deadline);
}

const QueryCoord::Loaded* QueryCoord::LoadedNamed(const std::string& name) const {
  for (const auto& [id, loaded] : loaded_) {
    if (loaded.info.collection().schema().name() == name) return &loaded;
  }
  return nullptr;
}

Task<Result<proto::Empty>> QueryCoord::LoadCollection(proto::LoadCollectionRequest request) {
  if (!ready_) co_return Unavailable("QueryCoord is recovering");
  const int32_t replicas = request.replica_number() == 0 ? 1 : request.replica_number();
  if (replicas < 1 || replicas > static_cast<int32_t>(config_.query_nodes.size())) {
    co_return InvalidArgument("replica_number " + std::to_string(request.replica_number()) +
                              ": expected 1.." + std::to_string(config_.query_nodes.size()) +
                              " (one query node per replica at least)");
  }
  Result<proto::CollectionInfo> info = co_await DescribeCollection(request.collection());
  if (!info.ok()) co_return info.status();
  if (const Loaded* existing = LoadedNamed(request.collection())) {
    if (existing->info.replica_number() != replicas) {
      co_return FailedPrecondition("collection " + request.collection() + " is loaded with " +
                                   std::to_string(existing->info.replica_number()) +
                                   " replica(s); release it first");
    }
    co_return proto::Empty();
  }
  proto::CollectionLoadInfo load;
  load.set_collection_id(info->id());
  load.set_replica_number(replicas);
  *load.mutable_collection() = *info;
  Result<PutResult> put =
      co_await env_.meta_store->Put(CollectionLoadKey(info->id()), load.SerializeAsString());
  if (!put.ok()) co_return put.status();
  if (!loaded_.count(info->id())) {
    Loaded& loaded = loaded_[info->id()];
    loaded.info = load;
    AssignNodes(loaded);
  }
  env_.Step("querycoord.load", "loads " + request.collection() + " with " +
                                   std::to_string(replicas) + " replica(s) over " +
                                   std::to_string(nodes_.size()) + " query node(s)");
  co_return proto::Empty();
}

Task<Result<proto::Empty>> QueryCoord::ReleaseCollection(proto::ReleaseCollectionRequest request) {
  if (!ready_) co_return Unavailable("QueryCoord is recovering");
  const Loaded* loaded = LoadedNamed(request.collection());
  if (loaded == nullptr) co_return proto::Empty();
  const int64_t id = loaded->info.collection_id();
  Result<DeleteResult> deleted = co_await env_.meta_store->Delete(CollectionLoadKey(id));
  if (!deleted.ok()) co_return deleted.status();
  loaded_.erase(id);
  proto::ReleaseCollectionOnNodeRequest release;
  release.set_collection_id(id);
  std::vector<std::string> nodes;
  for (const auto& [node, server] : nodes_) nodes.push_back(node);
  for (const std::string& node : nodes) {
    // Best effort: the next check (or reload) repairs a lost call.
    Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
        *env_.transport, node, kReleaseCollectionOnNode, release, config_.rpc_deadline);
    if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
  }
  env_.Step("querycoord.release", "releases " + request.collection());
  co_return proto::Empty();
}

Result<proto::GetLoadingProgressResponse> QueryCoord::LoadingProgress(
    const proto::GetLoadingProgressRequest& request) const {
  if (!ready_) return Unavailable("QueryCoord is recovering");
  const Loaded* loaded = LoadedNamed(request.collection());
  if (loaded == nullptr) {
    return FailedPrecondition("collection not loaded: " + request.collection());
  }
  int total = 0, served = 0;
  for (const Replica& replica : loaded->replicas) {
    for (const std::string& vchannel : loaded->info.collection().vchannels()) {
      ++total;
      const proto::LeaderView* view = LeaderOf(replica, vchannel).view;
      if (view != nullptr && view->serviceable() && loaded->current.version > 0 &&
          view->target_version() >= loaded->current.version) {
        ++served;
      }
    }
  }
  proto::GetLoadingProgressResponse response;
  response.set_progress(total == 0 ? 0 : served * 100 / total);
  return response;
}

Result<proto::GetShardLeadersResponse> QueryCoord::ShardLeaders(
    const proto::GetShardLeadersRequest& request) const {
  // Until its meta is reloaded, "not loaded" would be a lie that fails reads for good.
  if (!ready_) return Unavailable("QueryCoord is recovering");
  const Loaded* loaded = LoadedNamed(request.collection());
  if (loaded == nullptr) {
    return FailedPrecondition("collection not loaded: " + request.collection());
  }
  proto::GetShardLeadersResponse response;
  response.set_collection_id(loaded->info.collection_id());
  for (const std::string& vchannel : loaded->info.collection().vchannels()) {
    proto::ShardLeaders* shard = response.add_shards();
    shard->set_vchannel(vchannel);
    for (const Replica& replica : loaded->replicas) {
      for (const std::string& node : replica.nodes) {
        auto d = dist_.find(node);
        if (d == dist_.end()) continue;
        for (const proto::LeaderView& v : d->second.leaders()) {
          if (v.vchannel() == vchannel && v.replica_id() == replica.id && v.serviceable()) {
            shard->add_nodes(node);
          }
        }
      }
    }
    if (shard->nodes_size() == 0) {
      return Unavailable("channel not available: no serviceable delegator for " + vchannel);
    }
  }
  return response;
}

}  // namespace simvus::roles
