// IndexNode: builds one segment's vector index per task (semantics §8, seed 1.1.8).
//
// BuildIndex accepts the task at once and builds in the background: read the segment's binlogs
// from the ObjectStore (segment::SegmentStore verifies every file; a corrupt one is kDataLoss
// naming it, reported as the task's failure), build the index with FAISS on one thread and a fixed
// seed, charged to this node's CPU in sim time by the cost model in ClusterConfig, write the
// index file under index_files/<build>/<version>/..., and ReportBuild to IndexCoord. Object-store
// errors are retried with capped backoff. A crash loses the tasks in flight; IndexCoord retries
// them elsewhere with a new version.
#pragma once

#include <string>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class IndexNode : public Service {
 public:
  IndexNode(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}
  void Start() override;

  // Sim time one build costs: rows * dim * index_build_cost_per_value * the type's factor.
  static Duration BuildCost(const std::string& index_type, int64_t rows, int64_t dim,
                            const ClusterConfig& config);

 private:
  Task<Result<proto::Empty>> Accept(proto::BuildIndexRequest request);
  Task<void> Build(proto::BuildIndexRequest request);
  Task<void> Report(proto::BuildIndexReport report);

  Env& env_;
  ClusterConfig config_;
};

}  // namespace simvus::roles
