// Proxy: the access layer. Validates requests, stamps DML and Strong reads with TSO timestamps,
// routes rows to shards by primary-key hash, produces to the log, and fans searches out to the
// query nodes serving each shard.
//
// Write path (semantics §4): validate -> [lock stats] allocate ts, register ts as pending on each
// target pchannel [unlock] -> one AssignSegmentID from DataCoord names each InsertMsg's segment
// -> produce one InsertMsg per shard -> unregister -> acknowledge with the ts. The acknowledgement
// comes only after every produce was appended: an acked write is in the log. A produce failure is
// returned as is (kDeadlineExceeded / kUnavailable leave the write indeterminate). Time ticks
// (semantics §2): every time_tick_interval the proxy allocates `now` from TSO, then, under the same
// stats lock, reports per pchannel min(pending) - 1, or `now` when idle. Flush and GetFlushState
// pass through to DataCoord. Read path (§3): the guarantee ts G is TSO-now for Strong, proxy clock
// - 5 s for Bounded, 1 for Eventually, the client's value for Session / Customized. Each shard
// answers at its own MVCC ts.
#pragma once

#include <map>
#include <set>
#include <string>

#include "components/env/async_mutex.h"
#include "components/env/env.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/roles/root_coord.h"

namespace simvus::roles {

class Proxy : public Service {
 public:
  Proxy(Env& env, ClusterConfig config);
  void Start() override;

 private:
  Task<void> SessionLoop();
  Task<void> TimeTickLoop();
  Task<Result<Timestamp>> AllocTimestamp();
  Task<Result<proto::CollectionInfo>> GetCollection(const std::string& name);
  Task<Result<proto::MutationResult>> Insert(proto::InsertRequest request);
  // Upsert (semantics §12.6): per shard a delete of the rows' pks and an insert of the rows, both
  // at one TSO ts; a delete at ts t hides only versions inserted before t, so the new rows stay.
  Task<Result<proto::MutationResult>> Upsert(proto::InsertRequest request);
  Task<Result<proto::MutationResult>> Write(proto::InsertRequest request, bool upsert);
  Task<Result<proto::MutationResult>> Delete(proto::DeleteRequest request);
  Task<Result<proto::SearchResults>> Search(proto::SearchRequest request);
  Task<Result<proto::Empty>> LoadCollection(proto::LoadCollectionRequest request);
  // Stamps and produces the messages of one DML request; `build(shard, ts)` returns that shard's
  // messages, in log order (none when the shard gets no rows).
  Task<Result<Timestamp>> ProduceDml(
      const proto::CollectionInfo& info,
      std::function<std::vector<proto::LogMessage>(int32_t shard, uint64_t ts)> build,
      const std::string& what);
  std::string QueryNodeForShard(int32_t shard) const;

  Env& env_;
  ClusterConfig config_;
  AsyncMutex stats_mutex_;
  std::map<std::string, std::multiset<uint64_t>> pending_;  // per pchannel: DML ts in flight
  std::map<std::string, proto::CollectionInfo> collections_;
};

// Checks an insert against the schema: every field present once, no unknown or duplicate field,
// each field's data of its type only (INT64, DOUBLE, BOOL, VARCHAR within max_length,
// FLOAT_VECTOR of the field's dim), equal row counts. Returns the row count.
Result<int64_t> ValidateInsert(const proto::CollectionSchema& schema,
                               const proto::InsertRequest& request);

}  // namespace simvus::roles
