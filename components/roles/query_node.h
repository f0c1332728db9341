// QueryNode: serves reads for the shards (vchannels) it has loaded, acting as their delegator.
//
// For each loaded vchannel it consumes the pchannel from the log into a growing set of rows and
// deletes, and keeps a serviceable time tSafe = the last time tick consumed (monotone). A search
// with guarantee ts G waits until tSafe >= G (failing fast if the lag exceeds maxTimestampLag),
// then answers at MVCC ts M = tSafe with the visibility rule of semantics §6: a row is visible at
// M iff row.ts <= M and no delete of its pk has row.ts < t_d < M. Search is exact (brute force L2).
// Simplifications, each lifted by a later issue: growing data only (no sealed segments, no
// handoff), brute force instead of the interim index, no QueryCoord (the proxy assigns shards),
// consumption always starts at the log's low watermark.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "components/env/completion.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::roles {

// Rows and deletes of one shard, with the MVCC visibility rule.
class ShardData {
 public:
  struct Row {
    int64_t pk;
    uint64_t ts;
    std::vector<float> vector;
  };
  void AddInsert(const proto::InsertMsg& insert);
  void AddDelete(const proto::DeleteMsg& del);
  bool Visible(const Row& row, uint64_t mvcc_ts) const;
  // Exact top-k by L2 distance among rows visible at mvcc_ts; ties broken by pk.
  std::vector<proto::Hit> Search(const std::vector<float>& query, int32_t topk,
                                 uint64_t mvcc_ts) const;
  size_t rows() const { return rows_.size(); }

 private:
  std::vector<Row> rows_;
  std::map<int64_t, std::vector<uint64_t>> deletes_;  // pk -> delete timestamps
};

class QueryNode : public Service {
 public:
  QueryNode(Env& env, ClusterConfig config);
  void Start() override;

 private:
  struct Shard {
    std::string vchannel;
    int64_t collection_id = 0;
    ShardData data;
    uint64_t tsafe = 0;
    std::vector<std::pair<uint64_t, Completion<bool>>> waiters;  // (G, reached?)
  };
  Task<Result<proto::Empty>> Load(proto::WatchChannelsRequest request);
  Task<void> ConsumeLoop(std::string pchannel);
  void Apply(const std::string& pchannel, const proto::LogMessage& message);
  Task<Result<proto::ShardSearchResponse>> Search(proto::ShardSearchRequest request);

  Env& env_;
  ClusterConfig config_;
  std::map<std::string, std::unique_ptr<Shard>> shards_;  // by vchannel
  std::map<std::string, std::vector<std::string>> vchannels_of_;  // pchannel -> vchannels
};

}  // namespace simvus::roles
