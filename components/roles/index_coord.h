// IndexCoord: one index build per flushed segment (semantics §8, seed 1.1.8).
//
//   CreateIndex    validates the params with Milvus's names and ranges (ann::ParseIndexSpec: an
//                  unknown index type or an out-of-range parameter is kInvalidArgument naming it),
//                  requires the vector field and the schema's metric, stores the canonical params
//                  in the MetaStore. One index per collection; the same params again is a no-op.
//   Scheduling     every 500 ms it lists the collection's segments: each Flushed L1 segment with
//                  rows and no task gets a build task (build id from DataCoord's AllocID,
//                  version 1) sent to an index node, round robin. A task whose node has not
//                  reported within index_task_timeout plus the build's modelled cost
//                  (IndexNode::BuildCost) is retried on the next node with version+1.
//   ReportBuild    an index node's result registers only if its build id and version are the
//                  task's current ones and the task is still in progress; anything else is a
//                  stale result (a retried build) and is ignored. A failure (a corrupt binlog:
//                  kDataLoss naming the file) marks the task Failed with that reason; it is not
//                  retried, and nothing stored is overwritten.
//   DescribeIndex  rows indexed of rows flushed; "Finished" when every flushed segment is.
//   DropIndex      removes the index and its tasks from the MetaStore (files are left to GC).
// Simplification: in Milvus >= 2.3 this is part of DataCoord; here it is its own role on its own
// node, reading segment state from the MetaStore only. Index nodes are not watched through their
// sessions: the timeout covers crashed and stalled nodes alike.
#pragma once

#include <map>
#include <string>

#include "components/env/async_mutex.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class IndexCoord : public Service {
 public:
  IndexCoord(Env& env, ClusterConfig config);
  void Start() override;

 private:
  struct BuildTask {
    proto::SegmentIndex index;
    Instant sent;  // when the current version was sent
  };

  Task<void> Recover();
  Task<void> ScheduleLoop();
  Task<void> Schedule(int64_t collection_id);
  // The sim cost an index node is charged for building this collection's index over `rows`.
  Duration ExpectedBuildCost(int64_t collection_id, int64_t rows) const;
  Task<Status> Send(int64_t segment_id, std::string why);
  Task<Result<proto::CollectionInfo>> CollectionNamed(const std::string& name);

  Task<Result<proto::Empty>> CreateIndex(proto::CreateIndexRequest request);
  Task<Result<proto::DescribeIndexResponse>> DescribeIndex(proto::DescribeIndexRequest request);
  Task<Result<proto::Empty>> DropIndex(proto::DropIndexRequest request);
  Task<Result<proto::Empty>> ReportBuild(proto::BuildIndexReport report);

  Env& env_;
  ClusterConfig config_;
  AsyncMutex mutex_;
  bool ready_ = false;
  size_t next_node_ = 0;
  std::map<int64_t, proto::IndexInfo> indexes_;           // by collection id
  std::map<int64_t, proto::CollectionInfo> collections_;  // of the indexed collections
  std::map<int64_t, BuildTask> tasks_;                    // by segment id
  std::map<int64_t, std::string> manifests_;              // by segment id
};

std::string IndexKey(int64_t collection_id);
std::string SegmentIndexKey(int64_t collection_id, int64_t segment_id);

}  // namespace simvus::roles
