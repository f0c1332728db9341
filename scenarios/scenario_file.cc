#include "scenarios/scenario_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "components/expr/predicate.h"
#include "faults/fault_catalogue.h"
#include "faults/fault_schedule.h"
#include "scenarios/retrying_steps.h"
#include "scenarios/storage_audit.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

constexpr char kCollection[] = "scenario";
constexpr char kFinalRead[] = "final read (after heal)";
constexpr char kFinalFlush[] = "final flush (after heal)";
// After the heal, the final Strong read must be answered within this (semantics §13.20): 10 s,
// plus the 5 s a proxy may need to get its time ticks accepted again after etcd-lease-expiry
// took its session (it notices at its next keep-alive, up to session.ttl / 3 = 10 s after the
// last one, sleeps 1 s and registers again). Swarm seed 1820 needed 10.03 s.
constexpr Duration kLivenessBound = Duration::Seconds(15);
constexpr int64_t kTimeLimitMsMax = 3'600'000;

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// Walks a parsed file with its locations, so that an error names the line, column and field.
class Validator {
 public:
  Validator(const std::string& source, const TextFormat::ParseInfoTree* root)
      : source_(source), root_(root) {}

  Status Validate(const scenario::ScenarioFile& f) {
    const Descriptor* d = f.GetDescriptor();
    if (f.time_limit_ms() < 0 || f.time_limit_ms() > kTimeLimitMsMax) {
      return Error(root_, d->FindFieldByName("time_limit_ms"), -1, "time_limit_ms",
                   "is " + std::to_string(f.time_limit_ms()) + ", expected 0..3600000");
    }
    SIMVUS_RETURN_IF_ERROR(ValidateCluster(f.cluster(), Nested(root_, d, "cluster", -1)));
    const TextFormat::ParseInfoTree* workload = Nested(root_, d, "workload", -1);
    if (f.workload().steps_size() == 0) {
      return Error(root_, d->FindFieldByName("workload"), -1, "workload",
                   "must have at least one step");
    }
    const FieldDescriptor* steps = f.workload().GetDescriptor()->FindFieldByName("steps");
    for (int i = 0; i < f.workload().steps_size(); ++i) {
      SIMVUS_RETURN_IF_ERROR(ValidateStep(f.workload().steps(i),
                                          workload ? workload->GetTreeForNested(steps, i) : nullptr,
                                          "workload.steps[" + std::to_string(i) + "]",
                                          f.cluster().clients() == 0 ? 1 : f.cluster().clients()));
    }
    const TextFormat::ParseInfoTree* nemesis = Nested(root_, d, "nemesis", -1);
    const FieldDescriptor* faults = f.nemesis().GetDescriptor()->FindFieldByName("faults");
    for (int i = 0; i < f.nemesis().faults_size(); ++i) {
      SIMVUS_RETURN_IF_ERROR(ValidateFault(f.nemesis().faults(i),
                                           nemesis ? nemesis->GetTreeForNested(faults, i) : nullptr,
                                           "nemesis.faults[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
  }

 private:
  static const TextFormat::ParseInfoTree* Nested(const TextFormat::ParseInfoTree* tree,
                                                 const Descriptor* d, const char* field,
                                                 int index) {
    return tree ? tree->GetTreeForNested(d->FindFieldByName(field), index) : nullptr;
  }

  Status Error(const TextFormat::ParseInfoTree* tree, const FieldDescriptor* field, int index,
               const std::string& path, const std::string& what) const {
    std::string where = source_;
    if (tree != nullptr && field != nullptr) {
      const TextFormat::ParseLocation loc = tree->GetLocation(field, index);
      if (loc.line >= 0) {
        where += ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1);
      }
    }
    return InvalidArgument(where + ": " + path + ": " + what);
  }

  Status ValidateCluster(const scenario::Cluster& c, const TextFormat::ParseInfoTree* tree) {
    const Descriptor* d = c.GetDescriptor();
    auto error = [&](const char* field, const std::string& what) {
      return Error(tree, d->FindFieldByName(field), -1, std::string("cluster.") + field, what);
    };
    if (c.shards() < 0 || c.shards() > 16) {
      return error("shards", "is " + std::to_string(c.shards()) + ", expected 1..16 (0: 1)");
    }
    if (c.dim() < 0 || c.dim() > 32768) {
      return error("dim", "is " + std::to_string(c.dim()) + ", expected 1..32768 (0: 4)");
    }
    if (!c.metric().empty() && c.metric() != "L2" && c.metric() != "IP" && c.metric() != "COSINE") {
      return error("metric", "is '" + c.metric() + "', expected L2, IP or COSINE");
    }
    if (!c.index_type().empty() && c.index_type() != "HNSW" && c.index_type() != "IVF_FLAT" &&
        c.index_type() != "FLAT") {
      return error("index_type",
                   "is '" + c.index_type() + "', expected HNSW, IVF_FLAT, FLAT or empty (none)");
    }
    if (c.clients() < 0 || c.clients() > 8) {
      return error("clients", "is " + std::to_string(c.clients()) + ", expected 1..8 (0: 1)");
    }
    if (c.query_nodes() < 0 || c.query_nodes() > 8) {
      return error("query_nodes",
                   "is " + std::to_string(c.query_nodes()) + ", expected 1..8 (0: 1)");
    }
    if (c.proxies() < 0 || c.proxies() > 4) {
      return error("proxies", "is " + std::to_string(c.proxies()) + ", expected 1..4 (0: 1)");
    }
    if (c.data_nodes() < 0 || c.data_nodes() > 4) {
      return error("data_nodes", "is " + std::to_string(c.data_nodes()) + ", expected 1..4 (0: 1)");
    }
    if (c.index_nodes() < 0 || c.index_nodes() > 4) {
      return error("index_nodes",
                   "is " + std::to_string(c.index_nodes()) + ", expected 1..4 (0: 2)");
    }
    const int32_t query_nodes = c.query_nodes() == 0 ? 1 : c.query_nodes();
    if (c.replicas() < 0 || c.replicas() > query_nodes) {
      return error("replicas", "is " + std::to_string(c.replicas()) + ", expected 1.." +
                                   std::to_string(query_nodes) +
                                   " (at most one replica per query node; 0: 1)");
    }
    for (const char* field : {"latency_base_us", "latency_jitter_mean_us"}) {
      const int64_t v = c.GetReflection()->GetInt64(c, d->FindFieldByName(field));
      if (v < 0 || v > 10'000'000) {
        return error(field, "is " + std::to_string(v) + ", expected 0..10000000 (10 s)");
      }
    }
    return Status::Ok();
  }

  Status ValidateStep(const scenario::Step& s, const TextFormat::ParseInfoTree* tree,
                      const std::string& path, int32_t clients) {
    const Descriptor* d = s.GetDescriptor();
    auto error = [&](const char* field, const std::string& what) {
      return Error(tree, d->FindFieldByName(field), -1, path + "." + field, what);
    };
    if (s.client() < 0 || s.client() > clients) {
      return error("client", "is " + std::to_string(s.client()) + ", expected 1.." +
                                 std::to_string(clients) + " (cluster.clients; 0: 1)");
    }
    switch (s.op_case()) {
      case scenario::Step::kInsert:
      case scenario::Step::kUpsert:
      case scenario::Step::kDelete: {
        const char* field = s.has_insert() ? "insert" : s.has_upsert() ? "upsert" : "delete";
        const scenario::Rows& rows = s.has_insert()   ? s.insert()
                                     : s.has_upsert() ? s.upsert()
                                                      : s.delete_();
        if (rows.pks_size() == 0) return error(field, "must list at least one primary key");
        if (rows.pks_size() > 10'000) return error(field, "lists more than 10000 primary keys");
        break;
      }
      case scenario::Step::kSearch: {
        if (s.search().topk() < 0 || s.search().topk() > 16384) {
          return error("search",
                       "topk " + std::to_string(s.search().topk()) + ", expected 1..16384 (0: 10)");
        }
        if (s.search().nq() < 0 || s.search().nq() > 16) {
          return error("search",
                       "nq " + std::to_string(s.search().nq()) + ", expected 1..16 (0: 1)");
        }
        SIMVUS_RETURN_IF_ERROR(
            ValidateRead(error, "search", s.search().consistency(), s.search().filter()));
        break;
      }
      case scenario::Step::kCount:
        SIMVUS_RETURN_IF_ERROR(
            ValidateRead(error, "count", s.count().consistency(), s.count().filter()));
        break;
      case scenario::Step::kFlush:
        break;
      case scenario::Step::kSleepMs:
        if (s.sleep_ms() < 0 || s.sleep_ms() > 600'000) {
          return error("sleep_ms", "is " + std::to_string(s.sleep_ms()) + ", expected 0..600000");
        }
        break;
      case scenario::Step::OP_NOT_SET:
        return Error(tree, d->FindFieldByName("label"), -1, path,
                     "has no operation; expected one of insert, upsert, delete, search, count, "
                     "flush, sleep_ms");
    }
    return Status::Ok();
  }

  // A read's consistency level and its filter over the pk (the checker evaluates it too).
  template <typename ErrorFn>
  static Status ValidateRead(ErrorFn& error, const char* field, const std::string& level,
                             const std::string& filter) {
    if (!level.empty() && level != "STRONG" && level != "BOUNDED" && level != "SESSION" &&
        level != "EVENTUALLY") {
      return error(field,
                   "consistency '" + level + "', expected STRONG, BOUNDED, SESSION or EVENTUALLY");
    }
    if (!filter.empty()) {
      Result<expr::Predicate> compiled =
          expr::Predicate::Compile(filter, {{"pk", expr::ValueType::kInt64}});
      if (!compiled.ok()) {
        return error(field, "filter '" + filter + "': " + compiled.status().message() +
                                " (filters may name the primary key pk only)");
      }
    }
    return Status::Ok();
  }

  Status ValidateFault(const scenario::Fault& f, const TextFormat::ParseInfoTree* tree,
                       const std::string& path) {
    const Descriptor* d = f.GetDescriptor();
    auto error = [&](const char* field, int index, const std::string& what) {
      return Error(tree, d->FindFieldByName(field), index,
                   path + "." + field + (index >= 0 ? "[" + std::to_string(index) + "]" : ""),
                   what);
    };
    const faults::FaultKindInfo* info = faults::FindKind(f.kind());
    if (info == nullptr) {
      return error("kind", -1, "is '" + f.kind() + "', expected one of " + faults::KindNames());
    }
    if (f.at_ms() < 0 || f.at_ms() > kTimeLimitMsMax) {
      return error("at_ms", -1, "is " + std::to_string(f.at_ms()) + ", expected 0..3600000");
    }
    const std::string kind = "'" + f.kind() + "'";
    // Every parameter the kind does not take must be absent.
    if (!info->nodes && f.nodes_size() > 0) return error("nodes", 0, kind + " takes no nodes");
    if (!info->other_side && f.other_side_size() > 0) {
      return error("other_side", 0, "is for splits only");
    }
    if (!info->skew && f.skew_ms() != 0) return error("skew_ms", -1, "is for clock-skew only");
    if (!info->jump && f.jump_ms() != 0) return error("jump_ms", -1, "is for clock-jump only");
    if (!info->duration && f.duration_ms() != 0) {
      return error("duration_ms", -1, kind + " takes no duration_ms");
    }
    if (!info->probability && f.probability() != 0) {
      return error("probability", -1, kind + " takes no probability");
    }
    if (!info->delay && f.delay_ms() != 0) return error("delay_ms", -1, "is for link-delay only");
    if (!info->point && !f.point().empty()) return error("point", -1, "is for crash-at only");
    // And every parameter it takes must be there and in range.
    if (info->nodes && f.nodes_size() == 0) {
      return error("kind", -1, kind + " needs at least one node in `nodes`");
    }
    if (info->other_side && f.other_side_size() == 0) {
      return error("kind", -1, kind + " needs the other side in `other_side`");
    }
    if (info->duration && (f.duration_ms() < 1 || f.duration_ms() > 600'000)) {
      return error("duration_ms", -1,
                   "is " + std::to_string(f.duration_ms()) + ", expected 1..600000");
    }
    if (info->probability && !(f.probability() > 0 && f.probability() <= 1)) {
      return error("probability", -1,
                   "is " + std::to_string(f.probability()) + ", expected a value in (0, 1]");
    }
    if (info->delay && (f.delay_ms() < 1 || f.delay_ms() > 60'000)) {
      return error("delay_ms", -1, "is " + std::to_string(f.delay_ms()) + ", expected 1..60000");
    }
    if (f.skew_ms() < -3'600'000 || f.skew_ms() > 3'600'000) {
      return error("skew_ms", -1, "is " + std::to_string(f.skew_ms()) + ", expected +-3600000");
    }
    if (info->jump && (f.jump_ms() == 0 || f.jump_ms() < -3'600'000 || f.jump_ms() > 3'600'000)) {
      return error("jump_ms", -1,
                   "is " + std::to_string(f.jump_ms()) + ", expected a non-zero +-3600000");
    }
    if (info->point && !faults::IsCrashPoint(f.point())) {
      std::string list;
      for (const faults::NamedSite& p : faults::CrashPoints()) {
        list += (list.empty() ? "" : ", ") + std::string(p.name);
      }
      return error("point", -1, "no crash point '" + f.point() + "'; the points are " + list);
    }
    if (info->point && f.nodes_size() != 1) {
      return error("nodes", 0, kind + " takes exactly one node");
    }
    const roles::ClusterConfig config;
    std::set<std::string> known = {config.root_coord,
                                   config.data_coord,
                                   config.query_coord,
                                   config.index_coord,
                                   "kafka",
                                   "s3",
                                   "etcd"};
    for (const auto* names : {&config.data_nodes, &config.index_nodes}) {
      known.insert(names->begin(), names->end());
    }
    for (int i = 1; i <= 8; ++i) {
      known.insert("client-" + std::to_string(i));
      known.insert("querynode-" + std::to_string(i));
      if (i > 4) continue;
      for (const char* role : {"proxy-", "datanode-", "indexnode-"}) {
        known.insert(role + std::to_string(i));
      }
    }
    auto check_names = [&](const char* field,
                           const google::protobuf::RepeatedPtrField<std::string>& names) -> Status {
      for (int i = 0; i < names.size(); ++i) {
        if (!known.count(names[i])) {
          std::string list;
          for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
          return error(field, i, "no node '" + names[i] + "'; the nodes are " + list);
        }
      }
      return Status::Ok();
    };
    SIMVUS_RETURN_IF_ERROR(check_names("nodes", f.nodes()));
    SIMVUS_RETURN_IF_ERROR(check_names("other_side", f.other_side()));
    return Status::Ok();
  }

  const std::string& source_;
  const TextFormat::ParseInfoTree* root_;
};

proto::MetricType MetricOfName(const std::string& name) {
  if (name == "IP") return proto::METRIC_IP;
  if (name == "COSINE") return proto::METRIC_COSINE;
  return proto::METRIC_L2;
}

proto::ConsistencyLevel LevelOfName(const std::string& name) {
  if (name == "BOUNDED") return proto::BOUNDED;
  if (name == "EVENTUALLY") return proto::EVENTUALLY;
  if (name == "SESSION") return proto::SESSION;
  return proto::STRONG;
}

std::string StepLabel(const scenario::Step& step, int index) {
  return step.label().empty() ? "step " + std::to_string(index + 1) : step.label();
}

// The steps of client `number` (1-based), in file order.
Task<void> ClientSteps(std::shared_ptr<const scenario::ScenarioFile> file, int number,
                       Client& client, ScenarioContext& ctx, int32_t dim,
                       std::optional<Status>* outcome) {
  RetryingSteps steps{client, ctx, kCollection, dim};
  for (int i = 0; i < file->workload().steps_size(); ++i) {
    const scenario::Step& step = file->workload().steps(i);
    if ((step.client() == 0 ? 1 : step.client()) != number) continue;
    const std::string label = StepLabel(step, i);
    Status status = Status::Ok();
    switch (step.op_case()) {
      case scenario::Step::kInsert: {
        std::vector<int64_t> pks(step.insert().pks().begin(), step.insert().pks().end());
        status = co_await steps.InsertRows(label, std::move(pks));
        break;
      }
      case scenario::Step::kUpsert: {
        std::vector<int64_t> pks(step.upsert().pks().begin(), step.upsert().pks().end());
        status = co_await steps.UpsertRows(label, std::move(pks));
        break;
      }
      case scenario::Step::kDelete: {
        std::vector<int64_t> pks(step.delete_().pks().begin(), step.delete_().pks().end());
        status = co_await steps.DeleteRows(label, std::move(pks));
        break;
      }
      case scenario::Step::kSearch: {
        const int32_t topk = step.search().topk() == 0 ? 10 : step.search().topk();
        const proto::ConsistencyLevel level = LevelOfName(step.search().consistency());
        status = co_await steps.Search(label, level, topk, step.search().filter(),
                                       std::max(step.search().nq(), 1));
        break;
      }
      case scenario::Step::kCount:
        status = co_await steps.Count(label, LevelOfName(step.count().consistency()),
                                      step.count().filter());
        break;
      case scenario::Step::kFlush:
        status = co_await steps.Flush(label);
        break;
      case scenario::Step::kSleepMs:
        co_await client.env().clock->Sleep(Duration::Millis(step.sleep_ms()));
        break;
      case scenario::Step::OP_NOT_SET:
        break;  // rejected by validation
    }
    if (!status.ok()) {
      outcome->emplace(std::move(status));
      co_return;
    }
  }
  outcome->emplace(Status::Ok());
}

Task<Status> FileWorkload(std::shared_ptr<const scenario::ScenarioFile> file, Client& client,
                          ScenarioContext& ctx) {
  const scenario::Cluster& cluster = file->cluster();
  const int32_t dim = cluster.dim() == 0 ? 4 : cluster.dim();
  proto::CollectionSchema schema =
      PkVectorSchema(kCollection, dim, cluster.shards(), MetricOfName(cluster.metric()));
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  if (!cluster.index_type().empty()) {
    std::map<std::string, std::string> params = {{"index_type", cluster.index_type()}};
    if (cluster.index_type() == "HNSW") {
      params["M"] = "16";
      params["efConstruction"] = "64";
    }
    if (cluster.index_type() == "IVF_FLAT") params["nlist"] = "4";
    SIMVUS_CO_RETURN_IF_ERROR(co_await client.CreateIndex("create index " + cluster.index_type(),
                                                          kCollection, "vec", std::move(params)));
  }
  Status loaded =
      co_await client.LoadCollection(kCollection, cluster.replicas() == 0 ? 1 : cluster.replicas());
  if (!loaded.ok()) co_return loaded;

  // The nemesis counts from the first step.
  const faults::FaultSchedule schedule = ScheduleOf(file->nemesis());
  for (const faults::FaultAction& action : schedule.actions()) {
    ctx.say("nemesis plan: " + faults::Describe(action) + " at +" + ToString(action.at));
  }
  ctx.nemesis->set_buggify(file->nemesis().buggify());
  SIMVUS_CO_RETURN_IF_ERROR(ctx.nemesis->Install(schedule));
  const Duration workload_start = ctx.world->scheduler().elapsed();

  // One task per client, each running its own steps in order; the workload ends when all have.
  const int clients = static_cast<int>(ctx.clients.size());
  std::vector<std::optional<Status>> outcomes(static_cast<size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    ctx.clients[static_cast<size_t>(c)]->env().Spawn(
        ClientSteps(file, c + 1, *ctx.clients[static_cast<size_t>(c)], ctx, dim,
                    &outcomes[static_cast<size_t>(c)]));
  }
  for (;;) {
    bool all_done = true;
    for (const std::optional<Status>& o : outcomes) {
      if (!o) {
        all_done = false;
      } else if (!o->ok()) {
        co_return *o;
      }
    }
    if (all_done) break;
    co_await client.env().clock->Sleep(Duration::Millis(5));
  }

  // Heal, quiesce, final check: once the last fault has fired and its window closed, every
  // fault is undone, and one Strong read must then see every acknowledged row within
  // kLivenessBound.
  const Duration last_fault = workload_start + schedule.End();
  const Duration now = ctx.world->scheduler().elapsed();
  if (now < last_fault) {
    co_await client.env().clock->Sleep(last_fault - now + Duration::Millis(1));
  }
  ctx.say("heal: the network heals, paused nodes resume, crashed nodes restart, clocks agree");
  ctx.nemesis->HealAll();
  std::set<int64_t> inserted;
  for (const scenario::Step& step : file->workload().steps()) {
    inserted.insert(step.insert().pks().begin(), step.insert().pks().end());
    inserted.insert(step.upsert().pks().begin(), step.upsert().pks().end());
  }
  RetryingSteps final_steps{client, ctx, kCollection, dim};
  // Every row, up to Milvus's topk limit (16384): beyond it the read checks the best 16384.
  const int32_t everything = static_cast<int32_t>(std::clamp<size_t>(inserted.size(), 1, 16384));
  // Judged by CheckLivenessAfterHeal (and the checker), not returned: a read that cannot be
  // answered after the heal is a liveness failure, not a workload error.
  (void)co_await final_steps.Search(kFinalRead, proto::STRONG, everything);
  // Then everything goes to the object store, and the storage audit judges what is there.
  (void)co_await final_steps.Flush(kFinalFlush);
  co_return Status::Ok();
}

// The file scenarios' own check: the final read after the heal was answered within the bound.
reports::CheckResult CheckLivenessAfterHeal(const reports::History& history) {
  reports::CheckResult result;
  const reports::Operation* first = nullptr;
  const reports::Operation* answered = nullptr;
  for (const reports::Operation& op : history.ops()) {
    if (op.label != kFinalRead) continue;
    if (first == nullptr) first = &op;
    if (op.outcome == reports::Outcome::kOk) answered = &op;
  }
  if (answered == nullptr || answered->complete_at - first->invoke_at > kLivenessBound) {
    result.ok = false;
    result.invariant = "liveness";
    result.detail =
        std::string("after every fault healed, the final Strong read ") +
        (answered == nullptr ? "never succeeded"
                             : "took " + ToString(answered->complete_at - first->invoke_at)) +
        "; expected an answer within " + ToString(kLivenessBound);
    return result;
  }
  bool flushed = false;
  std::string error;
  for (const reports::Operation& op : history.ops()) {
    if (op.label != kFinalFlush) continue;
    flushed = flushed || op.outcome == reports::Outcome::kOk;
    error = op.error;
  }
  if (!flushed) {
    result.ok = false;
    result.invariant = "liveness";
    result.detail = "after every fault healed, the final flush did not complete: " + error;
  }
  return result;
}

}  // namespace

faults::FaultSchedule ScheduleOf(const scenario::Nemesis& nemesis) {
  faults::FaultSchedule schedule;
  for (const scenario::Fault& f : nemesis.faults()) {
    const faults::FaultKindInfo* info = faults::FindKind(f.kind());
    if (info == nullptr) continue;  // refused by validation
    faults::FaultAction a;
    a.at = Duration::Millis(f.at_ms());
    a.kind = info->kind;
    a.side_a.assign(f.nodes().begin(), f.nodes().end());
    a.side_b.assign(f.other_side().begin(), f.other_side().end());
    a.skew = Duration::Millis(f.skew_ms());
    a.jump = Duration::Millis(f.jump_ms());
    a.duration = Duration::Millis(f.duration_ms());
    a.probability = f.probability();
    a.delay = Duration::Millis(f.delay_ms());
    a.point = f.point();
    schedule.Add(std::move(a));
  }
  return schedule;
}

void AppendFaults(const faults::FaultSchedule& schedule, scenario::Nemesis* nemesis) {
  for (const faults::FaultAction& a : schedule.actions()) {
    const faults::FaultKindInfo& info = faults::InfoOf(a.kind);
    scenario::Fault* f = nemesis->add_faults();
    f->set_at_ms(a.at.millis());
    f->set_kind(info.name);
    for (const std::string& n : a.side_a) f->add_nodes(n);
    for (const std::string& n : a.side_b) f->add_other_side(n);
    if (info.skew) f->set_skew_ms(a.skew.millis());
    if (info.jump) f->set_jump_ms(a.jump.millis());
    if (info.duration) f->set_duration_ms(a.duration.millis());
    if (info.probability) f->set_probability(a.probability);
    if (info.delay) f->set_delay_ms(a.delay.millis());
    if (info.point) f->set_point(a.point);
  }
}

Result<scenario::ScenarioFile> ParseScenarioFile(std::string_view text, const std::string& source) {
  scenario::ScenarioFile file;
  TextFormat::Parser parser;
  Collector errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  const std::string owned(text);
  if (!parser.ParseFromString(owned, &file)) {
    return InvalidArgument(
        source + ":" +
        (errors.first().empty() ? std::string("1:1: cannot parse") : errors.first()));
  }
  SIMVUS_RETURN_IF_ERROR(Validator(source, &tree).Validate(file));
  return file;
}

Scenario ScenarioFromFile(const scenario::ScenarioFile& file, const std::string& path) {
  auto shared = std::make_shared<const scenario::ScenarioFile>(file);
  Scenario s;
  s.name = path;
  s.description = file.description().empty() ? "scenario file " + path : file.description();
  s.setup = [shared](sim::WorldOptions& world, roles::ClusterConfig& config, Rng&) {
    const scenario::Cluster& c = shared->cluster();
    config.query_nodes.clear();
    for (int i = 1; i <= std::max(1, c.query_nodes()); ++i) {
      config.query_nodes.push_back("querynode-" + std::to_string(i));
    }
    config.proxies.clear();
    for (int i = 1; i <= std::max(1, c.proxies()); ++i) {
      config.proxies.push_back("proxy-" + std::to_string(i));
    }
    config.data_nodes.clear();
    for (int i = 1; i <= std::max(1, c.data_nodes()); ++i) {
      config.data_nodes.push_back("datanode-" + std::to_string(i));
    }
    config.index_nodes.clear();
    for (int i = 1; i <= (c.index_nodes() == 0 ? 2 : c.index_nodes()); ++i) {
      config.index_nodes.push_back("indexnode-" + std::to_string(i));
    }
    if (c.latency_base_us() > 0) world.link.latency_base = Duration::Micros(c.latency_base_us());
    world.link.latency_jitter_mean = Duration::Micros(c.latency_jitter_mean_us());
  };
  s.workload = [shared](Client& client, ScenarioContext& ctx) {
    return FileWorkload(shared, client, ctx);
  };
  if (file.time_limit_ms() > 0) s.time_limit = Duration::Millis(file.time_limit_ms());
  s.clients = file.cluster().clients() == 0 ? 1 : file.cluster().clients();
  s.approximate_search =
      file.cluster().index_type() == "HNSW" || file.cluster().index_type() == "IVF_FLAT";
  s.check = CheckLivenessAfterHeal;
  s.audit = AuditFlushed(kCollection);
  return s;
}

Result<Scenario> LoadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot read the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  Result<scenario::ScenarioFile> file = ParseScenarioFile(text.str(), path);
  if (!file.ok()) return file.status();
  return ScenarioFromFile(*file, path);
}

}  // namespace simvus::scenarios
