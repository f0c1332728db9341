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
// pass through to DataCoord; LoadCollection, ReleaseCollection and GetLoadingProgress to
// QueryCoord. Read path (§3, §7, §9; proxy_read.cc): validate (dim, topk + offset, filter syntax
// and fields, output fields, search params), G = TSO-now for Strong, proxy clock - gracefulTime
// for Bounded, 1 for Eventually, the client's value for Session / Customized; each shard goes to
// one of its delegators (shard-leader cache from QueryCoord, replicas round robin, retried on
// another replica or a refreshed leader); each shard answers at its own MVCC ts; the proxy
// reduces (one hit per pk, best first; query: newest version per pk) and applies offset.
#pragma once

#include <functional>
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
  Task<void> TimeTickLoop();
  Task<Result<Timestamp>> AllocTimestamp();
  Task<Result<proto::CollectionInfo>> GetCollection(const std::string& name);
  Task<Result<proto::MutationResult>> Insert(proto::InsertRequest request);
  // Upsert (semantics §12.6): per shard a delete of the rows' pks and an insert of the rows, both
  // at one TSO ts; a delete at ts t hides only versions inserted before t, so the new rows stay.
  Task<Result<proto::MutationResult>> Upsert(proto::InsertRequest request);
  Task<Result<proto::MutationResult>> Write(proto::InsertRequest request, bool upsert);
  Task<Result<proto::MutationResult>> Delete(proto::DeleteRequest request);
  // Metrics (role_metrics.h) of a finished request, and of the time ticks just reported.
  void RecordMutation(const std::string& msg_type, Instant start,
                      const Result<proto::MutationResult>& result);
  // nq: the query vectors of a search request.
  void RecordRead(const std::string& query_type, Instant start, bool ok, int64_t nq = 1);
  void RecordTimeTicks(const proto::ChannelTimeTickReport& report);
  // The read path (proxy_read.cc).
  Task<Result<proto::SearchResults>> Search(proto::SearchRequest request);
  Task<Result<proto::QueryResults>> Query(proto::QueryRequest request);
  // The guarantee ts G of a read at `level` (semantics §3); `given` is the client's value.
  Task<Result<Timestamp>> GuaranteeTs(proto::ConsistencyLevel level, uint64_t given,
                                      const std::string& what);
  // Shard leaders from QueryCoord, cached for shard_leader_cache_ttl (`refresh` drops the cache).
  Task<Result<proto::GetShardLeadersResponse>> ShardLeaders(const std::string& collection,
                                                            bool refresh);
  // Sends `call(node)` to a delegator of shard `shard`; on a retriable failure tries the next
  // replica, then a refreshed leader list, until read_retry_budget is spent.
  template <typename Resp>
  Task<Result<Resp>> CallShard(const std::string& collection, int32_t shard,
                               std::function<Task<Result<Resp>>(std::string node)> call);
  Task<Result<proto::ShardQueryResponse>> QueryShard(const std::string& collection, int32_t shard,
                                                     proto::ShardQueryRequest request);
  // Output fields of the final hits: each shard is asked for its hits' pks at the MVCC ts it
  // answered the search at (Milvus's requery).
  Task<Status> FillOutputFields(const proto::CollectionInfo& info,
                                const proto::SearchRequest& request, proto::SearchResults& results);
  // Stamps and produces the messages of one DML request; `build(shard, ts)` returns that shard's
  // messages, in log order (none when the shard gets no rows).
  Task<Result<Timestamp>> ProduceDml(
      const proto::CollectionInfo& info,
      std::function<std::vector<proto::LogMessage>(int32_t shard, uint64_t ts)> build,
      const std::string& what);

  Env& env_;
  ClusterConfig config_;
  AsyncMutex stats_mutex_;
  std::map<std::string, std::multiset<uint64_t>> pending_;  // per pchannel: DML ts in flight
  std::map<std::string, proto::CollectionInfo> collections_;
  struct CachedLeaders {
    proto::GetShardLeadersResponse leaders;
    Instant fetched;
  };
  std::map<std::string, CachedLeaders> leaders_;  // by collection name
  uint64_t next_replica_ = 0;                     // round robin over replicas
};

// Checks an insert against the schema: every field present once, no unknown or duplicate field,
// each field's data of its type only (INT64, DOUBLE, BOOL, VARCHAR within max_length,
// FLOAT_VECTOR of the field's dim), equal row counts. Returns the row count.
Result<int64_t> ValidateInsert(const proto::CollectionSchema& schema,
                               const proto::InsertRequest& request);

}  // namespace simvus::roles
