#include "components/roles/query_node.h"

#include <algorithm>

#include "components/env/rpc.h"

namespace simvus::roles {

void ShardData::AddInsert(const proto::InsertMsg& insert) {
  const int32_t dim = insert.dim();
  for (int i = 0; i < insert.pks_size(); ++i) {
    Row row{insert.pks(i), insert.ts(), {}};
    row.vector.assign(insert.vectors().begin() + i * dim, insert.vectors().begin() + (i + 1) * dim);
    rows_.push_back(std::move(row));
  }
}

void ShardData::AddDelete(const proto::DeleteMsg& del) {
  for (int64_t pk : del.pks()) deletes_[pk].push_back(del.ts());
}

bool ShardData::Visible(const Row& row, uint64_t mvcc_ts) const {
  if (row.ts > mvcc_ts) return false;
  auto it = deletes_.find(row.pk);
  if (it == deletes_.end()) return true;
  for (uint64_t t_d : it->second) {
    if (row.ts < t_d && t_d < mvcc_ts) return false;  // strict on both sides (semantics §6)
  }
  return true;
}

std::vector<proto::Hit> ShardData::Search(const std::vector<float>& query, int32_t topk,
                                          uint64_t mvcc_ts) const {
  std::vector<std::pair<float, int64_t>> scored;
  for (const Row& row : rows_) {
    if (!Visible(row, mvcc_ts)) continue;
    float distance = 0;
    for (size_t d = 0; d < query.size(); ++d) {
      const float diff = row.vector[d] - query[d];
      distance += diff * diff;
    }
    scored.push_back({distance, row.pk});
  }
  std::sort(scored.begin(), scored.end());
  std::vector<proto::Hit> hits;
  for (const auto& [distance, pk] : scored) {
    if (hits.size() == static_cast<size_t>(topk)) break;
    // Insert never dedups pks; search keeps the best score per pk (semantics §9).
    if (std::any_of(hits.begin(), hits.end(), [pk = pk](const proto::Hit& h) { return h.pk() == pk; })) {
      continue;
    }
    proto::Hit hit;
    hit.set_pk(pk);
    hit.set_distance(distance);
    hits.push_back(hit);
  }
  return hits;
}

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
    shards_[vchannel] = std::move(shard);
    const std::string& pchannel = info.pchannels(i);
    const bool first = vchannels_of_[pchannel].empty();
    vchannels_of_[pchannel].push_back(vchannel);
    env_.Step("query.load", "loads shard " + vchannel + ": subscribes to " + pchannel +
                                " and serves reads as its delegator");
    if (first) env_.Spawn(ConsumeLoop(pchannel));
  }
  co_return proto::Empty();
}

Task<void> QueryNode::ConsumeLoop(std::string pchannel) {
  std::unique_ptr<LogConsumer> consumer;
  const TopicPartition tp{pchannel, 0};
  while (!consumer) {
    Result<std::unique_ptr<LogConsumer>> subscribed = co_await env_.log->Subscribe(tp, env_.node);
    if (subscribed.ok()) {
      consumer = std::move(*subscribed);
    } else {
      co_await env_.clock->Sleep(Duration::Millis(100));
    }
  }
  for (;;) {
    Result<std::vector<LogRecord>> batch = co_await consumer->Poll(256, Duration::Millis(500));
    if (!batch.ok()) {
      if (batch.status().code() == StatusCode::kOutOfRange) {
        env_.Step("query.dataloss", "cannot consume " + pchannel + ": " +
                                        batch.status().ToString());
        co_return;
      }
      co_await env_.clock->Sleep(Duration::Millis(100));
      continue;
    }
    for (const LogRecord& record : *batch) {
      proto::LogMessage message;
      if (!message.ParseFromString(record.payload)) continue;
      Apply(pchannel, message);
    }
  }
}

void QueryNode::Apply(const std::string& pchannel, const proto::LogMessage& message) {
  if (message.has_insert()) {
    auto it = shards_.find(message.insert().vchannel());
    if (it == shards_.end()) return;
    it->second->data.AddInsert(message.insert());
    env_.Step("query.consume", "consumes insert ts=" + ToString(Timestamp{message.insert().ts()}) +
                                   " (" + std::to_string(message.insert().pks_size()) +
                                   " row(s)) into the growing data of " + it->first,
              pchannel, env_.node);
  } else if (message.has_delete_()) {
    auto it = shards_.find(message.delete_().vchannel());
    if (it == shards_.end()) return;
    it->second->data.AddDelete(message.delete_());
    env_.Step("query.consume", "consumes delete ts=" + ToString(Timestamp{message.delete_().ts()}) +
                                   " of " + std::to_string(message.delete_().pks_size()) +
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
          env_.Step("query.tsafe", "time tick " + ToString(Timestamp{tick}) + " lifts tSafe of " +
                                       vchannel + " to >= guarantee ts " +
                                       ToString(Timestamp{it->first}) +
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

Task<Result<proto::ShardSearchResponse>> QueryNode::Search(proto::ShardSearchRequest request) {
  auto it = shards_.find(request.vchannel());
  if (it == shards_.end()) {
    co_return Unavailable("channel not available: " + request.vchannel() + " is not loaded on " +
                          env_.node);
  }
  Shard* shard = it->second.get();
  const Timestamp guarantee{request.guarantee_ts()};
  if (shard->tsafe < guarantee.value) {
    const int64_t lag_ms = guarantee.physical_ms() - Timestamp{shard->tsafe}.physical_ms();
    if (shard->tsafe != 0 && lag_ms > config_.max_timestamp_lag.millis()) {
      co_return FailedPrecondition("Timestamp lag too large: " + std::to_string(lag_ms) + " ms");
    }
    env_.Step("query.wait", "waits for tSafe >= guarantee ts " + ToString(guarantee) +
                                " on " + shard->vchannel + " (tSafe is " +
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
  std::vector<float> query(request.vector().begin(), request.vector().end());
  std::vector<proto::Hit> hits;
  const int64_t cost_ns =
      static_cast<int64_t>(shard->data.rows()) * static_cast<int64_t>(query.size()) + 20'000;
  std::function<void()> work = [&] { hits = shard->data.Search(query, request.topk(), mvcc); };
  co_await env_.compute->Run(Duration::Nanos(cost_ns), std::move(work));
  proto::ShardSearchResponse response;
  response.set_mvcc_ts(mvcc);
  for (proto::Hit& hit : hits) *response.add_hits() = hit;
  env_.Step("query.search", "searches " + shard->vchannel + " at MVCC ts " +
                                ToString(Timestamp{mvcc}) + " (guarantee " + ToString(guarantee) +
                                "): " + std::to_string(hits.size()) + " hit(s)");
  co_return response;
}

}  // namespace simvus::roles
