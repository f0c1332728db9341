// QueryNode: serves reads for the shards (vchannels) it has loaded, acting as their delegator.
//
// For each loaded vchannel it consumes the pchannel from the log into a growing set of rows and
// deletes, and keeps a serviceable time tSafe = the last time tick consumed (monotone). A search
// with guarantee ts G waits until tSafe >= G (failing fast if the lag exceeds maxTimestampLag),
// then answers at MVCC ts M = tSafe with the visibility rule of semantics §6: a row is visible at
// M iff row.ts <= M and no delete of its pk has row.ts < t_d < M. Search is exact (brute force,
// scored by the collection's metric: L2, IP or COSINE).
// Simplifications, each lifted by a later issue: growing data only (no sealed segments, no
// handoff), brute force instead of the interim index, no QueryCoord (the proxy assigns shards),
// consumption always starts at the log's low watermark.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "components/env/completion.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/segment/segment.h"

namespace simvus::roles {

class QueryNode : public Service {
 public:
  QueryNode(Env& env, ClusterConfig config);
  void Start() override;

 private:
  struct Shard {
    std::string vchannel;
    int64_t collection_id = 0;
    std::unique_ptr<segment::Segment> growing;
    // Insert never dedups pks: rows whose pk was already in the growing data. A search widens
    // its k by this many, so that the top-k distinct pks survive the reduce (Milvus can return
    // fewer than k then; simvus stays exact).
    std::set<int64_t> pks;
    int64_t duplicate_rows = 0;
    uint64_t tsafe = 0;
    std::vector<std::pair<uint64_t, Completion<bool>>> waiters;  // (G, reached?)
  };
  Task<Result<proto::Empty>> Load(proto::WatchChannelsRequest request);
  void Apply(const std::string& pchannel, const proto::LogMessage& message);
  Task<Result<proto::ShardSearchResponse>> Search(proto::ShardSearchRequest request);
  // false (and told) when the message does not fit the schema.
  bool ApplyInsert(Shard& shard, const proto::InsertMsg& insert);
  void ApplyDelete(Shard& shard, const proto::DeleteMsg& del);

  Env& env_;
  ClusterConfig config_;
  std::map<std::string, std::unique_ptr<Shard>> shards_;          // by vchannel
  std::map<std::string, std::vector<std::string>> vchannels_of_;  // pchannel -> vchannels
};

}  // namespace simvus::roles
