// ClusterConfig: the names of a cluster's nodes and the Milvus knobs the roles read.
// Defaults follow reference/milvus-semantics.md §11b; where the slice deviates, it says so.
#pragma once

#include <string>
#include <vector>

#include "components/env/time.h"

namespace simvus::roles {

struct ClusterConfig {
  std::string root_coord = "rootcoord";
  std::string data_coord = "datacoord";
  std::vector<std::string> proxies = {"proxy-1"};
  std::vector<std::string> data_nodes = {"datanode-1"};
  std::string query_coord = "querycoord";
  std::vector<std::string> query_nodes = {"querynode-1"};
  std::string index_coord = "indexcoord";
  std::vector<std::string> index_nodes = {"indexnode-1", "indexnode-2"};

  // Milvus creates rootCoord.dmlChannelNum = 16 pchannels; small clusters here use fewer so that
  // narrated runs stay readable. Names follow Milvus: "<prefix>-rootcoord-dml_<i>".
  int32_t dml_channel_num = 2;
  std::string cluster_prefix = "by-dev";

  Duration tso_update_step = Duration::Millis(50);        // tso.UpdateTimestampStep
  Duration tso_save_window = Duration::Seconds(3);        // tso saveInterval
  Duration time_tick_interval = Duration::Millis(200);    // proxy.timeTickInterval
  Duration session_ttl = Duration::Seconds(30);           // common.session.ttl
  Duration graceful_time = Duration::Seconds(5);          // common.gracefulTime (Bounded)
  Duration max_timestamp_lag = Duration::Seconds(86400);  // queryNode.scheduler.maxTimestampLag
  Duration rpc_deadline = Duration::Seconds(5);
  // The proxy cuts a write into InsertMsgs of at most this many bytes of rows per shard, so that
  // none exceeds what the log accepts (Kafka's default message.max.bytes is 1 MB). Milvus cuts
  // alike by pulsar.maxMessageSize (5 MiB).
  int64_t dml_max_message_bytes = int64_t{512} << 10;
  Duration read_wait_max = Duration::Seconds(10);  // how long a shard waits for tSafe >= G

  // Segments (semantics §5). A segment seals by capacity once its rows reach
  // segment_max_size * seal_proportion / the schema's estimated row size (no jitter).
  int64_t segment_max_size_bytes = int64_t{1024} << 20;  // dataCoord.segment.maxSize
  double seal_proportion = 0.12;                         // dataCoord.segment.sealProportion
  Duration assignment_expiration =
      Duration::Millis(2000);                            // dataCoord.segment.assignmentExpiration
  Duration segment_max_life = Duration::Seconds(86400);  // dataCoord.segment.maxLife
  Duration segment_max_idle = Duration::Seconds(600);    // dataCoord.segment.maxIdleTime
  int64_t min_size_from_idle_to_sealed = int64_t{16} << 20;  // ...segment.minSizeFromIdleToSealed
  // dataNode.channel.updateChannelCheckpointInterval is 60 s in Milvus; simvus reports every 2 s
  // so that short runs see checkpoints move (a sync also reports its checkpoint at once).
  Duration channel_checkpoint_interval = Duration::Seconds(2);
  int64_t delete_buffer_bytes = int64_t{16} << 20;  // dataNode.segment.deleteBufBytes (16 B/delete)
  Duration sync_retry_max_backoff = Duration::Seconds(5);  // data node: object-store retries
  std::string object_store_root = "files";                 // minio.rootPath
  // Compaction and GC (semantics §5, §6), run by DataCoord.
  Duration l0_compaction_interval = Duration::Seconds(10);   // compaction.levelzero.triggerInterval
  Duration mix_compaction_interval = Duration::Seconds(60);  // compaction.mix.triggerInterval
  double small_proportion = 0.5;                             // segment.smallProportion
  Duration gc_interval = Duration::Seconds(3600);            // dataCoord.gc.interval
  Duration gc_drop_tolerance = Duration::Seconds(10800);     // dataCoord.gc.dropTolerance
  // Index builds (semantics §8). IndexCoord retries a task with a new version when its index
  // node has not reported within index_task_timeout plus the build's own sim cost (Milvus
  // reassigns when the node's session is gone; a timeout also covers a stalled node). Sim time
  // charged per build: rows * dim * index_build_cost_per_value * the type's factor (FLAT 1,
  // IVF_FLAT 10, IVF_SQ8 12, IVF_PQ 30, HNSW 150): ~20 s for 100k x 128 HNSW on one core, roughly
  // what FAISS takes.
  Duration index_task_timeout = Duration::Seconds(10);
  Duration index_build_cost_per_value = Duration::Nanos(10);
  // The read path (semantics §7). QueryCoord pulls every query node's distribution and runs its
  // checkers every queryCoord.distPullInterval (500 ms); it refreshes the next target from
  // DataCoord's meta every next_target_interval (Milvus: UpdateNextTargetInterval 10 s; simvus
  // 1 s so that short runs hand off) and balances every balance_interval (Milvus 60 s). A node is
  // gone when its session is (common.session.ttl). The proxy caches shard leaders for
  // shard_leader_cache_ttl (proxy.shardLeaderCacheInterval) and retries a read on another replica
  // or a refreshed leader until read_retry_budget is spent.
  Duration dist_pull_interval = Duration::Millis(500);
  Duration next_target_interval = Duration::Seconds(1);
  Duration balance_interval = Duration::Seconds(2);
  Duration shard_leader_cache_ttl = Duration::Seconds(3);
  Duration read_retry_budget = Duration::Seconds(20);
  // Sim cost of loading a sealed segment on a worker, per row (reading binlogs, building the
  // in-memory columns), on top of the object-store reads themselves.
  Duration segment_load_cost_per_row = Duration::Nanos(200);

  // Deliberate bugs, off by default, to prove that the checkers catch what they claim to
  // (`simvus run timeline --seed 1 --inject-bug stale-read` must FAIL). Never on in a real cluster.
  // Deliberate bugs that prove the checker and the swarm catch them; kNone in every normal run.
  //   kStaleRead              the query node answers at its tSafe without waiting for G;
  //   kIgnoreDeletes          the query node drops every delete;
  //   kReduceKeepsDuplicates  the query node's and the proxy's reduce keep every copy of a pk;
  //   kTickIgnoresInFlight    the proxy's time tick report ignores DML still in flight;
  //   kTsoIgnoresWindow       a restarted TSO starts at its clock, below its saved window;
  //   kDeleteHidesSameTs      the query node's deletes also hide rows inserted at their own ts
  //                           (an upsert then hides its own new row);
  //   kVisibilityOffByOne     the query node reads one tick below the MVCC ts it reports, so a
  //                           row inserted at exactly M is invisible.
  //   kCheckpointSkipsBuffer  the data node reports its last consumed tick as the channel
  //                           checkpoint even with rows still unsynced in its buffer;
  //   kReplayReappliesDeletes a data node replaying its channel buffers deletes that an L0
  //                           segment already holds;
  //   kSealedToFlushed        DataCoord lets a sealed segment be synced without the Flushing
  //                           claim (Sealed -> Flushed);
  //   kStaleIndexResult       IndexCoord registers an index build's result from an older task
  //                           version (a build that was retried elsewhere);
  //   kL0IgnoresCheckpoint    L0 compaction applies an L0 segment's deletes to the segments
  //                           flushed so far and drops it, without waiting until every older
  //                           row of the channel is flushed (Milvus #45339);
  //   kGcByLogId              GC of an L0 segment deletes every deltalog carrying its log id,
  //                           including those L0 compaction wrote into live segments;
  //   kCheckpointUnguarded    DataCoord stores whatever checkpoint arrives last, so a late
  //                           report (an older sync's) moves it backward.
  //   kSkipDeleteForwarding   a delegator applies deletes to its growing data only, never
  //                           forwarding them to the workers holding sealed segments;
  //   kServeGrowingAndSealed  a delegator keeps serving a handed-off segment's growing copy after
  //                           its sealed copy became readable (each row counted twice);
  //   kIgnoreSessionTs        the proxy ignores a Session read's guarantee ts (reads as
  //                           Eventually), so a client may not see its own writes.
  //   kOneWaySplitBlocksBoth  the simulated network's one-way split blocks both directions (a
  //                           bug in the fault layer itself, caught by the nemesis's model).
  //   kBatchAnswersQuery0     a search of several query vectors (nq > 1) answers every one of
  //                           them with the first one's hits (query offsets mixed up).
  enum class InjectedBug {
    kNone,
    kStaleRead,
    kIgnoreDeletes,
    kReduceKeepsDuplicates,
    kTickIgnoresInFlight,
    kTsoIgnoresWindow,
    kDeleteHidesSameTs,
    kVisibilityOffByOne,
    kCheckpointSkipsBuffer,
    kReplayReappliesDeletes,
    kSealedToFlushed,
    kStaleIndexResult,
    kL0IgnoresCheckpoint,
    kGcByLogId,
    kCheckpointUnguarded,
    kSkipDeleteForwarding,
    kServeGrowingAndSealed,
    kIgnoreSessionTs,
    kOneWaySplitBlocksBoth,
    kBatchAnswersQuery0
  };
  InjectedBug injected_bug = InjectedBug::kNone;
  // A planted slowdown for the benchmark gate's self-test (`simvus bench search` under
  // SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN): a worker's search costs this many thousandths more in
  // the cost model (50 = 5% slower). 0 in every normal run; not a Milvus parameter.
  int64_t search_cost_extra_permille = 0;

  std::string PChannel(int32_t i) const {
    return cluster_prefix + "-rootcoord-dml_" + std::to_string(i);
  }
};

// RPC method names.
inline constexpr char kAllocTimestamp[] = "RootCoord.AllocTimestamp";
inline constexpr char kCreateCollection[] = "RootCoord.CreateCollection";
inline constexpr char kDescribeCollection[] = "RootCoord.DescribeCollection";
inline constexpr char kUpdateChannelTimeTick[] = "RootCoord.UpdateChannelTimeTick";
inline constexpr char kWatchChannels[] = "DataCoord.WatchChannels";
inline constexpr char kAssignSegmentId[] = "DataCoord.AssignSegmentID";
inline constexpr char kAllocId[] = "DataCoord.AllocID";
inline constexpr char kDataCoordFlush[] = "DataCoord.Flush";
inline constexpr char kGetFlushState[] = "DataCoord.GetFlushState";
inline constexpr char kSegmentFlushing[] = "DataCoord.SegmentFlushing";
inline constexpr char kSaveBinlogPaths[] = "DataCoord.SaveBinlogPaths";
inline constexpr char kUpdateChannelCheckpoint[] = "DataCoord.UpdateChannelCheckpoint";
inline constexpr char kCreateIndex[] = "IndexCoord.CreateIndex";
inline constexpr char kDescribeIndex[] = "IndexCoord.DescribeIndex";
inline constexpr char kDropIndex[] = "IndexCoord.DropIndex";
inline constexpr char kReportBuild[] = "IndexCoord.ReportBuild";
inline constexpr char kBuildIndex[] = "IndexNode.BuildIndex";
inline constexpr char kWatchDmChannels[] = "DataNode.WatchDmChannels";
inline constexpr char kFlushSegments[] = "DataNode.FlushSegments";
inline constexpr char kQueryCoordLoadCollection[] = "QueryCoord.LoadCollection";
inline constexpr char kQueryCoordReleaseCollection[] = "QueryCoord.ReleaseCollection";
inline constexpr char kGetLoadingProgress[] = "QueryCoord.GetLoadingProgress";
inline constexpr char kGetShardLeaders[] = "QueryCoord.GetShardLeaders";
inline constexpr char kWatchDmChannel[] = "QueryNode.WatchDmChannels";
inline constexpr char kUnwatchDmChannel[] = "QueryNode.UnwatchDmChannel";
inline constexpr char kLoadSegments[] = "QueryNode.LoadSegments";
inline constexpr char kReleaseSegments[] = "QueryNode.ReleaseSegments";
inline constexpr char kSyncTarget[] = "QueryNode.SyncDistribution";
inline constexpr char kReleaseCollectionOnNode[] = "QueryNode.ReleaseCollection";
inline constexpr char kGetDataDistribution[] = "QueryNode.GetDataDistribution";
inline constexpr char kShardSearch[] = "QueryNode.Search";
inline constexpr char kShardQuery[] = "QueryNode.Query";
inline constexpr char kWorkerLoadSegments[] = "QueryNode.WorkerLoadSegments";
inline constexpr char kWorkerReleaseSegments[] = "QueryNode.WorkerReleaseSegments";
inline constexpr char kWorkerDelete[] = "QueryNode.Delete";
inline constexpr char kWorkerSearch[] = "QueryNode.SearchSegments";
inline constexpr char kWorkerQuery[] = "QueryNode.QuerySegments";
inline constexpr char kInsert[] = "Proxy.Insert";
inline constexpr char kDelete[] = "Proxy.Delete";
inline constexpr char kUpsert[] = "Proxy.Upsert";
inline constexpr char kSearch[] = "Proxy.Search";
inline constexpr char kProxyCreateCollection[] = "Proxy.CreateCollection";
inline constexpr char kLoadCollection[] = "Proxy.LoadCollection";
inline constexpr char kFlush[] = "Proxy.Flush";
inline constexpr char kProxyCreateIndex[] = "Proxy.CreateIndex";
inline constexpr char kProxyDescribeIndex[] = "Proxy.DescribeIndex";
inline constexpr char kProxyDropIndex[] = "Proxy.DropIndex";
inline constexpr char kProxyGetFlushState[] = "Proxy.GetFlushState";
inline constexpr char kQuery[] = "Proxy.Query";
inline constexpr char kReleaseCollection[] = "Proxy.ReleaseCollection";
inline constexpr char kProxyGetLoadingProgress[] = "Proxy.GetLoadingProgress";

// MetaStore keys.
inline constexpr char kTsoKey[] = "by-dev/kv/gid/timestamp";
inline constexpr char kCollectionPrefix[] = "by-dev/meta/root-coord/collection/";
inline constexpr char kChannelWatchPrefix[] = "by-dev/meta/datacoord/channel-watch/";
inline constexpr char kSegmentPrefix[] = "by-dev/meta/datacoord/segment/";  // <collection>/<id>
inline constexpr char kChannelCheckpointPrefix[] = "by-dev/meta/datacoord/channel-cp/";
inline constexpr char kIndexPrefix[] = "by-dev/meta/datacoord/index/";  // <collection>
inline constexpr char kSegmentIndexPrefix[] = "by-dev/meta/datacoord/segment-index/";
inline constexpr char kSegmentIdKey[] = "by-dev/meta/datacoord/segment-id";
inline constexpr char kProxySessionPrefix[] = "by-dev/session/proxy/";
inline constexpr char kQueryNodeSessionPrefix[] = "by-dev/session/querynode/";
inline constexpr char kCollectionLoadPrefix[] = "by-dev/meta/querycoord/collection/";

}  // namespace simvus::roles
