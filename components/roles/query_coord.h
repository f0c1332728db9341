// QueryCoord: which query node serves what (semantics §7, seed 1.1.4 / 1.1.8).
//
//   LoadCollection     stores CollectionLoadInfo{collection, replica_number} in the MetaStore and
//                      splits the live query nodes into that many replicas (new nodes join the
//                      smallest replica). ReleaseCollection removes it and tells every node.
//   Targets            every next_target_interval the next target is rebuilt from DataCoord's and
//                      IndexCoord's meta: the collection's Flushed L1 segments (with their index
//                      file when the build Finished) and the excluded ids (those segments and,
//                      transitively, the compacted-away segments whose rows they hold). The next
//                      target becomes current only when, in every replica, every channel has a
//                      delegator with every next-target segment attached (target completeness,
//                      §13.16); then each delegator gets SyncTarget (the handoff's second phase).
//   Checkers           every dist_pull_interval: pull every live node's distribution, then
//                      channel checker  a (replica, channel) without a delegator on a live node of
//                                       the replica gets one (WatchDmChannels, excluding the
//                                       current target's segments);
//                      segment checker  each delegator gets every current and next target
//                                       segment of its channel attached on a live worker of its
//                                       replica (LoadSegments; the least loaded worker); a
//                                       segment no target names is detached; a worker copy no
//                                       delegator uses is released;
//                      sync             a delegator behind the current target that has all its
//                                       segments gets SyncTarget;
//                      balance          every balance_interval, in each replica, one segment
//                                       moves from the most to the least loaded worker when they
//                                       differ by two or more (load there, then the old copy is
//                                       an orphan and is released).
//   Failover           a node that does not answer a distribution pull counts as holding nothing:
//                      the checkers at once watch its channels on another node of its replica and
//                      reload its segments there (faster than Milvus, which waits for the
//                      session; a node that comes back with a stale delegator has it stopped as a
//                      duplicate). A node whose session is gone (or whose server id changed: a
//                      restart) leaves its replica.
//   GetShardLeaders    per channel, the serviceable delegators on live nodes, one per replica.
//   GetLoadingProgress 100 once a current target is installed and every replica's every channel
//                      is served at it.
// Simplifications: targets are read from the MetaStore keys DataCoord and IndexCoord write
// (Milvus asks DataCoord's GetRecoveryInfoV2); the balancer moves sealed segments, not channels;
// targets and replicas are kept in memory (a restarted QueryCoord rebuilds them from the
// distribution the nodes report and the MetaStore).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class QueryCoord : public Service {
 public:
  QueryCoord(Env& env, ClusterConfig config);
  void Start() override;

 private:
  struct Target {
    int64_t version = 0;
    std::map<int64_t, proto::SegmentLoadInfo> sealed;  // by segment id
    std::set<int64_t> excluded;
  };
  struct Replica {
    int64_t id = 0;
    std::set<std::string> nodes;
  };
  struct Loaded {
    proto::CollectionLoadInfo info;
    std::vector<Replica> replicas;
    Target current;
    Target next;
    Instant next_refreshed;
    bool has_next = false;
    // (worker, segment) copies no delegator used, by consecutive check rounds. A copy is released
    // only when two rounds in a row found it unused: a distribution is pulled node by node, so a
    // load that finished between two pulls can show its worker copy without the delegator's
    // attachment (releasing it then left the delegator attached to nothing, swarm seed 1161).
    std::map<std::pair<std::string, int64_t>, int> orphan_rounds;
  };

  Task<void> Recover();
  Task<void> CheckLoop();
  Task<void> RefreshNodes();
  Task<void> PullDistribution();
  Task<Result<Target>> ReadTarget(const proto::CollectionInfo& collection);
  Task<void> Check(int64_t collection_id);
  Task<void> CheckChannels(Loaded& loaded);
  Task<void> CheckSegments(Loaded& loaded);
  Task<void> SwitchTarget(Loaded& loaded);
  Task<void> SyncLeaders(Loaded& loaded);
  Task<void> ReleaseOrphans(Loaded& loaded);
  Task<void> Balance(Loaded& loaded);
  void AssignNodes(Loaded& loaded);
  // Asks the delegator on `leader` to attach `segment` of `vchannel` on `worker`.
  Task<Status> Attach(const std::string& leader, const std::string& vchannel, int64_t replica_id,
                      const std::string& worker, const proto::SegmentLoadInfo& segment);
  // Starts Attach as a task of its own, as Milvus's task scheduler runs loads: the checkers go on
  // while a load runs (a load sent to a node that then crashes must not stall every checker until
  // its deadline, swarm seed 179), and the same load is not sent twice while one is in flight.
  void StartAttach(const std::string& leader, const std::string& vchannel, int64_t replica_id,
                   const std::string& worker, const proto::SegmentLoadInfo& segment,
                   bool narrate_failure);
  Task<void> RunAttach(std::string key, uint64_t id, std::string leader, std::string vchannel,
                       int64_t replica_id, std::string worker, proto::SegmentLoadInfo segment,
                       bool narrate_failure);

  // The delegator of (replica, vchannel) on a live node of the replica (the newest target's,
  // if two), or {"", nullptr}.
  struct Leader {
    std::string node;
    const proto::LeaderView* view = nullptr;
  };
  Leader LeaderOf(const Replica& replica, const std::string& vchannel) const;
  // Sealed segments attached per worker node of `replica`.
  std::map<std::string, int> WorkerLoad(const Loaded& loaded, const Replica& replica) const;
  bool Alive(const std::string& node) const { return nodes_.count(node) > 0; }
  int64_t NextTargetVersion();

  Task<Result<proto::Empty>> LoadCollection(proto::LoadCollectionRequest request);
  Task<Result<proto::Empty>> ReleaseCollection(proto::ReleaseCollectionRequest request);
  Result<proto::GetLoadingProgressResponse> LoadingProgress(
      const proto::GetLoadingProgressRequest& request) const;
  Result<proto::GetShardLeadersResponse> ShardLeaders(
      const proto::GetShardLeadersRequest& request) const;
  Task<Result<proto::CollectionInfo>> DescribeCollection(const std::string& name);
  const Loaded* LoadedNamed(const std::string& name) const;

  Env& env_;
  ClusterConfig config_;
  bool ready_ = false;
  std::map<int64_t, Loaded> loaded_;                     // by collection id
  std::map<std::string, int64_t> nodes_;                 // live query node -> server id
  std::map<std::string, proto::DataDistribution> dist_;  // last pulled, live nodes only
  Instant last_balance_;
  int64_t max_target_version_ = 0;
  // Loads in flight by "leader|vchannel|segment|worker" -> (task id, leader, worker). A node that
  // goes down or restarts forgets its loads, so they are sent again to its new incarnation.
  struct InFlightLoad {
    uint64_t id = 0;
    std::string leader, worker;
    int64_t segment_id = 0;
  };
  std::map<std::string, InFlightLoad> loading_;
  uint64_t next_load_id_ = 0;
};

}  // namespace simvus::roles
