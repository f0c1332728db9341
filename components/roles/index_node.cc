#include "components/roles/index_node.h"

#include <algorithm>
#include <memory>

#include "components/ann/index_spec.h"
#include "components/env/rpc.h"
#include "components/roles/role_metrics.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment_store.h"

namespace simvus::roles {

namespace {

Task<void> Backoff(Env& env, int attempt, Duration max) {
  int64_t ms = 100;
  for (int i = 0; i < attempt && ms < max.millis(); ++i) ms *= 2;
  co_await env.clock->Sleep(Duration::Millis(std::min(ms, max.millis())));
}

int64_t TypeFactor(const std::string& type) {
  if (type == "IVF_FLAT") return 10;
  if (type == "IVF_SQ8") return 12;
  if (type == "IVF_PQ") return 30;
  if (type == "HNSW") return 150;
  return 1;  // FLAT
}

}  // namespace

Duration IndexNode::BuildCost(const std::string& index_type, int64_t rows, int64_t dim,
                              const ClusterConfig& config) {
  return Duration::Nanos(rows * dim * TypeFactor(index_type) *
                         config.index_build_cost_per_value.ns);
}

void IndexNode::Start() {
  RegisterProto<proto::BuildIndexRequest, proto::Empty>(
      *env_.transport, kBuildIndex,
      [this](std::string, proto::BuildIndexRequest r) { return Accept(std::move(r)); });
}

Task<Result<proto::Empty>> IndexNode::Accept(proto::BuildIndexRequest request) {
  env_.Step("index.accept",
            "accepts build " + std::to_string(request.build_id()) + " v" +
                std::to_string(request.version()) + " of segment " +
                std::to_string(request.segment_id()),
            config_.index_coord, env_.node);
  env_.Spawn(Build(std::move(request)));
  co_return proto::Empty();
}

Task<void> IndexNode::Build(proto::BuildIndexRequest request) {
  const Instant started = env_.clock->Now();
  proto::BuildIndexReport report;
  report.set_build_id(request.build_id());
  report.set_version(request.version());
  report.set_collection_id(request.collection_id());
  report.set_segment_id(request.segment_id());
  report.set_node(env_.node);
  segment::proto::SegmentManifest manifest;
  if (!manifest.ParseFromString(request.manifest())) {
    report.set_error("segment " + std::to_string(request.segment_id()) +
                     ": the manifest does not parse");
    co_await Report(std::move(report));
    co_return;
  }
  const segment::CollectionSchema schema = SegmentSchemaOf(request.schema());
  segment::SegmentStore store(*env_.object_store, config_.object_store_root);
  std::unique_ptr<segment::Segment> seg;
  for (int attempt = 0; !seg; ++attempt) {
    Result<std::unique_ptr<segment::Segment>> loaded = co_await store.LoadSegment(schema, manifest);
    if (loaded.ok()) {
      seg = std::move(*loaded);
    } else if (loaded.status().code() == StatusCode::kDataLoss ||
               loaded.status().code() == StatusCode::kNotFound) {
      report.set_error(loaded.status().ToString());
      co_await Report(std::move(report));
      co_return;
    } else {
      co_await Backoff(env_, attempt, config_.sync_retry_max_backoff);
    }
  }
  int64_t dim = 0;
  for (const proto::FieldSchema& f : request.schema().fields()) {
    if (f.type() == proto::FLOAT_VECTOR) dim = f.dim();
  }
  ann::IndexParams params(request.params().begin(), request.params().end());
  Result<ann::IndexSpec> spec = ann::ParseIndexSpec(params, dim);
  if (!spec.ok()) {
    report.set_error(spec.status().ToString());
    co_await Report(std::move(report));
    co_return;
  }
  Duration cost =
      BuildCost(std::string(ann::IndexTypeName(spec->type)), seg->num_rows(), dim, config_);
  // Buggify: a slow build (a busy node), which may run past IndexCoord's task timeout.
  if (Buggify(env_, "indexnode/build:slow")) {
    cost = cost + Duration::Millis(env_.rng->UniformInt(1, 2000));
  }
  env_.Step("index.build", "builds " + spec->ToString() + " over " +
                               std::to_string(seg->num_rows()) + " row(s) of segment " +
                               std::to_string(request.segment_id()) + " (" + ToString(cost) +
                               " of CPU)");
  Status built = Status::Ok();
  segment::Segment* target = seg.get();
  const ann::IndexSpec chosen = *spec;
  co_await env_.compute->Run(cost, [target, chosen, &built] {
    built = target->BuildIndex(chosen, ann::BuildOptions{.seed = 0, .num_threads = 1});
  });
  if (!built.ok()) {
    report.set_error(built.ToString());
    co_await Report(std::move(report));
    co_return;
  }
  const segment::SegmentLocation location{.collection_id = request.collection_id(),
                                          .partition_id = manifest.partition_id(),
                                          .segment_id = segment::SegmentId{request.segment_id()}};
  for (int attempt = 0;; ++attempt) {
    Result<std::string> path =
        co_await store.WriteIndex(*seg->index(), location, request.build_id(), request.version());
    if (path.ok()) {
      report.set_index_path(*path);
      break;
    }
    co_await Backoff(env_, attempt, config_.sync_retry_max_backoff);
  }
  report.set_ok(true);
  report.set_num_rows(seg->num_rows());
  env_.Step("index.write",
            "writes the index of segment " + std::to_string(request.segment_id()) + " to " +
                report.index_path(),
            env_.node, "s3");
  co_await CrashPoint(env_, "indexnode/build:after-upload");
  env_.metrics->Observe(metrics::kIndexNodeBuildIndexLatency,
                        metrics::ElapsedMs(started, env_.clock->Now()) / 1000.0,
                        metrics::IndexBucketsSeconds());
  co_await Report(std::move(report));
}

Task<void> IndexNode::Report(proto::BuildIndexReport report) {
  const Metrics::Labels labels = {
      {metrics::kStatus, report.ok() ? metrics::kSuccess : metrics::kFail}};
  env_.metrics->Increment(metrics::kIndexNodeIndexTaskCount, 1, labels);
  for (int attempt = 0; attempt < 30; ++attempt) {
    Result<proto::Empty> sent = co_await CallProto<proto::Empty>(
        *env_.transport, config_.index_coord, kReportBuild, report, config_.rpc_deadline);
    if (sent.ok()) co_return;
    co_await Backoff(env_, attempt, config_.sync_retry_max_backoff);
  }
}

}  // namespace simvus::roles
