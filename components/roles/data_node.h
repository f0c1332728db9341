// DataNode: turns a vchannel's stream into segment files (semantics §5, seed 1.1.3 steps 8-10).
//
// For each vchannel it watches, it consumes the pchannel and buffers:
//   inserts  into a write buffer per segment (the segment id the proxy got from DataCoord), as a
//            growing segment::Segment with every field;
//   deletes  into the channel's delete buffer (2.4+: deletes are written into L0 segments).
// Sync (each step retried with capped backoff; object-store faults never lose a buffer):
//   a sealed segment, once the channel tick passes its last_expire_ts (every row assigned to it
//   has been consumed): claim it (SegmentFlushing: Sealed -> Flushing), write its insert binlogs
//   (one per field and the Timestamp column) and statslog with segment::SegmentStore, then
//   SaveBinlogPaths, which marks it Flushed and moves the channel checkpoint in one MetaStore txn;
//   the delete buffer, once the tick passes a Flush's flush ts or the buffer holds
//   dataNode.segment.deleteBufBytes: one deltalog in a new L0 segment.
// Channel checkpoint (a MsgPosition): `offset` = the first message not yet persisted (replay
// starts there), `ts` = every message with ts <= it is persisted. Reported with each sync and
// every channel_checkpoint_interval; DataCoord never moves it backward.
// Recovery: on start the node reads its channel watches, each vchannel's checkpoint and segments,
// seeks the pchannel to the lowest checkpoint and replays, skipping what is already persisted:
// messages before the vchannel's checkpoint, inserts into Flushed (or Dropped) segments, deletes
// at or before the last L0 segment's dml position. Sealed and Flushing segments are synced again
// (their files are rewritten with the same paths and bytes).
// Simplifications: a segment is synced once, whole, when sealed (no partial syncs of growing
// segments by insertBufSize or syncPeriod); log ids are the segment
// ids (one sync per segment); a channel is not reassigned to another data node when its owner
// dies (the owner recovers it when it restarts).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/segment/segment.h"

namespace simvus::roles {

class DataNode : public Service {
 public:
  DataNode(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}
  void Start() override;

 private:
  struct SegmentBuffer {
    int64_t id = 0;
    std::string vchannel;
    std::unique_ptr<segment::Segment> rows;
    proto::MsgPosition start;  // first message (offset), and the least row ts
    proto::MsgPosition last;   // last message
    uint64_t flush_after = 0;  // sealed: sync once the tick reaches this; 0 while growing
    bool syncing = false;
    int64_t bytes = 0;  // InsertMsg bytes buffered (the buffer-size metric)
  };
  struct DeleteBuffer {
    std::vector<std::pair<segment::PrimaryKey, Timestamp>> records;
    proto::MsgPosition start;
    proto::MsgPosition last;
    bool empty() const { return records.empty(); }
  };
  struct Channel {
    std::string vchannel;
    std::string pchannel;
    proto::CollectionInfo info;
    segment::CollectionSchema schema;
    uint64_t tick = 0;                       // last time tick consumed
    int64_t next_offset = 0;                 // the next pchannel offset to consume
    proto::MsgPosition skip;                 // replay: messages before skip.offset are persisted
    std::set<int64_t> persisted;             // segments Flushed or Dropped: replay skips them
    int64_t deletes_persisted_through = -1;  // offset of the last delete in an L0 segment
    DeleteBuffer deletes;
    DeleteBuffer syncing_deletes;                 // being written into an L0 segment
    std::map<uint64_t, int64_t> channel_flushes;  // flush ts -> L0 segment id
    proto::MsgPosition reported;                  // last checkpoint DataCoord accepted
  };

  Task<void> Recover();
  Task<Result<proto::Empty>> Watch(proto::WatchChannelsRequest request);
  Task<Result<proto::Empty>> FlushSegments(proto::FlushSegmentsRequest request);
  // Registers the vchannel (once) and starts consuming its pchannel if nobody does yet.
  void WatchOne(Channel channel, std::optional<int64_t> start);
  void Apply(const std::string& pchannel, const proto::LogMessage& message, int64_t offset);
  void ApplyInsert(Channel& channel, const proto::InsertMsg& insert, int64_t offset);
  void ApplyDelete(Channel& channel, const proto::DeleteMsg& del, int64_t offset);
  // Starts the syncs the channel's tick now allows.
  void MaybeSync(Channel& channel);
  Task<void> SyncSegment(int64_t segment_id);
  // l0_segment_id 0: allocate one from DataCoord (a sync because the buffer is full).
  Task<void> SyncDeletes(std::string vchannel, uint64_t flush_ts, int64_t l0_segment_id);
  Task<void> CheckpointLoop();
  Task<void> ReportCheckpoint(std::string vchannel);
  // The vchannel's checkpoint, not counting buffer `except` (a segment being saved).
  proto::MsgPosition Checkpoint(const Channel& channel, int64_t except = 0) const;
  Task<void> Backoff(int attempt);
  // Metrics (role_metrics.h): the channel's buffer and checkpoint gauges; a finished sync.
  void RecordBuffer(const Channel& channel);
  void RecordCheckpoint(const Channel& channel);
  void RecordSync(proto::SegmentLevel level, bool ok, Instant start, int64_t rows);

  Env& env_;
  ClusterConfig config_;
  std::map<std::string, Channel> channels_;                    // by vchannel
  std::map<int64_t, SegmentBuffer> segments_;                  // by segment id
  std::map<std::string, std::set<std::string>> vchannels_of_;  // pchannel -> vchannels
  bool checkpoint_loop_started_ = false;
};

}  // namespace simvus::roles
