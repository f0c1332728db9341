// QueryNode: a node of the read path. It plays two parts at once, as Milvus's querynode v2 does:
//
//   delegator  for each shard (vchannel, replica) QueryCoord asked it to watch: consumes the
//              vchannel, serves growing data and fans reads out (delegator.h);
//   worker     holds sealed segments loaded from the ObjectStore (binlogs, statslog, deltalogs
//              and the index file when one is built) for any delegator of its replica; answers
//              WorkerDelete, SearchSegments and QuerySegments at the MVCC ts the delegator gives.
//
// It registers a session (lease) so that QueryCoord notices when it dies, and reports its data
// distribution (GetDataDistribution: its delegators' views and its loaded segments) whenever
// QueryCoord pulls it. Everything is in memory: a restarted node is empty and is treated as new.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/roles/delegator.h"
#include "components/roles/segment_reads.h"
#include "components/segment/segment.h"

namespace simvus::roles {

class QueryNode : public Service {
 public:
  QueryNode(Env& env, ClusterConfig config);
  void Start() override;

 private:
  struct Loaded {
    int64_t collection_id = 0;
    std::string vchannel;
    std::shared_ptr<segment::Segment> segment;
    int64_t duplicate_rows = 0;  // rows whose pk repeats within the segment: widen k by this
    bool indexed = false;
  };

  // Delegator side.
  Task<Result<proto::Empty>> WatchDmChannel(proto::WatchDmChannelRequest request);
  Result<std::shared_ptr<Delegator>> DelegatorOf(const std::string& vchannel) const;
  Task<Result<proto::Empty>> ReleaseCollection(proto::ReleaseCollectionOnNodeRequest request);
  proto::DataDistribution Distribution() const;

  // Worker side.
  Task<Result<proto::Empty>> WorkerLoad(proto::LoadSegmentsRequest request);
  Result<proto::Empty> WorkerRelease(const proto::ReleaseSegmentsRequest& request);
  Result<proto::Empty> WorkerDelete(const proto::WorkerDeleteRequest& request);
  Task<Result<proto::ShardSearchResponse>> WorkerSearch(proto::ShardSearchRequest request);
  Task<Result<proto::ShardQueryResponse>> WorkerQuery(proto::ShardQueryRequest request);
  // The loaded segments a worker request names, or kUnavailable naming the missing one.
  Result<std::vector<SegmentRef>> SegmentsOf(
      const google::protobuf::RepeatedField<int64_t>& ids) const;

  // Metrics (role_metrics.h): the worker's sealed segments per vchannel; a finished shard read.
  void RecordSealed();
  void RecordRead(const std::string& query_type, const std::string& scope, Instant start, bool ok);

  Env& env_;
  ClusterConfig config_;
  std::map<std::string, std::shared_ptr<Delegator>> delegators_;  // by vchannel
  std::map<int64_t, std::shared_ptr<Loaded>> loaded_;             // by segment id
  std::set<std::string> sealed_channels_;  // vchannels whose sealed count was published
};

}  // namespace simvus::roles
