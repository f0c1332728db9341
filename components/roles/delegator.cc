#include "components/roles/delegator.h"

#include <algorithm>
#include <variant>

#include "components/env/rpc.h"
#include "components/env/when_all.h"
#include "components/roles/channel_consumer.h"
#include "components/roles/role_metrics.h"
#include "components/roles/routing.h"
#include "components/roles/row_conversion.h"
#include "components/segment/reduce.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

Delegator::Delegator(Env& env, const ClusterConfig& config, proto::WatchDmChannelRequest watch)
    : env_(env),
      config_(config),
      watch_(std::move(watch)),
      vchannel_(watch_.collection().vchannels(watch_.shard())),
      pchannel_(watch_.collection().pchannels(watch_.shard())),
      schema_(SegmentSchemaOf(watch_.collection().schema())),
      mutex_(env.executor) {
  excluded_.insert(watch_.excluded_segments().begin(), watch_.excluded_segments().end());
}

void Delegator::Start() {
  std::shared_ptr<Delegator> self = shared_from_this();
  env_.Step("query.watch", "becomes the delegator of " + vchannel_ + " (replica " +
                               std::to_string(replica_id()) + "): subscribes to " + pchannel_ +
                               ", skipping the inserts of " + std::to_string(excluded_.size()) +
                               " segment(s) already sealed");
  env_.Spawn(ConsumePChannelAsync(env_, pchannel_, stop_, [self](const proto::LogMessage& message) {
    return self->Process(message);
  }));
}

void Delegator::Stop() {
  *stop_ = true;
  env_.metrics->Set(metrics::kQueryNodeSegmentNum, 0,
                    {{metrics::kChannel, vchannel_}, {metrics::kSegmentState, "Growing"}});
  for (auto& [g, done] : waiters_) done.Set(false);
  waiters_.clear();
}

proto::LeaderView Delegator::View() const {
  proto::LeaderView view;
  view.set_collection_id(collection_id());
  view.set_vchannel(vchannel_);
  view.set_replica_id(replica_id());
  view.set_serviceable(target_version_ > 0);
  view.set_tsafe(tsafe_);
  view.set_target_version(target_version_);
  for (const auto& [id, s] : sealed_) {
    if (s.offline) continue;
    proto::AttachedSegment* attached = view.add_sealed();
    attached->set_segment_id(id);
    attached->set_worker(s.worker);
  }
  for (const auto& [id, g] : growing_) view.add_growing(id);
  return view;
}

Task<void> Delegator::Process(proto::LogMessage message) {
  std::shared_ptr<Delegator> self = shared_from_this();
  co_await mutex_.Lock();
  if (message.has_insert() && message.insert().vchannel() == vchannel_) {
    ApplyInsert(message.insert());
  } else if (message.has_delete_() && message.delete_().vchannel() == vchannel_) {
    co_await ApplyDelete(message.delete_());
  } else if (message.has_time_tick()) {
    AdvanceTsafe(message.time_tick().ts());
  }
  mutex_.Unlock();
}

void Delegator::ApplyInsert(const proto::InsertMsg& insert) {
  const int64_t id = insert.segment_id();
  if (excluded_.count(id)) return;  // its rows are served by the sealed segment
  Result<segment::InsertBatch> batch = InsertBatchOf(schema_, insert);
  if (!batch.ok()) {
    env_.Step("query.reject", "rejects an insert on " + vchannel_ +
                                  " that does not fit the schema: " + batch.status().ToString());
    return;
  }
  std::shared_ptr<Growing>& growing = growing_[id];
  if (!growing) {
    growing = std::make_shared<Growing>();
    growing->segment = std::make_shared<segment::Segment>(segment::SegmentId{id}, schema_);
    RecordGrowing();
  }
  Status status = growing->segment->Insert(*batch);
  SIMVUS_CHECK(status.ok(),
               "InsertBatchOf returned a batch the segment rejects: " + status.ToString());
  const auto pk_column = static_cast<size_t>(schema_.primary_key_index());
  // A delete consumed before this insert (another proxy's, with a larger ts) still hides it.
  std::vector<int64_t> late_pks;
  std::vector<Timestamp> late_tss;
  for (int64_t pk : batch->columns[pk_column].int64s) {
    if (!growing->pks.insert(pk).second) ++growing->duplicate_rows;
    auto d = deletes_.find(pk);
    if (d == deletes_.end()) continue;
    for (uint64_t t_d : d->second) {
      if (t_d > insert.ts()) {
        late_pks.push_back(pk);
        late_tss.push_back(Timestamp{t_d});
      }
    }
  }
  if (!late_pks.empty()) {
    Status applied = growing->segment->Delete(PrimaryKeysOf(late_pks), late_tss);
    SIMVUS_CHECK(applied.ok(), "delete of buffered pks: " + applied.ToString());
  }
  env_.Step("query.consume",
            "consumes insert ts=" + ToString(Timestamp{insert.ts()}) + " (" +
                std::to_string(insert.num_rows()) + " row(s)) into growing segment " +
                std::to_string(id) + " of " + vchannel_,
            pchannel_, env_.node);
}

Task<void> Delegator::ApplyDelete(proto::DeleteMsg del) {
  if (config_.injected_bug == ClusterConfig::InjectedBug::kIgnoreDeletes) co_return;
  // Injected bug "delete-hides-same-ts": the delete counts as one tick later, so it also hides a
  // row inserted at its own ts (an upsert's new version).
  const uint64_t t_d = config_.injected_bug == ClusterConfig::InjectedBug::kDeleteHidesSameTs
                           ? del.ts() + 1
                           : del.ts();
  std::vector<segment::PrimaryKey> pks(del.pks().begin(), del.pks().end());
  std::vector<Timestamp> tss(pks.size(), Timestamp{t_d});
  for (auto& [id, growing] : growing_) {
    Status status = growing->segment->Delete(pks, tss);
    SIMVUS_CHECK(status.ok(), "delete of validated pks: " + status.ToString());
  }
  for (int64_t pk : del.pks()) deletes_[pk].push_back(t_d);
  env_.Step("query.consume",
            "consumes delete ts=" + ToString(Timestamp{del.ts()}) + " of " +
                std::to_string(del.pks_size()) + " pk(s) into the delete buffer of " + vchannel_,
            pchannel_, env_.node);
  // Injected bug "skip-delete-forwarding": sealed segments never hear of the delete.
  if (config_.injected_bug == ClusterConfig::InjectedBug::kSkipDeleteForwarding) co_return;
  // Forward before the next message (and so the next tick) is consumed.
  std::vector<int64_t> ids;
  for (const auto& [id, s] : sealed_) ids.push_back(id);
  for (int64_t id : ids) {
    auto it = sealed_.find(id);
    if (it == sealed_.end() || it->second.offline) continue;
    std::vector<int64_t> hit;
    for (int64_t pk : del.pks()) {
      if (it->second.bloom->MayContain(segment::PrimaryKey{pk})) hit.push_back(pk);
    }
    if (hit.empty()) continue;
    std::vector<uint64_t> hit_ts(hit.size(), t_d);
    const std::string worker = it->second.worker;
    const bool ok = co_await Forward(id, worker, std::move(hit), std::move(hit_ts));
    if (!ok) {
      auto again = sealed_.find(id);
      if (again != sealed_.end() && again->second.worker == worker) again->second.offline = true;
      env_.Step("query.offline", "marks segment " + std::to_string(id) + " on " + worker +
                                     " offline: it did not acknowledge a forwarded delete; " +
                                     vchannel_ + " fails reads until QueryCoord reloads it");
    }
  }
}

Task<bool> Delegator::Forward(int64_t segment_id, std::string worker, std::vector<int64_t> pks,
                              std::vector<uint64_t> tss) {
  proto::WorkerDeleteRequest request;
  request.set_collection_id(collection_id());
  request.set_segment_id(segment_id);
  for (int64_t pk : pks) request.add_pks(pk);
  for (uint64_t ts : tss) request.add_timestamps(ts);
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
        *env_.transport, worker, kWorkerDelete, request, Duration::Seconds(1));
    if (sent.ok()) {
      env_.Step("query.forward",
                "forwards " + std::to_string(pks.size()) + " delete(s) to sealed segment " +
                    std::to_string(segment_id) + " on " + worker,
                env_.node, worker);
      co_return true;
    }
    if (sent.status().code() == StatusCode::kNotFound) co_return false;
  }
  co_return false;
}

void Delegator::RecordGrowing() {
  env_.metrics->Set(metrics::kQueryNodeSegmentNum, static_cast<double>(growing_.size()),
                    {{metrics::kChannel, vchannel_}, {metrics::kSegmentState, "Growing"}});
}

void Delegator::AdvanceTsafe(uint64_t tick) {
  const Metrics::Labels channel = {{metrics::kChannel, vchannel_}};
  env_.metrics->Set(metrics::kQueryNodeConsumeTtLagMs,
                    metrics::LagMs(env_.clock->Now(), std::max(tick, tsafe_)), channel);
  if (tick <= tsafe_) return;
  tsafe_ = tick;
  env_.metrics->Set(metrics::kQueryNodeTsafeMs, metrics::PhysicalMs(tsafe_), channel);
  env_.Detail("query.tsafe", vchannel_ + " tSafe -> " + ToString(Timestamp{tick}));
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->first <= tick) {
      env_.Step("query.tsafe",
                "time tick " + ToString(Timestamp{tick}) + " lifts tSafe of " + vchannel_ +
                    " to >= guarantee ts " + ToString(Timestamp{it->first}) +
                    ": no earlier write can still arrive, the read may run",
                pchannel_, env_.node);
      it->second.Set(true);
      it = waiters_.erase(it);
    } else {
      ++it;
    }
  }
}

Task<Result<proto::Empty>> Delegator::LoadSegments(proto::LoadSegmentsRequest request) {
  std::shared_ptr<Delegator> self = shared_from_this();
  const std::string worker = request.worker();
  proto::LoadSegmentsRequest to_worker = request;
  to_worker.clear_segments();
  for (const proto::SegmentLoadInfo& info : request.segments()) {
    auto it = sealed_.find(info.segment_id());
    if (it != sealed_.end() && it->second.worker == worker && !it->second.offline) {
      // Attached already; the worker may still need the index that has finished since.
      if (info.index_path().empty()) continue;
    }
    *to_worker.add_segments() = info;
  }
  if (to_worker.segments_size() == 0) co_return proto::Empty();
  *to_worker.mutable_schema() = watch_.collection().schema();
  Result<proto::Empty> loaded = co_await CallProto<proto::Empty>(
      *env_.transport, worker, kWorkerLoadSegments, to_worker, config_.rpc_deadline);
  if (!loaded.ok()) co_return loaded.status();
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  for (const proto::SegmentLoadInfo& info : to_worker.segments()) {
    segment::proto::SegmentManifest manifest;
    if (!manifest.ParseFromString(info.manifest())) {
      co_return DataLoss("segment " + std::to_string(info.segment_id()) +
                         ": the manifest does not parse");
    }
    Result<segment::SegmentStats> stats = co_await store.LoadStats(manifest);
    if (!stats.ok()) co_return stats.status();
    auto bloom = std::make_shared<segment::BloomFilter>(std::move(stats->bloom));
    // Phase 2 under the shard lock: replay the buffered deletes, then attach. No delete can be
    // consumed in between, so the attached segment has seen every delete before tSafe.
    co_await mutex_.Lock();
    std::vector<int64_t> pks;
    std::vector<uint64_t> tss;
    if (config_.injected_bug != ClusterConfig::InjectedBug::kSkipDeleteForwarding) {
      for (const auto& [pk, times] : deletes_) {
        if (!bloom->MayContain(segment::PrimaryKey{pk})) continue;
        for (uint64_t ts : times) {
          pks.push_back(pk);
          tss.push_back(ts);
        }
      }
    }
    const int64_t id = info.segment_id();
    bool ok = true;
    if (!pks.empty()) ok = co_await Forward(id, worker, std::move(pks), std::move(tss));
    if (ok) {
      Sealed& sealed = sealed_[id];
      const bool moved = !sealed.worker.empty() && sealed.worker != worker;
      sealed = Sealed{.worker = worker, .bloom = bloom, .num_rows = info.num_rows()};
      env_.Step("query.attach",
                std::string(moved ? "moves" : "attaches") + " sealed segment " +
                    std::to_string(id) + " (" + std::to_string(info.num_rows()) + " rows) on " +
                    worker + " to " + vchannel_ +
                    (readable_.count(id) ? "" : "; readable once a target names it"),
                worker, env_.node);
    }
    mutex_.Unlock();
    if (!ok) co_return Unavailable("worker " + worker + " did not take the buffered deletes");
  }
  co_return proto::Empty();
}

Task<Result<proto::Empty>> Delegator::ReleaseSegments(proto::ReleaseSegmentsRequest request) {
  std::shared_ptr<Delegator> self = shared_from_this();
  std::map<std::string, proto::ReleaseSegmentsRequest> by_worker;
  for (int64_t id : request.segment_ids()) {
    auto it = sealed_.find(id);
    if (it == sealed_.end() || readable_.count(id)) continue;  // readable: the target needs it
    proto::ReleaseSegmentsRequest& r = by_worker[it->second.worker];
    r.set_collection_id(collection_id());
    r.add_segment_ids(id);
    sealed_.erase(it);
    env_.Step("query.detach", "detaches sealed segment " + std::to_string(id) + " from " +
                                  vchannel_ + ": no target names it any more");
  }
  for (const auto& [worker, r] : by_worker) {
    // Best effort: a worker that is gone has released it already; QueryCoord cleans up orphans.
    // Best effort: the next check (or reload) repairs a lost call.
    Result<proto::Empty> reply = co_await CallProto<proto::Empty>(
        *env_.transport, worker, kWorkerReleaseSegments, r, config_.rpc_deadline);
    if (!reply.ok()) env_.Detail("rpc.failed", reply.status().ToString());
  }
  co_return proto::Empty();
}

Result<proto::Empty> Delegator::SyncTarget(const proto::SyncTargetRequest& request) {
  if (request.target_version() <= target_version_) return proto::Empty();
  for (int64_t id : request.sealed_segments()) {
    auto it = sealed_.find(id);
    if (it == sealed_.end() || it->second.offline) {
      return FailedPrecondition("target " + std::to_string(request.target_version()) +
                                " names segment " + std::to_string(id) + ", not attached to " +
                                vchannel_);
    }
  }
  // One step, no suspension: the new sealed set becomes readable and the growing copies of its
  // segments stop serving.
  readable_.clear();
  readable_.insert(request.sealed_segments().begin(), request.sealed_segments().end());
  int dropped = 0;
  for (int64_t id : request.excluded_segments()) {
    excluded_.insert(id);
    // Injected bug "serve-growing-and-sealed": the growing copy keeps serving.
    if (config_.injected_bug == ClusterConfig::InjectedBug::kServeGrowingAndSealed) continue;
    dropped += static_cast<int>(growing_.erase(id));
  }
  const bool first = target_version_ == 0;
  target_version_ = request.target_version();
  env_.metrics->Set(metrics::kQueryNodeTargetVersion, static_cast<double>(target_version_),
                    {{metrics::kChannel, vchannel_}});
  if (dropped > 0) RecordGrowing();
  env_.Step("query.target",
            vchannel_ + " switches to target " + std::to_string(target_version_) + ": " +
                std::to_string(readable_.size()) + " sealed segment(s) readable, " +
                std::to_string(dropped) + " growing cop" + (dropped == 1 ? "y" : "ies") +
                " handed off" + (first ? "; the shard is serviceable" : ""),
            config_.query_coord, env_.node);
  return proto::Empty();
}

Task<Result<Delegator::Snapshot>> Delegator::Pin(uint64_t guarantee, bool exact_mvcc,
                                                 const char* query_type) {
  if (target_version_ == 0) {
    co_return Unavailable("channel not available: " + vchannel_ + " on " + env_.node +
                          " is not serviceable yet (no target synced)");
  }
  const Timestamp g{guarantee};
  // Injected bug "stale-read": answer at the current tSafe without waiting for G.
  const bool wait_for_tsafe = config_.injected_bug != ClusterConfig::InjectedBug::kStaleRead;
  if (wait_for_tsafe && tsafe_ < guarantee) {
    const int64_t lag_ms = g.physical_ms() - Timestamp{tsafe_}.physical_ms();
    if (tsafe_ != 0 && lag_ms > config_.max_timestamp_lag.millis()) {
      co_return FailedPrecondition("Timestamp lag too large: " + std::to_string(lag_ms) + " ms");
    }
    env_.Step("query.wait", "waits for tSafe >= guarantee ts " + ToString(g) + " on " + vchannel_ +
                                " (tSafe is " + ToString(Timestamp{tsafe_}) + ")");
    Completion<bool> reached(env_.executor);
    waiters_.push_back({guarantee, reached});
    env_.Spawn([](Clock* clock, Duration limit, Completion<bool> done) -> Task<void> {
      co_await clock->Sleep(limit);
      done.Set(false);
    }(env_.clock, config_.read_wait_max, reached));
    const Instant waited_from = env_.clock->Now();
    const bool ok = co_await reached;
    const Metrics::Labels read = {{metrics::kQueryType, query_type}};
    env_.metrics->Observe(metrics::kQueryNodeSqWaitTsafeLatency,
                          metrics::ElapsedMs(waited_from, env_.clock->Now()),
                          Metrics::LatencyBucketsMs(), read);
    if (!ok || *stop_) {
      co_return DeadlineExceeded("tSafe of " + vchannel_ + " did not reach " + ToString(g) +
                                 " in time");
    }
  }
  Snapshot snapshot;
  snapshot.mvcc = exact_mvcc ? guarantee : tsafe_;
  for (const auto& [id, growing] : growing_) {
    snapshot.growing.push_back(SegmentRef{growing->segment, growing->duplicate_rows});
  }
  for (int64_t id : readable_) {
    auto it = sealed_.find(id);
    if (it == sealed_.end() || it->second.offline) {
      co_return Unavailable("segment lacks: sealed segment " + std::to_string(id) + " of " +
                            vchannel_ + " is offline");
    }
    snapshot.sealed_by_worker[it->second.worker].push_back(id);
  }
  co_return snapshot;
}

Task<Result<proto::ShardSearchResponse>> Delegator::Search(proto::ShardSearchRequest request) {
  std::shared_ptr<Delegator> self = shared_from_this();
  Result<Snapshot> pinned = co_await Pin(request.guarantee_ts(), /*exact_mvcc=*/false, "search");
  if (!pinned.ok()) co_return pinned.status();
  const Snapshot snapshot = std::move(*pinned);
  const bool dedup = config_.injected_bug != ClusterConfig::InjectedBug::kReduceKeepsDuplicates;
  // Growing data, here, by brute force. Injected bug "visibility-off-by-one": searched one tick
  // below the MVCC ts reported.
  const Timestamp searched{config_.injected_bug == ClusterConfig::InjectedBug::kVisibilityOffByOne
                               ? snapshot.mvcc - 1
                               : snapshot.mvcc};
  const bool batch_bug = config_.injected_bug == ClusterConfig::InjectedBug::kBatchAnswersQuery0;
  Result<QueryHits> local = QueryHits{};
  co_await env_.compute->RunCounted([&] {
    SearchWork work;
    local = SearchSegments(snapshot.growing, request, searched, dedup, &work, batch_bug);
    return SearchCost(work);
  });
  if (!local.ok()) co_return local.status();
  const ann::MetricType metric = MetricOf(watch_.collection().schema().metric());
  std::vector<segment::SearchResult> parts(1);
  parts[0].metric = metric;
  parts[0].queries = std::move(*local);
  // Sealed data on the workers, at the same M, all at once.
  std::vector<std::function<Task<Result<proto::ShardSearchResponse>>()>> calls;
  for (const auto& [worker, ids] : snapshot.sealed_by_worker) {
    proto::ShardSearchRequest sub = request;
    sub.set_mvcc_ts(snapshot.mvcc);
    for (int64_t id : ids) sub.add_segment_ids(id);
    calls.push_back([this, to = worker, sub]() -> Task<Result<proto::ShardSearchResponse>> {
      co_return co_await CallProto<proto::ShardSearchResponse>(*env_.transport, to, kWorkerSearch,
                                                               sub, config_.rpc_deadline);
    });
  }
  std::vector<Result<proto::ShardSearchResponse>> answers =
      co_await WhenAll<proto::ShardSearchResponse>(env_, std::move(calls));
  for (Result<proto::ShardSearchResponse>& answer : answers) {
    if (!answer.ok()) co_return answer.status();
    parts.push_back(SearchResultOf(answer->hits(), answer->topks(), metric));
    if (parts.back().queries.size() != parts[0].queries.size()) {
      co_return Internal("a worker answered " + std::to_string(parts.back().queries.size()) +
                         " queries of " + std::to_string(parts[0].queries.size()));
    }
  }
  // The delegator's reduce, per query: one hit per pk, best first, top-k (injected bug: every
  // copy stays).
  QueryHits hits;
  if (dedup) {
    Result<segment::SearchResult> merged = segment::ReduceSearchResults(parts, request.topk());
    if (!merged.ok()) co_return merged.status();
    hits = std::move(merged->queries);
  } else {
    hits.resize(parts[0].queries.size());
    for (const segment::SearchResult& part : parts) {
      for (size_t q = 0; q < hits.size(); ++q) {
        hits[q].insert(hits[q].end(), part.queries[q].begin(), part.queries[q].end());
      }
    }
  }
  proto::ShardSearchResponse response;
  response.set_mvcc_ts(snapshot.mvcc);
  AddHits(hits, response.mutable_hits(), response.mutable_topks());
  env_.Step("query.search",
            "searches " + vchannel_ + " at MVCC ts " + ToString(Timestamp{snapshot.mvcc}) +
                " (guarantee " + ToString(Timestamp{request.guarantee_ts()}) +
                "): " + std::to_string(snapshot.growing.size()) + " growing here, " +
                std::to_string(snapshot.sealed_by_worker.size()) + " worker(s) for sealed, " +
                std::to_string(response.hits_size()) + " hit(s)" +
                (hits.size() > 1 ? " for " + std::to_string(hits.size()) + " queries" : ""));
  co_return response;
}

Task<Result<proto::ShardQueryResponse>> Delegator::Query(proto::ShardQueryRequest request) {
  std::shared_ptr<Delegator> self = shared_from_this();
  const uint64_t wanted = request.pin_mvcc() ? request.mvcc_ts() : request.guarantee_ts();
  Result<Snapshot> pinned = co_await Pin(wanted, request.pin_mvcc(), "query");
  if (!pinned.ok()) co_return pinned.status();
  const Snapshot snapshot = std::move(*pinned);
  const Timestamp mvcc{snapshot.mvcc};
  Result<QueryAnswer> local = QueryAnswer{};
  co_await env_.compute->Run(QueryCost(snapshot.growing),
                             [&] { local = QuerySegments(snapshot.growing, request, mvcc); });
  if (!local.ok()) co_return local.status();
  int64_t count = local->count;
  std::vector<segment::QueryResult> parts;
  parts.push_back(std::move(local->rows));
  std::vector<std::function<Task<Result<proto::ShardQueryResponse>>()>> calls;
  for (const auto& [worker, ids] : snapshot.sealed_by_worker) {
    proto::ShardQueryRequest sub = request;
    sub.set_mvcc_ts(snapshot.mvcc);
    for (int64_t id : ids) sub.add_segment_ids(id);
    calls.push_back([this, to = worker, sub]() -> Task<Result<proto::ShardQueryResponse>> {
      co_return co_await CallProto<proto::ShardQueryResponse>(*env_.transport, to, kWorkerQuery,
                                                              sub, config_.rpc_deadline);
    });
  }
  std::vector<Result<proto::ShardQueryResponse>> answers =
      co_await WhenAll<proto::ShardQueryResponse>(env_, std::move(calls));
  for (Result<proto::ShardQueryResponse>& answer : answers) {
    if (!answer.ok()) co_return answer.status();
    count += answer->count();
    if (request.count_only()) continue;
    Result<segment::QueryResult> part = QueryResultOf(schema_, *answer);
    if (!part.ok()) co_return part.status();
    parts.push_back(std::move(*part));
  }
  proto::ShardQueryResponse response;
  if (request.count_only()) {
    response.set_count(count);
  } else {
    // Every part carries the same output fields (an empty part has none): drop empty ones.
    std::vector<segment::QueryResult> rows;
    for (segment::QueryResult& part : parts) {
      if (part.num_rows() > 0) rows.push_back(std::move(part));
    }
    if (!rows.empty()) {
      Result<segment::QueryResult> merged = segment::ReduceQueryResults(rows, request.limit());
      if (!merged.ok()) co_return merged.status();
      response = QueryResponseOf(schema_, *merged);
    }
  }
  response.set_mvcc_ts(snapshot.mvcc);
  env_.Step("query.query",
            "queries " + vchannel_ + " at MVCC ts " + ToString(mvcc) +
                (request.count_only() ? ": count(*) = " + std::to_string(response.count())
                                      : ": " + std::to_string(response.pks_size()) + " row(s)"));
  co_return response;
}

}  // namespace simvus::roles
