// Delegator: the shard leader of one vchannel in one replica (semantics §7, seed 1.1.4 / 1.1.8).
//
// It is the replica's only consumer of its vchannel. From the log it builds growing segments (one
// per segment id the proxy stamped on each insert) and a delete buffer, and moves tSafe with the
// time ticks. Sealed segments live on workers (any query node of the replica, this one included);
// the delegator knows, per sealed segment, its worker and its pk bloom filter (the statslog).
//
// Reads: wait until tSafe >= G, answer at M = tSafe. A read pins a snapshot of the distribution:
// the growing segments not handed off (searched here) and the readable sealed segments of the
// current target (fanned out to their workers); the parts are reduced to one answer per shard.
// Any part failing fails the read (Milvus's partialResultRequiredDataRatio = 1).
//
// Deletes (semantics §6): a consumed delete goes to every growing segment and is forwarded to the
// worker of every sealed segment whose bloom filter may hold its pk, before the next message is
// consumed, so tSafe never passes a delete that a segment has not seen (§13.19). A worker that
// does not acknowledge marks its segment offline: reads fail until QueryCoord loads it again.
//
// Loading a sealed segment (LoadSegments from QueryCoord): the worker loads it from the object
// store, the delegator reads its statslog, then, under the shard lock (no message consumed in
// between), replays every buffered delete the bloom filter may match and attaches the segment.
// The segment is not yet readable: the two-phase handoff ends at SyncTarget, which, in one step,
// makes the target's sealed segments readable and drops the growing copies of the segments whose
// rows they hold (and stops consuming their inserts). At every instant each row is readable once.
//
// Simplifications (said in the read-path tour too): the delegator consumes its pchannel from the
// log's low watermark and keeps every delete it consumed (Milvus seeks to the channel checkpoint,
// loads L0 segments and trims the buffer at each target); a segment's rows are excluded by segment
// id (Milvus also uses the dml positions).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "components/env/async_mutex.h"
#include "components/env/completion.h"
#include "components/env/env.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/roles/segment_reads.h"
#include "components/segment/bloom_filter.h"
#include "components/segment/segment.h"

namespace simvus::roles {

class Delegator : public std::enable_shared_from_this<Delegator> {
 public:
  Delegator(Env& env, const ClusterConfig& config, proto::WatchDmChannelRequest watch);
  // Starts consuming. Stop() ends the consume loop (release, or a newer watch).
  void Start();
  void Stop();

  const std::string& vchannel() const { return vchannel_; }
  int64_t collection_id() const { return watch_.collection().id(); }
  int64_t replica_id() const { return watch_.replica_id(); }
  proto::LeaderView View() const;

  Task<Result<proto::Empty>> LoadSegments(proto::LoadSegmentsRequest request);
  Task<Result<proto::Empty>> ReleaseSegments(proto::ReleaseSegmentsRequest request);
  Result<proto::Empty> SyncTarget(const proto::SyncTargetRequest& request);
  Task<Result<proto::ShardSearchResponse>> Search(proto::ShardSearchRequest request);
  Task<Result<proto::ShardQueryResponse>> Query(proto::ShardQueryRequest request);

 private:
  struct Growing {
    std::shared_ptr<segment::Segment> segment;
    std::set<int64_t> pks;
    int64_t duplicate_rows = 0;  // rows whose pk was already there: a search widens k by this
  };
  struct Sealed {
    std::string worker;
    std::shared_ptr<segment::BloomFilter> bloom;
    int64_t num_rows = 0;
    bool offline = false;  // a forwarded delete was not acknowledged
  };
  // What one read uses: taken at M, kept alive while the read runs.
  struct Snapshot {
    uint64_t mvcc = 0;
    std::vector<SegmentRef> growing;
    std::map<std::string, std::vector<int64_t>> sealed_by_worker;
  };

  Task<void> Process(proto::LogMessage message);
  void ApplyInsert(const proto::InsertMsg& insert);
  Task<void> ApplyDelete(proto::DeleteMsg del);
  void AdvanceTsafe(uint64_t tick);
  void RecordGrowing();  // milvus_querynode_segment_num{Growing} of this vchannel
  // Forwards (pk, ts) records to the worker holding `segment_id`; false when not acknowledged.
  Task<bool> Forward(int64_t segment_id, std::string worker, std::vector<int64_t> pks,
                     std::vector<uint64_t> tss);
  // Waits for tSafe >= guarantee and pins the readable distribution, or says why not.
  // `query_type` ("search", "query") labels the wait's metric.
  Task<Result<Snapshot>> Pin(uint64_t guarantee, bool exact_mvcc, const char* query_type);

  Env& env_;
  const ClusterConfig& config_;
  proto::WatchDmChannelRequest watch_;
  std::string vchannel_;
  std::string pchannel_;
  segment::CollectionSchema schema_;
  std::shared_ptr<bool> stop_ = std::make_shared<bool>(false);
  AsyncMutex mutex_;  // held while a message is applied and while a segment is attached

  std::map<int64_t, std::shared_ptr<Growing>> growing_;  // by segment id
  std::map<int64_t, std::vector<uint64_t>> deletes_;     // the delete buffer: pk -> delete ts
  std::map<int64_t, Sealed> sealed_;                     // attached sealed segments
  std::set<int64_t> readable_;                           // the current target's sealed segments
  std::set<int64_t> excluded_;                           // their rows are in sealed segments
  int64_t target_version_ = 0;
  uint64_t tsafe_ = 0;
  std::vector<std::pair<uint64_t, Completion<bool>>> waiters_;  // (G, reached?)
};

}  // namespace simvus::roles
