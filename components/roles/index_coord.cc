#include "components/roles/index_coord.h"

#include <vector>

#include "components/ann/index_spec.h"
#include "components/env/rpc.h"
#include "components/roles/data_coord.h"
#include "components/roles/index_node.h"
#include "components/roles/role_metrics.h"
#include "components/roles/row_conversion.h"

namespace simvus::roles {

std::string IndexKey(int64_t collection_id) { return kIndexPrefix + std::to_string(collection_id); }

std::string SegmentIndexKey(int64_t collection_id, int64_t segment_id) {
  return kSegmentIndexPrefix + std::to_string(collection_id) + "/" + std::to_string(segment_id);
}

IndexCoord::IndexCoord(Env& env, ClusterConfig config)
    : env_(env), config_(std::move(config)), mutex_(env.executor) {}

void IndexCoord::Start() {
  RegisterProto<proto::CreateIndexRequest, proto::Empty>(
      *env_.transport, kCreateIndex,
      [this](std::string, proto::CreateIndexRequest r) -> Task<Result<proto::Empty>> {
        Result<proto::Empty> created = co_await CreateIndex(std::move(r));
        const Metrics::Labels labels = {
            {metrics::kStatus, created.ok() ? metrics::kSuccess : metrics::kFail}};
        env_.metrics->Increment(metrics::kIndexCoordIndexReqCount, 1, labels);
        co_return created;
      });
  RegisterProto<proto::DescribeIndexRequest, proto::DescribeIndexResponse>(
      *env_.transport, kDescribeIndex,
      [this](std::string, proto::DescribeIndexRequest r) { return DescribeIndex(std::move(r)); });
  RegisterProto<proto::DropIndexRequest, proto::Empty>(
      *env_.transport, kDropIndex,
      [this](std::string, proto::DropIndexRequest r) { return DropIndex(std::move(r)); });
  RegisterProto<proto::BuildIndexReport, proto::Empty>(
      *env_.transport, kReportBuild,
      [this](std::string, proto::BuildIndexReport r) { return ReportBuild(std::move(r)); });
  env_.Spawn(Recover());
}

Task<void> IndexCoord::Recover() {
  for (;;) {
    const RangeRequest indexes{.key = kIndexPrefix, .range_end = PrefixEnd(kIndexPrefix)};
    Result<RangeResult> i = co_await env_.meta_store->Range(indexes);
    const RangeRequest tasks{.key = kSegmentIndexPrefix,
                             .range_end = PrefixEnd(kSegmentIndexPrefix)};
    Result<RangeResult> t = co_await env_.meta_store->Range(tasks);
    const RangeRequest collections{.key = kCollectionPrefix,
                                   .range_end = PrefixEnd(kCollectionPrefix)};
    Result<RangeResult> c = co_await env_.meta_store->Range(collections);
    if (!i.ok() || !t.ok() || !c.ok()) {
      co_await env_.clock->Sleep(Duration::Millis(200));
      continue;
    }
    for (const KeyValue& kv : i->kvs) {
      proto::IndexInfo info;
      if (info.ParseFromString(kv.value)) indexes_[info.collection_id()] = info;
    }
    for (const KeyValue& kv : c->kvs) {
      proto::CollectionInfo info;
      if (info.ParseFromString(kv.value) && indexes_.count(info.id()))
        collections_[info.id()] = info;
    }
    for (const KeyValue& kv : t->kvs) {
      BuildTask task;
      if (!task.index.ParseFromString(kv.value)) continue;
      task.sent = env_.clock->Now();  // in-progress tasks get a fresh timeout
      tasks_[task.index.segment_id()] = task;
    }
    break;
  }
  ready_ = true;
  env_.Spawn(ScheduleLoop());
}

Task<Result<proto::CollectionInfo>> IndexCoord::CollectionNamed(const std::string& name) {
  const RangeRequest key{.key = kCollectionPrefix + name};
  Result<RangeResult> r = co_await env_.meta_store->Range(key);
  if (!r.ok()) co_return r.status();
  proto::CollectionInfo info;
  if (r->kvs.empty() || !info.ParseFromString(r->kvs.front().value)) {
    co_return NotFound("collection \"" + name + "\" does not exist");
  }
  co_return info;
}

Task<void> IndexCoord::ScheduleLoop() {
  for (;;) {
    co_await env_.clock->Sleep(Duration::Millis(500));
    std::vector<int64_t> indexed;
    for (const auto& [id, info] : indexes_) indexed.push_back(id);
    for (int64_t id : indexed) co_await Schedule(id);
  }
}

// Milvus's IndexCoord polls the index node (QueryJobs) and waits while the node reports the task
// in progress, however long the build; simvus has no poll, so it allows a build its modelled
// cost (IndexNode::BuildCost) on top of the timeout. Without it, a segment whose build costs more
// than the timeout (an HNSW build of 10,000 x 784) was reissued every timeout, forever, each
// version building again and writing its own index files.
Duration IndexCoord::ExpectedBuildCost(int64_t collection_id, int64_t rows) const {
  auto index = indexes_.find(collection_id);
  auto collection = collections_.find(collection_id);
  if (index == indexes_.end() || collection == collections_.end()) return Duration::Nanos(0);
  auto type = index->second.params().find("index_type");
  for (const proto::FieldSchema& f : collection->second.schema().fields()) {
    if (f.name() == index->second.field_name() && type != index->second.params().end()) {
      return IndexNode::BuildCost(type->second, rows, f.dim(), config_);
    }
  }
  return Duration::Nanos(0);
}

Task<void> IndexCoord::Schedule(int64_t collection_id) {
  const std::string prefix = kSegmentPrefix + std::to_string(collection_id) + "/";
  const RangeRequest segments{.key = prefix, .range_end = PrefixEnd(prefix)};
  Result<RangeResult> r = co_await env_.meta_store->Range(segments);
  if (!r.ok()) co_return;
  co_await mutex_.Lock();
  std::vector<std::pair<int64_t, std::string>> to_send;
  for (const KeyValue& kv : r->kvs) {
    proto::SegmentInfo s;
    if (!s.ParseFromString(kv.value) || s.level() != proto::L1 || s.state() != proto::FLUSHED ||
        s.num_rows() == 0 || !indexes_.count(collection_id)) {
      continue;
    }
    manifests_[s.id()] = s.manifest();
    auto task = tasks_.find(s.id());
    if (task == tasks_.end()) {
      proto::AllocIdRequest alloc;
      alloc.set_count(1);
      Result<proto::AllocIdResponse> id = co_await CallProto<proto::AllocIdResponse>(
          *env_.transport, config_.data_coord, kAllocId, alloc, config_.rpc_deadline);
      if (!id.ok()) continue;
      BuildTask fresh;
      fresh.index.set_collection_id(collection_id);
      fresh.index.set_segment_id(s.id());
      fresh.index.set_build_id(id->first_id());
      fresh.index.set_version(0);
      fresh.index.set_state(proto::UNISSUED);
      tasks_[s.id()] = fresh;
      to_send.emplace_back(s.id(), "segment " + std::to_string(s.id()) + " was flushed");
    } else if (task->second.index.state() == proto::IN_PROGRESS &&
               env_.clock->Now() - task->second.sent >=
                   config_.index_task_timeout + ExpectedBuildCost(collection_id, s.num_rows())) {
      to_send.emplace_back(s.id(), task->second.index.node() + " did not report build " +
                                       std::to_string(task->second.index.build_id()) + " v" +
                                       std::to_string(task->second.index.version()) + " within " +
                                       ToString(config_.index_task_timeout));
    } else if (task->second.index.state() == proto::UNISSUED) {
      to_send.emplace_back(s.id(), "the last send failed");
    }
  }
  for (const auto& [segment_id, why] : to_send) (void)co_await Send(segment_id, why);
  mutex_.Unlock();
}

// REQUIRES mutex_ held.
Task<Status> IndexCoord::Send(int64_t segment_id, std::string why) {
  BuildTask& task = tasks_[segment_id];
  const proto::IndexInfo& info = indexes_[task.index.collection_id()];
  proto::SegmentIndex next = task.index;
  next.set_version(next.version() + 1);
  next.set_state(proto::IN_PROGRESS);
  next.set_node(config_.index_nodes[next_node_++ % config_.index_nodes.size()]);
  Result<PutResult> put = co_await env_.meta_store->Put(
      SegmentIndexKey(next.collection_id(), segment_id), next.SerializeAsString());
  if (!put.ok()) co_return put.status();
  task.index = next;
  task.sent = env_.clock->Now();
  env_.Step("index.assign",
            "build " + std::to_string(next.build_id()) + " v" + std::to_string(next.version()) +
                " of segment " + std::to_string(segment_id) + " -> " + next.node() + " (" + why +
                ")",
            env_.node, next.node());
  proto::BuildIndexRequest request;
  request.set_build_id(next.build_id());
  request.set_version(next.version());
  request.set_collection_id(next.collection_id());
  request.set_segment_id(segment_id);
  request.set_manifest(manifests_[segment_id]);
  *request.mutable_schema() = collections_[next.collection_id()].schema();
  *request.mutable_params() = info.params();
  Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
      *env_.transport, next.node(), kBuildIndex, request, config_.rpc_deadline);
  if (!sent.ok()) {
    // Retried at the next round, on the next node, with the next version.
    task.sent = env_.clock->Now() - config_.index_task_timeout;
    co_return sent.status();
  }
  co_return Status::Ok();
}

Task<Result<proto::Empty>> IndexCoord::CreateIndex(proto::CreateIndexRequest request) {
  if (!ready_) co_return Unavailable("indexcoord: still recovering its meta");
  Result<proto::CollectionInfo> collection = co_await CollectionNamed(request.collection());
  if (!collection.ok()) co_return collection.status();
  const proto::FieldSchema* vector = nullptr;
  for (const proto::FieldSchema& f : collection->schema().fields()) {
    if (f.name() == request.field_name()) vector = &f;
  }
  if (vector == nullptr) {
    co_return InvalidArgument("create index: field_name \"" + request.field_name() +
                              "\" is not a field of " + request.collection());
  }
  if (vector->type() != proto::FLOAT_VECTOR) {
    co_return InvalidArgument("create index: field \"" + request.field_name() +
                              "\" is not a vector field");
  }
  ann::IndexParams params(request.params().begin(), request.params().end());
  const std::string schema_metric(ann::MetricTypeName(MetricOf(collection->schema().metric())));
  if (!params.count("metric_type")) params["metric_type"] = schema_metric;
  if (params["metric_type"] != schema_metric) {
    co_return InvalidArgument("create index: metric_type " + params["metric_type"] +
                              " does not match the collection's metric " + schema_metric);
  }
  Result<ann::IndexSpec> spec = ann::ParseIndexSpec(params, vector->dim());
  if (!spec.ok()) co_return spec.status();
  proto::IndexInfo info;
  info.set_collection_id(collection->id());
  info.set_field_name(request.field_name());
  info.set_index_name(request.index_name().empty() ? request.field_name() : request.index_name());
  for (const auto& [k, v] : spec->ToParams()) (*info.mutable_params())[k] = v;
  co_await mutex_.Lock();
  Status status = Status::Ok();
  auto existing = indexes_.find(collection->id());
  if (existing != indexes_.end()) {
    const ann::IndexParams had(existing->second.params().begin(), existing->second.params().end());
    const ann::IndexParams wants(info.params().begin(), info.params().end());
    if (had != wants) {
      status = AlreadyExists("create index: " + request.collection() + " already has index \"" +
                             existing->second.index_name() + "\" with other params; drop it first");
    }
  } else {
    Result<PutResult> put =
        co_await env_.meta_store->Put(IndexKey(collection->id()), info.SerializeAsString());
    if (!put.ok()) {
      status = put.status();
    } else {
      indexes_[collection->id()] = info;
      collections_[collection->id()] = *collection;
      env_.Step("index.create", "CreateIndex " + spec->ToString() + " on " + request.collection() +
                                    "." + request.field_name() + ": one build per flushed segment");
    }
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

Task<Result<proto::DescribeIndexResponse>> IndexCoord::DescribeIndex(
    proto::DescribeIndexRequest request) {
  if (!ready_) co_return Unavailable("indexcoord: still recovering its meta");
  Result<proto::CollectionInfo> collection = co_await CollectionNamed(request.collection());
  if (!collection.ok()) co_return collection.status();
  auto index = indexes_.find(collection->id());
  if (index == indexes_.end()) {
    co_return NotFound("describe index: " + request.collection() + " has no index");
  }
  const std::string prefix = kSegmentPrefix + std::to_string(collection->id()) + "/";
  const RangeRequest segments{.key = prefix, .range_end = PrefixEnd(prefix)};
  Result<RangeResult> r = co_await env_.meta_store->Range(segments);
  if (!r.ok()) co_return r.status();
  proto::DescribeIndexResponse response;
  *response.mutable_info() = index->second;
  for (const KeyValue& kv : r->kvs) {
    proto::SegmentInfo s;
    if (!s.ParseFromString(kv.value) || s.level() != proto::L1 || s.state() != proto::FLUSHED ||
        s.num_rows() == 0) {
      continue;
    }
    response.set_total_rows(response.total_rows() + s.num_rows());
    auto task = tasks_.find(s.id());
    if (task != tasks_.end() && task->second.index.state() == proto::FINISHED) {
      response.set_indexed_rows(response.indexed_rows() + s.num_rows());
    } else if (task != tasks_.end() && task->second.index.state() == proto::FAILED) {
      response.set_failed_segments(response.failed_segments() + 1);
    } else {
      response.set_pending_segments(response.pending_segments() + 1);
    }
  }
  response.set_state(response.pending_segments() == 0 && response.failed_segments() == 0
                         ? "Finished"
                         : (response.pending_segments() == 0 ? "Failed" : "InProgress"));
  co_return response;
}

Task<Result<proto::Empty>> IndexCoord::DropIndex(proto::DropIndexRequest request) {
  if (!ready_) co_return Unavailable("indexcoord: still recovering its meta");
  Result<proto::CollectionInfo> collection = co_await CollectionNamed(request.collection());
  if (!collection.ok()) co_return collection.status();
  co_await mutex_.Lock();
  Status status = Status::Ok();
  if (!indexes_.count(collection->id())) {
    status = NotFound("drop index: " + request.collection() + " has no index");
  } else {
    const std::string tasks = kSegmentIndexPrefix + std::to_string(collection->id()) + "/";
    Result<DeleteResult> t = co_await env_.meta_store->Delete(tasks, PrefixEnd(tasks));
    Result<DeleteResult> i = co_await env_.meta_store->Delete(IndexKey(collection->id()));
    if (!t.ok()) status = t.status();
    if (!i.ok()) status = i.status();
    if (status.ok()) {
      indexes_.erase(collection->id());
      for (auto it = tasks_.begin(); it != tasks_.end();) {
        it = it->second.index.collection_id() == collection->id() ? tasks_.erase(it) : ++it;
      }
    }
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

Task<Result<proto::Empty>> IndexCoord::ReportBuild(proto::BuildIndexReport report) {
  if (!ready_) co_return Unavailable("indexcoord: still recovering its meta");
  co_await mutex_.Lock();
  Status status = Status::Ok();
  auto task = tasks_.find(report.segment_id());
  const bool current = task != tasks_.end() && task->second.index.build_id() == report.build_id() &&
                       task->second.index.version() == report.version() &&
                       task->second.index.state() == proto::IN_PROGRESS;
  const bool accept_stale = config_.injected_bug == ClusterConfig::InjectedBug::kStaleIndexResult &&
                            task != tasks_.end() &&
                            task->second.index.build_id() == report.build_id() &&
                            task->second.index.state() == proto::IN_PROGRESS;
  if (!current && !accept_stale) {
    env_.Step("index.stale",
              "ignores the result of build " + std::to_string(report.build_id()) + " v" +
                  std::to_string(report.version()) + " from " + report.node() +
                  (task == tasks_.end()
                       ? ": no such task"
                       : ": the task is at v" + std::to_string(task->second.index.version()) +
                             " (" + proto::IndexState_Name(task->second.index.state()) + ")"),
              report.node(), env_.node);
  } else {
    proto::SegmentIndex done = task->second.index;
    done.set_state(report.ok() ? proto::FINISHED : proto::FAILED);
    done.set_index_path(report.index_path());
    done.set_fail_reason(report.error());
    done.set_num_rows(report.num_rows());
    Result<PutResult> put = co_await env_.meta_store->Put(
        SegmentIndexKey(done.collection_id(), done.segment_id()), done.SerializeAsString());
    if (!put.ok()) {
      status = put.status();
    } else {
      task->second.index = done;
      env_.Step(
          "index.done",
          "segment " + std::to_string(done.segment_id()) + " build " +
              std::to_string(done.build_id()) + " v" + std::to_string(report.version()) +
              (report.ok() ? ": Finished, " + report.index_path() : ": Failed: " + report.error()),
          report.node(), env_.node);
    }
  }
  mutex_.Unlock();
  if (!status.ok()) co_return status;
  co_return proto::Empty();
}

}  // namespace simvus::roles
