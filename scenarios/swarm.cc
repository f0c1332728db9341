#include "scenarios/swarm.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <vector>

#include "components/env/check.h"
#include "components/env/rng.h"
#include "scenarios/scenario_file.h"

namespace simvus::scenarios {
namespace {

// The read path, drawn from its own stream so that the rest of a seed's file stays as it was:
// 1-3 query nodes, 1-2 proxies, sometimes 2 replicas; some searches filtered or at Session level,
// some turned into count(*); sometimes a query node or QueryCoord crashes and restarts.
void AddReadPath(Rng rng, scenario::ScenarioFile& file, int64_t span_ms) {
  scenario::Cluster* cluster = file.mutable_cluster();
  const int32_t query_nodes = static_cast<int32_t>(rng.UniformInt(1, 3));
  cluster->set_query_nodes(query_nodes);
  cluster->set_proxies(static_cast<int32_t>(rng.UniformInt(1, 2)));
  cluster->set_replicas(query_nodes >= 2 && rng.Bernoulli(0.3) ? 2 : 1);
  static const char* kFilters[] = {"pk % 2 == 0", "pk < 10", "pk in [1, 3, 5, 7]", "pk >= 3"};
  for (scenario::Step& step : *file.mutable_workload()->mutable_steps()) {
    if (!step.has_search()) continue;
    const std::string filter = rng.Bernoulli(0.25) ? kFilters[rng.UniformInt(0, 3)] : "";
    const bool session = rng.Bernoulli(0.15);
    if (rng.Bernoulli(0.25)) {
      const std::string level = session ? "SESSION" : step.search().consistency();
      scenario::Count* count = step.mutable_count();  // replaces the search
      count->set_consistency(level);
      count->set_filter(filter);
      continue;
    }
    step.mutable_search()->set_filter(filter);
    if (session) step.mutable_search()->set_consistency("SESSION");
  }
  auto add = [&file](int64_t at, const char* kind, const std::string& node) {
    scenario::Fault* f = file.mutable_nemesis()->add_faults();
    f->set_at_ms(at);
    f->set_kind(kind);
    f->add_nodes(node);
  };
  if (rng.Bernoulli(0.35)) {
    // A query node dies holding delegators and sealed segments: QueryCoord moves them, or gives
    // them back when it restarts (a new session).
    const std::string node = "querynode-" + std::to_string(rng.UniformInt(1, query_nodes));
    const int64_t start = rng.UniformInt(0, span_ms);
    add(start, "crash", node);
    add(start + rng.UniformInt(100, 3000), "restart", node);
  }
  if (rng.Bernoulli(0.1)) {
    const int64_t start = rng.UniformInt(0, span_ms);
    add(start, "crash", "querycoord");
    add(start + rng.UniformInt(100, 3000), "restart", "querycoord");
  }
}

bool EndsAFault(const scenario::Fault& f) {
  return f.kind() == "heal" || f.kind() == "resume" || f.kind() == "restart" ||
         f.kind() == "release";
}

// The index of the fault that ends fault i (the first later heal for a split or isolation; the
// first later resume / restart / release of the same nodes for a pause / crash / hold), or -1.
int EndingOf(const scenario::Nemesis& nemesis, int i) {
  const scenario::Fault& f = nemesis.faults(i);
  std::string ending;
  if (f.kind() == "split" || f.kind() == "split-one-way" || f.kind() == "isolate") ending = "heal";
  if (f.kind() == "pause") ending = "resume";
  if (f.kind() == "crash") ending = "restart";
  if (f.kind() == "hold") ending = "release";
  if (ending.empty()) return -1;
  int best = -1;
  for (int j = 0; j < nemesis.faults_size(); ++j) {
    const scenario::Fault& g = nemesis.faults(j);
    if (j == i || g.kind() != ending || g.at_ms() < f.at_ms()) continue;
    if (ending != "heal" && (g.nodes_size() != f.nodes_size() ||
                             !std::equal(g.nodes().begin(), g.nodes().end(), f.nodes().begin()))) {
      continue;
    }
    if (best < 0 || g.at_ms() < nemesis.faults(best).at_ms()) best = j;
  }
  return best;
}

// Fault i ends a fault still in the schedule (then it goes only with that fault).
bool EndsAnOpenFault(const scenario::Nemesis& nemesis, int i) {
  if (!EndsAFault(nemesis.faults(i))) return false;
  for (int j = 0; j < nemesis.faults_size(); ++j) {
    if (j != i && EndingOf(nemesis, j) == i) return true;
  }
  return false;
}

int64_t ShardsOf(const scenario::ScenarioFile& f) {
  return f.cluster().shards() == 0 ? 1 : f.cluster().shards();
}

}  // namespace

scenario::ScenarioFile DrawScenarioFile(uint64_t seed) {
  Rng rng = Rng(seed).Fork("swarm/scenario");
  scenario::ScenarioFile file;
  file.set_description("swarm seed " + std::to_string(seed));
  scenario::Cluster* cluster = file.mutable_cluster();
  cluster->set_shards(static_cast<int32_t>(rng.UniformInt(1, 4)));
  cluster->set_dim(static_cast<int32_t>(rng.UniformInt(2, 8)));
  static const char* kMetrics[] = {"L2", "IP", "COSINE"};
  cluster->set_metric(kMetrics[rng.UniformInt(0, 2)]);
  // Half the seeds a LAN, half a slow, jittery link where messages stay in flight for longer and
  // overtake each other (a time tick can then pass a write on its way to the log).
  const bool slow = rng.Bernoulli(0.5);
  cluster->set_latency_base_us(slow ? rng.UniformInt(1000, 10000) : rng.UniformInt(100, 2000));
  cluster->set_latency_jitter_mean_us(slow ? rng.UniformInt(5000, 40000) : rng.UniformInt(0, 1000));
  const int32_t clients = static_cast<int32_t>(rng.UniformInt(1, 4));
  cluster->set_clients(clients);

  std::vector<int64_t> live;  // inserted and not yet deleted, oldest first
  int64_t next_pk = 1;
  const int steps = static_cast<int>(rng.UniformInt(6, 30));
  int64_t span_ms = 0;
  for (int i = 0; i < steps; ++i) {
    scenario::Step* step = file.mutable_workload()->add_steps();
    step->set_client(static_cast<int32_t>(rng.UniformInt(1, clients)));
    const int64_t choice = rng.UniformInt(0, 9);
    if (choice == 3 && !live.empty()) {
      const int64_t pk =
          live[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(live.size()) - 1))];
      if (rng.Bernoulli(0.5)) {
        // A second version of a live row: insert never dedups, so reads must reduce by pk.
        step->mutable_insert()->add_pks(pk);
        step->set_label("insert " + std::to_string(pk) + " again");
      } else {
        // An upsert: its delete and insert share one ts, and the new version must stay visible.
        step->mutable_upsert()->add_pks(pk);
        step->set_label("upsert " + std::to_string(pk));
      }
    } else if (choice < 4 || live.empty()) {
      const int64_t rows = rng.UniformInt(1, 4);
      for (int64_t r = 0; r < rows; ++r) {
        step->mutable_insert()->add_pks(next_pk);
        live.push_back(next_pk++);
      }
      step->set_label("insert " + std::to_string(step->insert().pks(0)) + ".." +
                      std::to_string(next_pk - 1));
    } else if (choice < 6) {
      // Most deletes hit the newest row, where a stale read or a lost delete shows first.
      const size_t victim =
          rng.Bernoulli(0.6)
              ? live.size() - 1
              : static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(live.size()) - 1));
      step->mutable_delete_()->add_pks(live[victim]);
      step->set_label("delete " + std::to_string(live[victim]));
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
    } else if (choice < 9) {
      scenario::Search* search = step->mutable_search();
      const int64_t level = rng.UniformInt(0, 9);
      search->set_consistency(level < 7 ? "STRONG" : level < 9 ? "EVENTUALLY" : "BOUNDED");
      search->set_topk(static_cast<int32_t>(rng.UniformInt(1, 10)));
      step->set_label("Q" + std::to_string(i + 1));
    } else if (rng.Bernoulli(0.3)) {
      step->mutable_flush();
      step->set_label("flush " + std::to_string(i + 1));
    } else {
      step->set_sleep_ms(rng.UniformInt(0, 300));
      span_ms += step->sleep_ms();
    }
    span_ms += 20;  // a step takes a few simulated milliseconds at least
  }
  const int64_t windows = rng.UniformInt(0, 3);
  for (int64_t w = 0; w < windows; ++w) {
    faults::FaultSchedule window;
    faults::DrawFaultWindow(rng, span_ms, window);
    AppendFaults(window, file.mutable_nemesis());
  }
  AddReadPath(Rng(seed).Fork("swarm/read-path"), file, span_ms);
  // A fifth of the searches carry 2-4 query vectors in one request (Milvus's nq): the batch is
  // scanned once per segment and reduced per query, and each query is checked on its own.
  // An eighth of the seeds use a wider vector (9-48 floats), so that batches run every part of
  // the batched kernel (16 and 8 floats at a time, and the scalar rest).
  Rng batches = Rng(seed).Fork("swarm/nq");
  if (batches.Bernoulli(0.125)) cluster->set_dim(static_cast<int32_t>(batches.UniformInt(9, 48)));
  for (scenario::Step& step : *file.mutable_workload()->mutable_steps()) {
    if (step.has_search() && batches.Bernoulli(0.2)) {
      step.mutable_search()->set_nq(static_cast<int32_t>(batches.UniformInt(2, 4)));
    }
  }
  // The rest of the catalogue and buggify, from their own stream (older draws stay as they were).
  Rng extra = Rng(seed).Fork("swarm/faults");
  faults::DrawSpace space;
  space.span_ms = span_ms;
  space.query_nodes = std::max(1, cluster->query_nodes());
  space.proxies = std::max(1, cluster->proxies());
  faults::FaultSchedule more;
  faults::DrawExtraFaults(extra.Fork("draw"), space, more);
  AppendFaults(more, file.mutable_nemesis());
  file.mutable_nemesis()->set_buggify(extra.Bernoulli(0.3));
  // An index for about half the seeds: sealed segments then go through index builds (and their
  // faults), and HNSW / IVF searches are held to a recall floor instead of the exact top-k.
  Rng index = Rng(seed).Fork("swarm/index");
  const int64_t kind = index.UniformInt(0, 9);
  if (kind < 3) cluster->set_index_type("HNSW");
  if (kind == 3 || kind == 4) cluster->set_index_type("IVF_FLAT");
  if (kind == 5) cluster->set_index_type("FLAT");
  return file;
}

RunReport RunScenarioFile(const scenario::ScenarioFile& file, const std::string& name,
                          uint64_t seed, roles::ClusterConfig::InjectedBug bug) {
  const Scenario scenario = ScenarioFromFile(file, name);
  RunOptions options;
  options.seed = seed;
  options.injected_bug = bug;
  return RunScenario(scenario, options);
}

ShrinkResult Shrink(const scenario::ScenarioFile& file, uint64_t seed,
                    roles::ClusterConfig::InjectedBug bug) {
  ShrinkResult result;
  result.steps_before = file.workload().steps_size();
  result.faults_before = file.nemesis().faults_size();
  RunReport first = RunScenarioFile(file, "shrink", seed, bug);
  ++result.runs;
  if (first.pass) return result;
  result.failed = true;
  result.invariant = first.invariant;
  scenario::ScenarioFile best = file;
  // A candidate must fail the same invariant; with an injected bug it must also pass without it,
  // so that shrinking cannot drift to a different failure (a one-way split left without its heal
  // fails the workload with or without the bug).
  auto still_fails = [&](const scenario::ScenarioFile& candidate) {
    ++result.runs;
    RunReport r = RunScenarioFile(candidate, "shrink", seed, bug);
    if (r.pass || r.invariant != result.invariant) return false;
    if (bug == roles::ClusterConfig::InjectedBug::kNone) return true;
    ++result.runs;
    return RunScenarioFile(candidate, "shrink", seed, roles::ClusterConfig::InjectedBug::kNone)
        .pass;
  };
  // Passes until nothing more can go (each removal can enable another), at most five.
  for (int pass = 0; pass < 5; ++pass) {
    const int size_before = best.workload().steps_size() + best.nemesis().faults_size();
    const int64_t shards_before = ShardsOf(best);
    // 1. Faults, one at a time, each with the fault that ends it (a split with its heal, a pause
    //    with its resume, ...): an ending is never removed alone, which would leave a fault
    //    open forever and fail the run for another reason.
    for (int i = best.nemesis().faults_size() - 1; i >= 0; --i) {
      if (i >= best.nemesis().faults_size() || EndsAnOpenFault(best.nemesis(), i)) continue;
      scenario::ScenarioFile candidate = best;
      const int partner = EndingOf(candidate.nemesis(), i);
      auto* faults = candidate.mutable_nemesis()->mutable_faults();
      if (partner > i) faults->DeleteSubrange(partner, 1);
      faults->DeleteSubrange(i, 1);
      if (partner >= 0 && partner < i) faults->DeleteSubrange(partner, 1);
      if (still_fails(candidate)) best = std::move(candidate);
    }
    // 2. Runs of steps, from halves down to single steps (ddmin's complement removal).
    for (int chunk = std::max(1, best.workload().steps_size() / 2); chunk >= 1; chunk /= 2) {
      for (int start = best.workload().steps_size() - chunk; start >= 0; start -= chunk) {
        if (best.workload().steps_size() <= 1) break;
        scenario::ScenarioFile candidate = best;
        const int n = std::min(chunk, candidate.workload().steps_size() - start);
        if (n >= candidate.workload().steps_size()) continue;  // keep at least one step
        candidate.mutable_workload()->mutable_steps()->DeleteSubrange(start, n);
        if (still_fails(candidate)) best = std::move(candidate);
      }
    }
    // 3. The cluster: one shard if that still fails.
    if (ShardsOf(best) > 1) {
      scenario::ScenarioFile candidate = best;
      candidate.mutable_cluster()->set_shards(1);
      if (still_fails(candidate)) best = std::move(candidate);
    }
    if (best.workload().steps_size() + best.nemesis().faults_size() == size_before &&
        ShardsOf(best) == shards_before) {
      break;
    }
  }
  result.minimal = std::move(best);
  result.steps_after = result.minimal.workload().steps_size();
  result.faults_after = result.minimal.nemesis().faults_size();
  return result;
}

std::string ShrunkFileText(const ShrinkResult& result, uint64_t seed,
                           roles::ClusterConfig::InjectedBug bug, const std::string& path) {
  std::string text;
  SIMVUS_CHECK(google::protobuf::TextFormat::PrintToString(result.minimal, &text), "print");
  std::string command = "simvus run " + path + " --seed " + std::to_string(seed);
  if (bug != roles::ClusterConfig::InjectedBug::kNone) {
    command += " --inject-bug " + InjectedBugName(bug);
  }
  return "# Shrunk by `simvus shrink --seed " + std::to_string(seed) +
         (bug != roles::ClusterConfig::InjectedBug::kNone ? " --inject-bug " + InjectedBugName(bug)
                                                          : std::string()) +
         "`: fails invariant " + result.invariant + " with " + std::to_string(result.steps_after) +
         " of " + std::to_string(result.steps_before) + " steps and " +
         std::to_string(result.faults_after) + " of " + std::to_string(result.faults_before) +
         " faults (" + std::to_string(result.runs) + " runs).\n# Replay: " + command + "\n" + text;
}

}  // namespace simvus::scenarios
