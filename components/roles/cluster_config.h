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
  std::vector<std::string> query_nodes = {"querynode-1"};

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
  Duration read_wait_max = Duration::Seconds(10);  // how long a shard waits for tSafe >= G

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
  enum class InjectedBug {
    kNone,
    kStaleRead,
    kIgnoreDeletes,
    kReduceKeepsDuplicates,
    kTickIgnoresInFlight,
    kTsoIgnoresWindow,
    kDeleteHidesSameTs,
    kVisibilityOffByOne
  };
  InjectedBug injected_bug = InjectedBug::kNone;

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
inline constexpr char kWatchDmChannels[] = "DataNode.WatchDmChannels";
inline constexpr char kLoadCollectionOnNode[] = "QueryNode.LoadCollection";
inline constexpr char kShardSearch[] = "QueryNode.Search";
inline constexpr char kInsert[] = "Proxy.Insert";
inline constexpr char kDelete[] = "Proxy.Delete";
inline constexpr char kUpsert[] = "Proxy.Upsert";
inline constexpr char kSearch[] = "Proxy.Search";
inline constexpr char kProxyCreateCollection[] = "Proxy.CreateCollection";
inline constexpr char kLoadCollection[] = "Proxy.LoadCollection";

// MetaStore keys.
inline constexpr char kTsoKey[] = "by-dev/kv/gid/timestamp";
inline constexpr char kCollectionPrefix[] = "by-dev/meta/root-coord/collection/";
inline constexpr char kChannelWatchPrefix[] = "by-dev/meta/datacoord/channel-watch/";
inline constexpr char kProxySessionPrefix[] = "by-dev/session/proxy/";

}  // namespace simvus::roles
