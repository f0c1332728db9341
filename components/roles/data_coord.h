// DataCoord: owns the segments of every collection (semantics §5, seed 1.1.3 steps 5-8).
//
//   Channel watch   assigns each vchannel to a data node, recorded in the MetaStore, and tells the
//                   data node to watch it.
//   AssignSegmentID the proxy asks, once per write, for a segment per (collection, partition,
//                   vchannel) and a row count; the rows go to the vchannel's growing segment, or a
//                   new one (ids persisted in blocks). Each assignment expires at a TSO ts
//                   `assignment_expiration` later: a row written into a segment has ts < its
//                   last_expire_ts, so once the channel's time tick passes that, every row of the
//                   segment has been consumed.
//   Seal            Growing -> Sealed by capacity (rows >= maxSize * sealProportion / row size),
//                   lifetime (maxLife), idle time (maxIdleTime with minSizeFromIdleToSealed), or
//                   an explicit Flush. The data node owning the vchannel is told to sync it
//                   (FlushSegments); a data node that missed it finds it in the MetaStore.
//   SegmentFlushing Sealed -> Flushing: the data node claims the segment before writing files
//                   (the three-stage flush that prevents a double flush, PR #30240).
//   SaveBinlogPaths Flushing -> Flushed with the files' manifest, in one MetaStore transaction
//                   with the channel checkpoint (never moved backward). An empty segment goes to
//                   Dropped. L0 segments (a channel's deletes) are created Flushed.
//   Flush           seals every growing segment of the collection, takes a flush ts from TSO and
//                   asks each vchannel's data node to sync its deletes into an L0 segment once its
//                   tick passes the flush ts. Returns the segment ids and the flush ts.
//   GetFlushState   flushed when those segments are Flushed (or Dropped) and every vchannel's
//                   checkpoint ts is >= the flush ts: everything before it is in the object store.
//   Compaction      (data_coord_compaction.cc) L0: once a channel's checkpoint passes an L0
//                   segment's last delete (every older row is flushed), its deletes are written
//                   into the deltalog of each flushed segment of the channel whose bloom filter may
//                   hold the pk, and the L0 segment is Dropped — one MetaStore txn. Mix: small
//                   flushed segments of a channel (< smallProportion of max rows) are merged into
//                   a new segment without the rows their deltalogs delete; the inputs are Dropped
//                   in the same txn. Visible rows are unchanged for every MVCC ts after the
//                   deletes applied.
//   GC              (data_coord_gc.cc) the files of a segment Dropped for gc.dropTolerance are
//                   deleted, then its MetaStore key.
// Every segment state change is a MetaStore write, so the MetaStore's revisions are the state
// machine's history (the checker reads them). On restart the coordinator reloads segments,
// checkpoints and watches, and seals every growing segment it finds (its in-memory assignments are
// gone) with an expiry past any assignment it may have handed out.
// Simplifications: one partition (0); a write's rows for one vchannel go to one segment (Milvus
// may split them); no seal jitter; segment ids come from DataCoord, not the root coordinator's
// global id allocator; flush policy = "sealed and the tick passed last_expire_ts" without
// segmentFlushInterval; the data node, not DataCoord, waits for the tick; compaction runs in
// DataCoord (Milvus plans it there and runs it on data nodes); no single-segment compaction by
// delete ratio; GC does not scan for orphan files (only Dropped segments' files go).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "components/env/async_mutex.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class DataCoord : public Service {
 public:
  DataCoord(Env& env, ClusterConfig config);
  void Start() override;

  // Rows a segment of this schema takes before it seals by capacity (at least 1).
  static int64_t MaxRowsOf(const proto::CollectionSchema& schema, const ClusterConfig& config);

 private:
  struct Segment {
    proto::SegmentInfo info;
    int64_t assigned = 0;   // rows handed out (in memory only, as in Milvus)
    Instant last_assigned;  // for the idle policy
    Instant created;        // for the lifetime policy
    Instant dropped;        // for GC's dropTolerance
    bool compacting = false;
  };
  using ChannelKey = std::pair<int64_t, std::string>;  // (collection id, vchannel)

  Task<void> Recover();
  Task<void> SealPolicyLoop();
  Task<void> CompactionLoop();
  Task<void> GcLoop();
  // One round of each (data_coord_compaction.cc, data_coord_gc.cc).
  Task<void> CompactL0();
  Task<void> CompactSmallSegments();
  Task<void> CollectGarbage();
  Task<Status> RunL0Compaction(int64_t l0_id, std::vector<int64_t> targets);
  Task<Status> RunMixCompaction(int64_t result_id, std::vector<int64_t> inputs);
  Task<Result<Timestamp>> AllocTimestamp();
  Task<Result<int64_t>> NextId();
  Task<Status> Persist(const proto::SegmentInfo& info);
  // Growing -> Sealed (persisted), then tells the vchannel's data node. REQUIRES mutex_ held.
  Task<Status> Seal(int64_t segment_id, const std::string& why);
  void NotifyDataNode(proto::FlushSegmentsRequest request);
  Task<void> NotifyLoop(std::string data_node, proto::FlushSegmentsRequest request);
  // kUnavailable until Recover finished.
  Status CheckReady() const;
  // Metrics (role_metrics.h): segment counts and state-sets from segments_ (after any change of
  // a segment's state), and the channel checkpoints (after a commit).
  void RecordSegments();
  void RecordCheckpoints();

  Task<Result<proto::Empty>> WatchChannels(proto::WatchChannelsRequest request);
  Task<Result<proto::AssignSegmentIdResponse>> AssignSegmentId(
      proto::AssignSegmentIdRequest request);
  Task<Result<proto::AllocIdResponse>> AllocId(proto::AllocIdRequest request);
  Task<Result<proto::FlushResponse>> Flush(proto::FlushRequest request);
  Task<Result<proto::GetFlushStateResponse>> GetFlushState(proto::GetFlushStateRequest request);
  Task<Result<proto::Empty>> SegmentFlushing(proto::SegmentFlushingRequest request);
  Task<Result<proto::Empty>> SaveBinlogPaths(proto::SaveBinlogPathsRequest request);
  Task<Result<proto::Empty>> UpdateChannelCheckpoint(proto::UpdateChannelCheckpointRequest request);
  // One MetaStore txn of `ops`; on failure the in-memory checkpoints go back to the ones given.
  Task<Status> Commit(std::vector<TxnOp> ops,
                      std::map<std::string, proto::MsgPosition> checkpoints_before);
  // Adds a Put of the vchannel's checkpoint to `ops` when `position` moves it forward.
  void AdvanceCheckpoint(const std::string& vchannel, const proto::MsgPosition& position,
                         std::vector<TxnOp>& ops);

  Env& env_;
  ClusterConfig config_;
  AsyncMutex mutex_;  // assignment, seal and flush are atomic with respect to each other
  bool ready_ = false;
  int64_t next_id_ = 0;
  int64_t id_limit_ = 0;  // ids below this are reserved in the MetaStore
  std::map<int64_t, proto::CollectionInfo> collections_;     // by id
  std::map<std::string, std::string> owner_;                 // vchannel -> data node
  std::map<int64_t, Segment> segments_;                      // by id
  std::map<ChannelKey, int64_t> growing_;                    // the open segment per channel
  std::map<int64_t, uint64_t> flush_fence_;                  // collection -> latest flush ts
  std::map<std::string, proto::MsgPosition> checkpoints_;    // by vchannel
  std::map<int64_t, proto::SegmentState> published_states_;  // the state-sets last recorded
};

// The MetaStore key of a segment and of a vchannel's checkpoint.
std::string SegmentKey(int64_t collection_id, int64_t segment_id);
std::string ChannelCheckpointKey(const std::string& vchannel);

}  // namespace simvus::roles
