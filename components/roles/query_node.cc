#include "components/roles/query_node.h"

#include <algorithm>
#include <variant>

#include "components/env/rpc.h"
#include "components/roles/channel_consumer.h"
#include "components/roles/row_conversion.h"
#include "components/segment/reduce.h"

namespace simvus::roles {

QueryNode::QueryNode(Env& env, ClusterConfig config) : env_(env), config_(std::move(config)) {}

void QueryNode::Start() {
  RegisterProto<proto::WatchChannelsRequest, proto::Empty>(
      *env_.transport, kLoadCollectionOnNode,
      [this](std::string, proto::WatchChannelsRequest r) { return Load(std::move(r)); });
  RegisterProto<proto::ShardSearchRequest, proto::ShardSearchResponse>(
      *env_.transport, kShardSearch,
      [this](std::string, proto::ShardSearchRequest r) { return Search(std::move(r)); });
}

Task<Result<proto::Empty>> QueryNode::Load(proto::WatchChannelsRequest request) {
  const proto::CollectionInfo& info = request.collection();
  for (int i = 0; i < info.vchannels_size(); ++i) {
    const std::string& vchannel = info.vchannels(i);
    if (shards_.count(vchannel)) continue;
    auto shard = std::make_unique<Shard>();
    shard->vchannel = vchannel;
    shard->collection_id = info.id();
    Result<std::unique_ptr<segment::Segment>> growing = segment::Segment::Create(
        segment::SegmentId{info.id() * 16 + i}, SegmentSchemaOf(info.schema()));
    if (!growing.ok()) co_return growing.status();
    shard->growing = std::move(*growing);
    shards_[vchannel] = std::move(shard);
    const std::string& pchannel = info.pchannels(i);
    const bool first = vchannels_of_[pchannel].empty();
    vchannels_of_[pchannel].push_back(vchannel);
    env_.Step("query.load", "loads shard " + vchannel + ": subscribes to " + pchannel +
                                " and serves reads as its delegator");
    if (first) {
      env_.Spawn(ConsumePChannel(
          env_, pchannel, [this, pchannel](const proto::LogMessage& m) { Apply(pchannel, m); }));
    }
  }
  co_return proto::Empty();
}

void QueryNode::Apply(const std::string& pchannel, const proto::LogMessage& message) {
  if (message.has_insert()) {
    auto it = shards_.find(message.insert().vchannel());
    if (it == shards_.end()) return;
    if (!ApplyInsert(*it->second, message.insert())) return;
    env_.Step("query.consume",
              "consumes insert ts=" + ToString(Timestamp{message.insert().ts()}) + " (" +
                  std::to_string(message.insert().num_rows()) +
                  " row(s)) into the growing data of " + it->first,
              pchannel, env_.node);
  } else if (message.has_delete_()) {
    auto it = shards_.find(message.delete_().vchannel());
    if (it == shards_.end()) return;
    ApplyDelete(*it->second, message.delete_());
    env_.Step("query.consume",
              "consumes delete ts=" + ToString(Timestamp{message.delete_().ts()}) + " of " +
                  std::to_string(message.delete_().pks_size()) +
                  " pk(s) into the delete buffer of " + it->first,
              pchannel, env_.node);
  } else if (message.has_time_tick()) {
    const uint64_t tick = message.time_tick().ts();
    for (const std::string& vchannel : vchannels_of_[pchannel]) {
      Shard& shard = *shards_[vchannel];
      if (tick <= shard.tsafe) continue;
      shard.tsafe = tick;
      env_.Detail("query.tsafe", vchannel + " tSafe -> " + ToString(Timestamp{tick}));
      auto& waiters = shard.waiters;
      for (auto it = waiters.begin(); it != waiters.end();) {
        if (it->first <= tick) {
          env_.Step("query.tsafe",
                    "time tick " + ToString(Timestamp{tick}) + " lifts tSafe of " + vchannel +
                        " to >= guarantee ts " + ToString(Timestamp{it->first}) +
                        ": no earlier write can still arrive, the search may run",
                    pchannel, env_.node);
          it->second.Set(true);
          it = waiters.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
}

bool QueryNode::ApplyInsert(Shard& shard, const proto::InsertMsg& insert) {
  Result<segment::InsertBatch> batch = InsertBatchOf(shard.growing->schema(), insert);
  if (!batch.ok()) {
    // A message the proxy would never produce (a bug, a damaged log): told, never applied.
    env_.Step("query.reject", "rejects an insert on " + shard.vchannel + " that does not fit the " +
                                  "schema: " + batch.status().ToString());
    return false;
  }
  Status status = shard.growing->Insert(*batch);
  SIMVUS_CHECK(status.ok(),
               "InsertBatchOf returned a batch the segment rejects: " + status.ToString());
  const auto pk_column = static_cast<size_t>(shard.growing->schema().primary_key_index());
  for (int64_t pk : batch->columns[pk_column].int64s) {
    if (!shard.pks.insert(pk).second) ++shard.duplicate_rows;
  }
  return true;
}

void QueryNode::ApplyDelete(Shard& shard, const proto::DeleteMsg& del) {
  if (config_.injected_bug == ClusterConfig::InjectedBug::kIgnoreDeletes) return;
  std::vector<segment::PrimaryKey> pks(del.pks().begin(), del.pks().end());
  // Injected bug "delete-hides-same-ts": the delete counts as one tick later, so it also hides a
  // row inserted at its own ts (an upsert's new version).
  const uint64_t t_d = config_.injected_bug == ClusterConfig::InjectedBug::kDeleteHidesSameTs
                           ? del.ts() + 1
                           : del.ts();
  std::vector<Timestamp> tss(pks.size(), Timestamp{t_d});
  Status status = shard.growing->Delete(pks, tss);
  SIMVUS_CHECK(status.ok(), "delete of validated pks: " + status.ToString());
}

Task<Result<proto::ShardSearchResponse>> QueryNode::Search(proto::ShardSearchRequest request) {
  auto it = shards_.find(request.vchannel());
  if (it == shards_.end()) {
    co_return Unavailable("channel not available: " + request.vchannel() + " is not loaded on " +
                          env_.node);
  }
  Shard* shard = it->second.get();
  const Timestamp guarantee{request.guarantee_ts()};
  // Injected bug "stale-read": answer at the current tSafe without waiting for G.
  const bool wait_for_tsafe = config_.injected_bug != ClusterConfig::InjectedBug::kStaleRead;
  if (wait_for_tsafe && shard->tsafe < guarantee.value) {
    const int64_t lag_ms = guarantee.physical_ms() - Timestamp{shard->tsafe}.physical_ms();
    if (shard->tsafe != 0 && lag_ms > config_.max_timestamp_lag.millis()) {
      co_return FailedPrecondition("Timestamp lag too large: " + std::to_string(lag_ms) + " ms");
    }
    env_.Step("query.wait", "waits for tSafe >= guarantee ts " + ToString(guarantee) + " on " +
                                shard->vchannel + " (tSafe is " +
                                ToString(Timestamp{shard->tsafe}) + ")");
    // Woken by the time tick that lifts tSafe to G, or by the wait limit, whichever is first.
    Completion<bool> reached(env_.executor);
    shard->waiters.push_back({guarantee.value, reached});
    env_.Spawn([](Clock* clock, Duration limit, Completion<bool> done) -> Task<void> {
      co_await clock->Sleep(limit);
      done.Set(false);
    }(env_.clock, config_.read_wait_max, reached));
    const bool ok = co_await reached;
    if (!ok) {
      co_return DeadlineExceeded("tSafe of " + shard->vchannel + " did not reach " +
                                 ToString(guarantee) + " in time");
    }
    if (!shards_.count(request.vchannel())) co_return Unavailable("shard released");
  }
  const uint64_t mvcc = shard->tsafe;  // answer at M = tSafe >= G
  segment::SearchRequest search;
  search.queries.assign(request.vector().begin(), request.vector().end());
  search.nq = 1;
  search.topk = std::min<int64_t>(request.topk() + shard->duplicate_rows,
                                  std::max<int64_t>(shard->growing->num_rows(), request.topk()));
  // Injected bug "visibility-off-by-one": the segment is searched one tick below the MVCC ts the
  // response reports, so a row inserted at exactly M is invisible.
  search.mvcc_ts = Timestamp{
      config_.injected_bug == ClusterConfig::InjectedBug::kVisibilityOffByOne ? mvcc - 1 : mvcc};
  Result<segment::SearchResult> found = InvalidArgument("not searched");
  // Sim cost model: a brute-force scan touches rows x dim floats (~1 ns each) plus a fixed cost.
  const int64_t cost_ns = shard->growing->num_rows() * request.vector_size() + 20'000;
  std::function<void()> work = [&] {
    found = shard->growing->Search(search);
    // Insert never dedups pks: keep the best score per pk, as Milvus's reduce does (§9).
    // Injected bug "reduce-keeps-duplicates": every copy stays.
    const bool dedup = config_.injected_bug != ClusterConfig::InjectedBug::kReduceKeepsDuplicates;
    if (found.ok() && dedup) found = segment::ReduceSearchResults({*found}, request.topk());
  };
  co_await env_.compute->Run(Duration::Nanos(cost_ns), std::move(work));
  if (!found.ok()) co_return found.status();
  proto::ShardSearchResponse response;
  response.set_mvcc_ts(mvcc);
  for (const segment::Hit& hit : found->queries[0]) {
    proto::Hit* out = response.add_hits();
    out->set_pk(std::get<int64_t>(hit.pk));
    out->set_distance(hit.score);
  }
  const size_t hits = found->queries[0].size();
  env_.Step("query.search", "searches " + shard->vchannel + " at MVCC ts " +
                                ToString(Timestamp{mvcc}) + " (guarantee " + ToString(guarantee) +
                                "): " + std::to_string(hits) + " hit(s)");
  co_return response;
}

}  // namespace simvus::roles
