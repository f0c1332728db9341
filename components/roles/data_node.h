// DataNode: consumes the vchannels assigned to it and buffers their inserts and deletes in
// memory, tracking the last time tick consumed (what it would report to DataCoord).
// On start it reads its assignments from the MetaStore and resumes watching them.
// Simplification: sync to object storage (binlogs, statslogs, deltalogs), checkpoints and flush
// arrive with the flush issue; a crash here loses only the buffer, which the log still holds.
#pragma once

#include <map>
#include <set>
#include <string>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

class DataNode : public Service {
 public:
  DataNode(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}
  void Start() override;

 private:
  struct Buffer {
    int64_t insert_rows = 0;
    int64_t delete_pks = 0;
    uint64_t consumed_tick = 0;
  };
  Task<void> Recover();
  Task<Result<proto::Empty>> Watch(proto::WatchChannelsRequest request);
  void WatchOne(const std::string& vchannel, const std::string& pchannel);
  void Apply(const std::string& pchannel, const proto::LogMessage& message);

  Env& env_;
  ClusterConfig config_;
  std::map<std::string, Buffer> buffers_;                      // by vchannel
  std::map<std::string, std::set<std::string>> vchannels_of_;  // pchannel -> vchannels
};

}  // namespace simvus::roles
