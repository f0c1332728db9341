// RootCoord: the timestamp oracle, DDL (create / describe collection) and time-tick sync.
//
// - TSO: AllocTimestamp(count) returns the first of `count` fresh timestamps (tso_allocator.h).
// - CreateCollection validates the schema, picks pchannels (least used first), names one vchannel
//   per shard, persists CollectionInfo in the MetaStore, creates the topics, and asks DataCoord to
//   have the channels watched.
// - Time ticks (semantics §2): proxies report per pchannel the timestamp below which they will
//   produce nothing more; once every registered proxy session has reported since the last round,
//   the root coordinator appends TimeTick(min over proxies) to every pchannel. A registered proxy
//   that stops reporting stalls the ticks until its session lease expires.
// Simplification: the DDL source of Milvus's timeticksync is not modelled (DDL here is
// synchronous and creates no messages in the pchannels).
#pragma once

#include <map>
#include <set>
#include <string>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/roles/tso_allocator.h"

namespace simvus::roles {

class RootCoord : public Service {
 public:
  RootCoord(Env& env, ClusterConfig config);
  void Start() override;

  const TsoAllocator& tso() const { return tso_; }

 private:
  Task<void> InitLoop();
  Task<void> TsoLoop();
  Task<void> SessionLoop();
  Task<Result<proto::CollectionInfo>> CreateCollection(proto::CreateCollectionRequest request);
  Task<Result<proto::CollectionInfo>> DescribeCollection(std::string name);
  void OnTimeTickReport(const proto::ChannelTimeTickReport& report);
  Task<void> BroadcastTicks(std::map<std::string, uint64_t> ticks);

  Env& env_;
  ClusterConfig config_;
  TsoAllocator tso_;
  std::set<std::string> sessions_;                               // registered proxies
  std::map<std::string, proto::ChannelTimeTickReport> reports_;  // since the last round
  std::map<std::string, uint64_t> last_tick_;                    // per pchannel, non-decreasing
  std::map<std::string, int32_t> pchannel_usage_;
  bool broadcasting_ = false;
};

// Returns OK or kInvalidArgument naming the field and the problem.
Status ValidateSchema(const proto::CollectionSchema& schema);

}  // namespace simvus::roles
