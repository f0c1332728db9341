// Role metrics: the name of every Prometheus series a role records, in one place.
//
// Names are Milvus's own (pkg/metrics/*.go) where Milvus has the series, so that a dashboard
// built for Milvus reads simvus; a series Milvus does not have is simvus_<role>_<what>_<unit>.
// Every series has a `node` label (the Metrics port adds it); Milvus's `node_id` is that label.
// Where Milvus labels by collection, simvus labels by `channel` (a vchannel belongs to one
// collection, so the channel is the finer key). Latencies are in the Env clock's time: sim time in
// simulation (deterministic figures), wall time in real mode; histograms use Milvus's buckets.
// Gauges that show a role's state (TSO, ticks, tSafe, targets, buffers, checkpoints, segment
// states) are what the report's step-through panel shows (reports/report_schema.md).
//
// Metrics never feed back into behaviour: roles only write them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "components/env/metrics.h"
#include "components/env/time.h"
#include "components/protocol/simvus.pb.h"

namespace simvus::roles::metrics {

// ---------------------------------------------------------------------------------- labels
inline constexpr char kChannel[] = "channel";             // a pchannel or vchannel name
inline constexpr char kSegmentState[] = "segment_state";  // Growing, Sealed, Flushing, ...
inline constexpr char kSegmentLevel[] = "segment_level";  // L0, L1, Legacy
inline constexpr char kSegmentId[] = "segment_id";
inline constexpr char kMsgType[] = "msg_type";        // insert, delete, upsert
inline constexpr char kQueryType[] = "query_type";    // search, query
inline constexpr char kStatus[] = "status";           // success, fail
inline constexpr char kFunction[] = "function_name";  // the RPC
inline constexpr char kScope[] = "scope";             // OnLeader (delegator), FromLeader

// ---------------------------------------------------------------------------------- rootcoord
// Gauge: the physical part (ms) of the TSO now. Milvus: milvus_rootcoord_timestamp holds the whole
// hybrid ts, which a float64 cannot hold exactly; the physical ms it can.
inline constexpr std::string_view kRootCoordTsoPhysicalMs = "simvus_rootcoord_tso_physical_ms";
// Gauge: the TSO window saved in the MetaStore (ms); no ts above it is issued before it is saved.
// Milvus: milvus_rootcoord_timestamp_saved (there in unix seconds).
inline constexpr std::string_view kRootCoordTsoSavedWindowMs =
    "simvus_rootcoord_tso_saved_window_ms";
// Gauge{channel}: now minus the last time tick appended to the pchannel, ms. Milvus's name.
inline constexpr std::string_view kRootCoordProduceTtLagMs = "milvus_rootcoord_produce_tt_lag_ms";
// Counter{function_name, status}: DDL requests. Milvus's name.
inline constexpr std::string_view kRootCoordDdlReqCount = "milvus_rootcoord_ddl_req_count";

// ---------------------------------------------------------------------------------- proxy
// Counter: rows inserted successfully (acknowledged). Milvus's name.
inline constexpr std::string_view kProxyInsertVectorsCount = "milvus_proxy_insert_vectors_count";
// Counter: rows upserted successfully. Milvus's name.
inline constexpr std::string_view kProxyUpsertVectorsCount = "milvus_proxy_upsert_vectors_count";
// Counter: pks deleted successfully. Milvus's name.
inline constexpr std::string_view kProxyDeleteVectorsCount = "milvus_proxy_delete_vectors_count";
// Counter: query vectors (nq) searched successfully. Milvus's name.
inline constexpr std::string_view kProxySearchVectorsCount = "milvus_proxy_search_vectors_count";
// Histogram{msg_type} (ms): latency of a successful insert / upsert / delete. Milvus's name.
inline constexpr std::string_view kProxyMutationLatency = "milvus_proxy_mutation_latency";
// Histogram{query_type} (ms): latency of a successful search / query. Milvus's name.
inline constexpr std::string_view kProxySqLatency = "milvus_proxy_sq_latency";
// Counter{function_name, status}: every DML and read request, success or fail. Milvus's name.
inline constexpr std::string_view kProxyReqCount = "milvus_proxy_req_count";
// Gauge{channel}: physical ms of the time tick the proxy last reported for the pchannel (min of
// its in-flight DML ts - 1, or a fresh TSO ts when idle). simvus-only.
inline constexpr std::string_view kProxyTimeTickMs = "simvus_proxy_time_tick_ms";
// Gauge{channel}: now minus that tick, ms. Milvus: milvus_proxy_tt_lag_ms.
inline constexpr std::string_view kProxyTtLagMs = "milvus_proxy_tt_lag_ms";

// ---------------------------------------------------------------------------------- querynode
// Gauge{channel}: physical ms of the delegator's tSafe on its vchannel. simvus-only.
inline constexpr std::string_view kQueryNodeTsafeMs = "simvus_querynode_tsafe_ms";
// Gauge{channel}: now minus tSafe at each consumed time tick, ms. Milvus's name.
inline constexpr std::string_view kQueryNodeConsumeTtLagMs = "milvus_querynode_consume_tt_lag_ms";
// Gauge{channel}: the target version the delegator serves (0: not serviceable). simvus-only.
inline constexpr std::string_view kQueryNodeTargetVersion = "simvus_querynode_target_version";
// Gauge{channel, segment_state}: segments on this node: Growing (the delegator's) and Sealed (the
// worker's, loaded from the object store). Milvus: milvus_querynode_segment_num.
inline constexpr std::string_view kQueryNodeSegmentNum = "milvus_querynode_segment_num";
// Histogram{query_type, scope} (ms): a shard read on a delegator (OnLeader) or a worker's sealed
// part (FromLeader), successful. Milvus's name.
inline constexpr std::string_view kQueryNodeSqReqLatency = "milvus_querynode_sq_req_latency";
// Counter{query_type, status, scope}: shard reads. Milvus's name.
inline constexpr std::string_view kQueryNodeSqReqCount = "milvus_querynode_sq_req_count";
// Histogram{query_type} (ms): how long a read waited for tSafe >= its guarantee. Milvus's name.
inline constexpr std::string_view kQueryNodeSqWaitTsafeLatency =
    "milvus_querynode_sq_wait_tsafe_latency";
// Histogram (ms, long-task buckets): loading one sealed segment on a worker. Milvus's name.
inline constexpr std::string_view kQueryNodeLoadSegmentLatency =
    "milvus_querynode_load_segment_latency";

// ---------------------------------------------------------------------------------- datanode
// Gauge{channel}: insert rows buffered in memory for the vchannel, not yet flushed. simvus-only.
inline constexpr std::string_view kDataNodeBufferRows = "simvus_datanode_buffer_rows";
// Gauge{channel}: bytes buffered (estimated row bytes, 16 per delete). Milvus:
// milvus_datanode_fg_buffer_size (there per collection).
inline constexpr std::string_view kDataNodeFgBufferSize = "milvus_datanode_fg_buffer_size";
// Gauge{channel}: physical ms of the channel checkpoint DataCoord last accepted. simvus-only.
inline constexpr std::string_view kDataNodeCheckpointMs = "simvus_datanode_checkpoint_ms";
// Gauge{channel}: now minus the last consumed time tick, ms. Milvus's name.
inline constexpr std::string_view kDataNodeConsumeTtLagMs = "milvus_datanode_consume_tt_lag_ms";
// Histogram{msg_type} (ms, Milvus's buckets 0..10000): writing a sync's binlogs (insert) or
// deltalog (delete) to the object store. Milvus's name.
inline constexpr std::string_view kDataNodeSaveLatency = "milvus_datanode_save_latency";
// Counter{status, segment_level}: syncs (flushes) of a buffer, L1 segments and L0 deletes.
// Milvus's name.
inline constexpr std::string_view kDataNodeFlushBufferOpCount =
    "milvus_datanode_flush_buffer_op_count";
// Counter: rows flushed to the object store. Milvus's name.
inline constexpr std::string_view kDataNodeFlushedDataRows = "milvus_datanode_flushed_data_rows";
// Histogram{segment_level} (ms): a whole sync, from the claim (or the L0 id) to SaveBinlogPaths
// acknowledged — the flush latency. simvus-only (Milvus times its parts).
inline constexpr std::string_view kDataNodeSyncLatencyMs = "simvus_datanode_sync_latency_ms";

// ---------------------------------------------------------------------------------- datacoord
// Gauge{segment_state, segment_level}: segments DataCoord knows, by state. Milvus's name.
inline constexpr std::string_view kDataCoordSegmentNum = "milvus_datacoord_segment_num";
// Gauge{segment_id, segment_state}: the state-set of each segment (1 for its state, 0 for the
// others), until GC removes the segment. simvus-only.
inline constexpr std::string_view kDataCoordSegmentState = "simvus_datacoord_segment_state";
// Gauge{channel}: each vchannel's checkpoint ts, unix seconds. Milvus's name.
inline constexpr std::string_view kDataCoordChannelCheckpointUnixSeconds =
    "milvus_datacoord_channel_checkpoint_unix_seconds";

// ---------------------------------------------------------------------------------- querycoord
// Gauge: collections loaded. Milvus's name.
inline constexpr std::string_view kQueryCoordCollectionNum = "milvus_querycoord_collection_num";
// Gauge: query nodes with a live session. Milvus's name.
inline constexpr std::string_view kQueryCoordQueryNodeNum = "milvus_querycoord_querynode_num";
// Gauge{collection}: the current target's version. simvus-only.
inline constexpr std::string_view kQueryCoordCurrentTargetVersion =
    "simvus_querycoord_current_target_version";

// ------------------------------------------------------------------------- indexcoord, indexnode
// Counter{status}: CreateIndex requests. Milvus: milvus_datacoord_index_req_count.
inline constexpr std::string_view kIndexCoordIndexReqCount = "milvus_datacoord_index_req_count";
// Counter{status}: build tasks an index node finished (success / fail). Milvus's name.
inline constexpr std::string_view kIndexNodeIndexTaskCount = "milvus_indexnode_index_task_count";
// Histogram (seconds, Milvus's index buckets): building one segment's index. Milvus's name.
inline constexpr std::string_view kIndexNodeBuildIndexLatency =
    "milvus_indexnode_build_index_latency";

// ---------------------------------------------------------------------------------- helpers
inline constexpr char kSuccess[] = "success";
inline constexpr char kFail[] = "fail";

// The physical part of a hybrid timestamp, in ms, as a gauge value (exact in a double).
inline double PhysicalMs(uint64_t ts) { return static_cast<double>(Timestamp{ts}.physical_ms()); }
// now - the ts's physical part, ms (0 when the ts is ahead of this clock).
inline double LagMs(Instant now, uint64_t ts) {
  const int64_t lag = now.unix_ms() - Timestamp{ts}.physical_ms();
  return lag > 0 ? static_cast<double>(lag) : 0.0;
}
// end - start in ms (0 if a clock jump made it negative).
inline double ElapsedMs(Instant start, Instant end) {
  const double ms = static_cast<double>((end - start).ns) / 1e6;
  return ms > 0 ? ms : 0.0;
}
// Milvus's label for a segment state (commonpb.SegmentState names): Growing, Sealed, ...
std::string SegmentStateLabel(proto::SegmentState state);
std::string SegmentLevelLabel(proto::SegmentLevel level);
// Milvus's bucket sets for the data node's save latency (ms) and index builds (seconds).
const Metrics::Buckets& SaveLatencyBucketsMs();
const Metrics::Buckets& IndexBucketsSeconds();

}  // namespace simvus::roles::metrics
