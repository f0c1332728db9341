// DataCoord: assigns each vchannel to a data node and records the assignment in the MetaStore
// ("channel watch", semantics §5), then tells the data node to watch it.
// Simplification: segment allocation, seal and flush policies, checkpoints and reassignment on
// data-node loss arrive with the flush issue; the slice only buffers data on the data node.
#pragma once

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class DataCoord : public Service {
 public:
  DataCoord(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}
  void Start() override;

 private:
  Task<Result<proto::Empty>> WatchChannels(proto::WatchChannelsRequest request);

  Env& env_;
  ClusterConfig config_;
};

}  // namespace simvus::roles
