// simvus: the command line.
//
//   simvus list
//   simvus run <scenario|FILE.textproto> --seed N [--trace FILE] [--verbose] [--quiet]
//              [--report DIR]
//   simvus check-determinism <scenario|FILE.textproto> --seeds A..B
//   simvus swarm --seeds A..B [--jobs N] [--shard K/N] [--inject-bug B] [--out FILE.jsonl]
//                [--recheck-every K]
//   simvus shrink --seed N [--inject-bug B] --out FILE.textproto
//   simvus up --dir DIR [--port 19530] [--query-nodes N] [--single-process] [--detach]
//             [--inject-bug BUG]
//   simvus down --dir DIR
//   simvus restart ROLE --dir DIR
//   simvus serve --config FILE --role NAME[,NAME...]|all
//   simvus tour list | <chapter> [--seed N] [--lang en|zh] [--no-pause] [--set KEY=VALUE]...
//                                [--report DIR]
//
// Exit codes: 0 pass, 1 a run failed (or runs diverged), 2 bad usage.
#include <google/protobuf/text_format.h>
#include <malloc.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/narrator.h"
#include "reports/report_json.h"
#include "scenarios/bench/bench_command.h"
#include "scenarios/cli_parse.h"
#include "scenarios/determinism_check.h"
#include "scenarios/real_command.h"
#include "scenarios/report_command.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/server/cluster_commands.h"
#include "scenarios/server/serve_command.h"
#include "scenarios/swarm.h"
#include "scenarios/swarm_coverage.h"
#include "scenarios/tours/tour_command.h"

namespace simvus::scenarios {
namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

int UsageError(const std::string& message) {
  std::fprintf(stderr, "simvus: %s\n(see `simvus --help`, or `simvus <command> --help`)\n",
               message.c_str());
  return kExitUsage;
}

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// A path rather than a built-in name: it has a '/' or a '.', or it exists.
bool LooksLikeAFile(const std::string& arg) {
  return arg.find('/') != std::string::npos || arg.find('.') != std::string::npos ||
         std::ifstream(arg).good();
}

const Scenario* RequireScenario(const std::string& name);

// A scenario is a built-in name or a scenario file (scenarios/files/ has examples); a file is
// loaded into *holder. nullptr (the reason printed) when neither.
const Scenario* ResolveScenario(const std::string& arg, std::optional<Scenario>* holder) {
  if (const Scenario* builtin = FindScenario(arg)) return builtin;
  if (!LooksLikeAFile(arg)) return RequireScenario(arg);
  Result<Scenario> loaded = LoadScenarioFile(arg);
  if (!loaded.ok()) {
    std::fprintf(stderr, "simvus: %s\n", loaded.status().message().c_str());
    return nullptr;
  }
  *holder = std::move(*loaded);
  return &**holder;
}

const Scenario* RequireScenario(const std::string& name) {
  const Scenario* s = FindScenario(name);
  if (s == nullptr) {
    std::string known;
    for (const Scenario& each : AllScenarios()) known += (known.empty() ? "" : ", ") + each.name;
    std::fprintf(stderr,
                 "simvus: unknown scenario '%s'; known scenarios: %s (see `simvus list`), or a "
                 "scenario file such as scenarios/files/querynode-pause.textproto\n",
                 name.c_str(), known.c_str());
  }
  return s;
}

int List() {
  for (const Scenario& s : AllScenarios()) {
    std::printf("%-20s %s\n", s.name.c_str(), s.description.c_str());
  }
  return kExitPass;
}

// simvus run: the options as CLI11 parsed them (flags in AddCommands).
struct RunArgs {
  std::string scenario;
  std::optional<uint64_t> seed;
  std::string trace_path, report_dir, backend = "sim", bug = "";
  bool verbose = false, quiet = false, processes = false;
};

int Run(RunArgs args) {
  std::optional<uint64_t> seed = args.seed;
  const std::string& trace_path = args.trace_path;
  const std::string& report_dir = args.report_dir;
  const bool verbose = args.verbose, quiet = args.quiet, processes = args.processes;
  const bool real_backend = args.backend == "real";
  const roles::ClusterConfig::InjectedBug bug =
      ParseInjectedBug(args.bug).value_or(roles::ClusterConfig::InjectedBug::kNone);
  if (!seed && real_backend) seed = 1;  // workload streams only: a real run is not replayable
  if (!seed) return UsageError("run: --seed N is required");
  std::optional<Scenario> from_file;
  const Scenario* scenario = ResolveScenario(args.scenario, &from_file);
  if (scenario == nullptr) return kExitUsage;

  std::ofstream trace_file;
  if (!trace_path.empty()) {
    trace_file.open(trace_path);
    if (!trace_file) return UsageError("--trace: cannot write '" + trace_path + "'");
  }
  if (!report_dir.empty()) {
    if (std::optional<std::string> error = PrepareReportDir(report_dir)) return UsageError(*error);
  }
  RunOptions options;
  options.seed = *seed;
  options.injected_bug = bug;
  options.on_event = [&](const sim::RecordedEvent& e) {
    if (!quiet && (verbose || e.event.level == TraceLevel::kStep)) {
      std::cout << reports::NarrateLine(e.at, e.event) << "\n";
    }
    if (trace_file) trace_file << reports::EventJson({e.index, e.at, e.event}) << "\n";
  };
  options.on_say = [&](Duration, const std::string& line) {
    if (!quiet) std::cout << "\n>>> " << line << "\n\n";
  };
  if (processes && !real_backend) return UsageError("--processes needs --backend real");
  if (!report_dir.empty()) EnableReport(options);
  if (real_backend) return RunRealCommand(*scenario, options, quiet, processes, report_dir);
  if (!quiet) {
    std::cout << "simvus: scenario '" << scenario->name << "' seed " << *seed << ": "
              << scenario->description << "\n";
    if (bug != roles::ClusterConfig::InjectedBug::kNone) {
      std::cout << "simvus: injected bug '" << InjectedBugName(bug)
                << "' is ON: the checker is expected to catch it\n";
    }
    std::cout << "\n";
  }
  RunReport report = RunScenario(*scenario, options);
  std::cout.flush();
  if (!report_dir.empty()) {
    const Status written = WriteRunReport(report_dir, args.scenario, *scenario, options, report);
    if (!written.ok()) {
      std::fprintf(stderr, "simvus: the report was not written: %s\n", written.ToString().c_str());
    } else if (!quiet) {
      std::printf("report: %s/report.html (and report.json, summary.md)\n", report_dir.c_str());
    }
  }
  if (report.pass) {
    std::printf("verdict: PASS seed=%llu events=%llu sim_time=%s trace_hash=%s\n",
                static_cast<unsigned long long>(report.seed),
                static_cast<unsigned long long>(report.events), ToString(report.sim_time).c_str(),
                Hex(report.trace_hash).c_str());
    return kExitPass;
  }
  std::printf("verdict: FAIL seed=%llu events=%llu sim_time=%s trace_hash=%s invariant=%s\n",
              static_cast<unsigned long long>(report.seed),
              static_cast<unsigned long long>(report.events), ToString(report.sim_time).c_str(),
              Hex(report.trace_hash).c_str(), report.invariant.c_str());
  std::printf("  %s\n", report.detail.c_str());
  std::printf("reproduce: %s\n", ReproCommand(scenario->name, report.seed, bug).c_str());
  return kExitFail;
}

int CheckDeterminismCommand(const std::string& scenario_arg, std::pair<uint64_t, uint64_t> seeds) {
  const std::optional<uint64_t> first = seeds.first, last = seeds.second;
  std::optional<Scenario> from_file;
  const Scenario* scenario = ResolveScenario(scenario_arg, &from_file);
  if (scenario == nullptr) return kExitUsage;

  const uint64_t total = *last - *first + 1;
  auto progress = [](const DeterminismProgress& p) {
    if (p.done % 10 != 0 && p.done != p.total) return;
    std::printf("[%llu/%llu] seeds %llu..%llu identical (last: %llu events, hash %s)\n",
                static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                static_cast<unsigned long long>(p.first_seed),
                static_cast<unsigned long long>(p.last_seed_done),
                static_cast<unsigned long long>(p.last_events), Hex(p.last_trace_hash).c_str());
    std::fflush(stdout);
  };
  if (std::optional<Divergence> d = CheckDeterminism(*scenario, *first, *last, progress)) {
    std::fputs(DescribeDivergence(scenario->name, *d).c_str(), stdout);
    return kExitFail;
  }
  std::printf("determinism: all %llu seeds matched (each run twice, identical traces)\n",
              static_cast<unsigned long long>(total));
  return kExitPass;
}

// "A..B" -> (A, B); nullopt unless both are integers with A <= B.
std::optional<std::pair<uint64_t, uint64_t>> ParseSeedRange(const std::string& range) {
  const size_t dots = range.find("..");
  if (dots == std::string::npos) return std::nullopt;
  std::optional<uint64_t> a = ParseSeed(range.substr(0, dots));
  std::optional<uint64_t> b = ParseSeed(range.substr(dots + 2));
  if (!a || !b || *a > *b) return std::nullopt;
  return std::make_pair(*a, *b);
}

std::string BugFlag(roles::ClusterConfig::InjectedBug bug) {
  return bug == roles::ClusterConfig::InjectedBug::kNone ? ""
                                                         : " --inject-bug " + InjectedBugName(bug);
}

// The host's clock, for the swarm's progress rates only: the CLI's own reporting, never a
// simulated path (runs see only simulated time).
using WallClock = std::chrono::steady_clock;  // determinism-ok: progress rates only

double WallSecondsSince(WallClock::time_point start) {
  return std::max(1e-9, std::chrono::duration<double>(WallClock::now() - start).count());
}

// One swarm seed's result, and the JSON line that carries it (to --out, and from a --jobs child).
struct SeedResult {
  uint64_t seed = 0;
  bool pass = false;
  bool rechecked = false, nondeterministic = false;
  std::string invariant;
  uint64_t events = 0;
  int64_t sim_ns = 0;
  SwarmCoverage coverage;
  std::string json;
};

SeedResult RunSwarmSeed(uint64_t seed, roles::ClusterConfig::InjectedBug bug,
                        uint64_t recheck_every) {
  SeedResult result;
  result.seed = seed;
  const std::string name = "swarm seed " + std::to_string(seed);
  const RunReport r = RunScenarioFile(DrawScenarioFile(seed), name, seed, bug);
  result.pass = r.pass;
  result.invariant = r.invariant;
  result.events = r.events;
  result.sim_ns = r.sim_time.ns;
  result.coverage.Add(r);
  std::string divergence;
  if (recheck_every > 0 && seed % recheck_every == 0) {
    result.rechecked = true;
    if (std::optional<Divergence> d =
            CheckDeterminism(ScenarioFromFile(DrawScenarioFile(seed), name), seed, seed)) {
      result.nondeterministic = true;
      divergence = DescribeDivergence(name, *d);
      if (result.pass) {
        result.pass = false;
        result.invariant = "nondeterminism";
      }
    }
  }
  nlohmann::ordered_json line = {{"seed", seed},
                                 {"pass", result.pass},
                                 {"invariant", result.invariant},
                                 {"detail", r.detail},
                                 {"events", r.events},
                                 {"sim_time_ns", r.sim_time.ns},
                                 {"trace_hash", Hex(r.trace_hash)},
                                 {"bug", InjectedBugName(bug)},
                                 {"rechecked", result.rechecked},
                                 {"divergence", divergence},
                                 {"coverage", result.coverage.Encode()}};
  result.json = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return result;
}

// Reads back the fields the summary needs from a line RunSwarmSeed wrote.
std::optional<SeedResult> ParseSeedLine(const std::string& line) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("seed") || !j.contains("events") ||
      !j.contains("sim_time_ns")) {
    return std::nullopt;
  }
  SeedResult r;
  r.seed = j.value("seed", uint64_t{0});
  r.pass = j.value("pass", false);
  r.rechecked = j.value("rechecked", false);
  r.nondeterministic = r.rechecked && !j.value("divergence", std::string()).empty();
  r.invariant = j.value("invariant", std::string());
  r.coverage = SwarmCoverage::Decode(j.value("coverage", std::string()));
  r.events = j.value("events", uint64_t{0});
  r.sim_ns = j.value("sim_time_ns", int64_t{0});
  r.json = line;
  return r;
}

// Runs `seeds` in `jobs` child processes (each writes its JSON lines to a pipe) and hands every
// result to `on_result` as it arrives. false if a child could not be started or died.
bool RunInChildren(const std::vector<uint64_t>& seeds, uint64_t jobs,
                   roles::ClusterConfig::InjectedBug bug, uint64_t recheck_every,
                   const std::function<void(const SeedResult&)>& on_result) {
  std::fflush(stdout);
  std::vector<pid_t> children;
  std::vector<FILE*> pipes;
  for (uint64_t j = 0; j < jobs; ++j) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {  // child j: every jobs-th seed from index j
      close(fds[0]);
      FILE* out = fdopen(fds[1], "w");
      for (size_t i = j; i < seeds.size(); i += jobs) {
        std::fprintf(out, "%s\n", RunSwarmSeed(seeds[i], bug, recheck_every).json.c_str());
        std::fflush(out);
      }
      std::fclose(out);
      _exit(0);
    }
    close(fds[1]);
    children.push_back(pid);
    pipes.push_back(fdopen(fds[0], "r"));
  }
  std::vector<pollfd> polls;
  for (FILE* f : pipes) polls.push_back({fileno(f), POLLIN, 0});
  size_t open_pipes = pipes.size();
  std::vector<std::string> partial(pipes.size());
  while (open_pipes > 0) {
    if (poll(polls.data(), polls.size(), -1) < 0) return false;
    for (size_t k = 0; k < polls.size(); ++k) {
      if (polls[k].fd < 0 || !(polls[k].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      const ssize_t n = read(polls[k].fd, buf, sizeof(buf));
      if (n <= 0) {
        polls[k].fd = -1;
        --open_pipes;
        continue;
      }
      partial[k].append(buf, static_cast<size_t>(n));
      for (size_t nl; (nl = partial[k].find('\n')) != std::string::npos;) {
        if (std::optional<SeedResult> r = ParseSeedLine(partial[k].substr(0, nl))) on_result(*r);
        partial[k].erase(0, nl + 1);
      }
    }
  }
  bool ok = true;
  for (size_t k = 0; k < children.size(); ++k) {
    int status = 0;
    waitpid(children[k], &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::fclose(pipes[k]);
  }
  return ok;
}

// simvus swarm --seeds A..B [--jobs N] [--shard K/N] [--inject-bug B] [--out FILE.jsonl]
//              [--recheck-every K]
struct SwarmArgs {
  std::pair<uint64_t, uint64_t> range;
  uint64_t shard = 1, shards = 1, jobs = 1;
  // Every K-th seed run twice more with full traces compared (FoundationDB re-runs 5%).
  uint64_t recheck_every = 20;
  std::string out_path, bug;
};

int Swarm(const SwarmArgs& args) {
  const std::optional<std::pair<uint64_t, uint64_t>> range = args.range;
  const uint64_t shard = args.shard, shards = args.shards, jobs = args.jobs;
  const uint64_t recheck_every = args.recheck_every;
  const std::string& out_path = args.out_path;
  const roles::ClusterConfig::InjectedBug bug =
      ParseInjectedBug(args.bug).value_or(roles::ClusterConfig::InjectedBug::kNone);
  std::ofstream out;
  if (!out_path.empty()) {
    out.open(out_path);
    if (!out) return UsageError("--out: cannot write '" + out_path + "'");
  }
  std::vector<uint64_t> seeds;
  for (uint64_t seed = range->first; seed <= range->second; ++seed) {
    if ((seed - 1) % shards == shard - 1) seeds.push_back(seed);
  }
  const WallClock::time_point started = WallClock::now();
  std::map<std::string, std::set<uint64_t>> failures;  // invariant -> seeds
  std::map<uint64_t, std::string> lines;               // --out, in seed order
  uint64_t done = 0, events = 0, rechecked = 0;
  int64_t sim_ns = 0;
  SwarmCoverage coverage;
  auto on_result = [&](const SeedResult& r) {
    ++done;
    coverage.Merge(r.coverage);
    events += r.events;
    sim_ns += r.sim_ns;
    rechecked += r.rechecked ? 1 : 0;
    if (!r.pass) failures[r.invariant].insert(r.seed);
    if (r.nondeterministic) failures["nondeterminism"].insert(r.seed);
    if (out) lines[r.seed] = r.json;
    if (done % 50 == 0 || done == seeds.size()) {
      uint64_t failed = 0;
      for (const auto& [invariant, list] : failures) failed += list.size();
      const double wall_s = WallSecondsSince(started);
      std::printf(
          "[%llu seeds of %zu] %llu failed, %llu events, %.1f s simulated | %.0f seeds/s, %.2f M "
          "events/s, %.0fx real time\n",
          static_cast<unsigned long long>(done), seeds.size(),
          static_cast<unsigned long long>(failed), static_cast<unsigned long long>(events),
          static_cast<double>(sim_ns) / 1e9, static_cast<double>(done) / wall_s,
          static_cast<double>(events) / wall_s / 1e6, static_cast<double>(sim_ns) / 1e9 / wall_s);
      std::fflush(stdout);
    }
  };
  if (jobs == 1) {
    for (uint64_t seed : seeds) on_result(RunSwarmSeed(seed, bug, recheck_every));
  } else if (!RunInChildren(seeds, jobs, bug, recheck_every, on_result)) {
    std::fprintf(stderr, "simvus: swarm: a job process failed\n");
    return kExitFail;
  }
  for (const auto& [seed, line] : lines) out << line << "\n";
  if (done != seeds.size()) {
    std::fprintf(stderr, "simvus: swarm: %llu of %zu seeds reported\n",
                 static_cast<unsigned long long>(done), seeds.size());
    return kExitFail;
  }
  std::printf("\nCoverage: faults fired, by what the cluster held at that moment\n%s\n",
              coverage.Table().c_str());
  if (failures.empty()) {
    std::printf("swarm: all %llu seeds passed (%llu of them rerun twice: identical traces)\n",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(rechecked));
    return kExitPass;
  }
  std::printf("\n| invariant | seeds failed | first seed | shrink it with |\n|---|---|---|---|\n");
  for (const auto& [invariant, list] : failures) {
    std::printf("| %s | %zu | %llu | simvus shrink --seed %llu%s --out minimal.textproto |\n",
                invariant.c_str(), list.size(), static_cast<unsigned long long>(*list.begin()),
                static_cast<unsigned long long>(*list.begin()), BugFlag(bug).c_str());
  }
  return kExitFail;
}

// simvus draw --seed N: prints the scenario file swarm seed N runs (text format), so any seed
// can be read, edited and replayed with `simvus run FILE --seed N`.
int Draw(uint64_t seed_value) {
  const std::optional<uint64_t> seed = seed_value;
  std::string text;
  google::protobuf::TextFormat::PrintToString(DrawScenarioFile(*seed), &text);
  std::printf("# swarm seed %llu; replay: simvus run FILE --seed %llu\n%s",
              static_cast<unsigned long long>(*seed), static_cast<unsigned long long>(*seed),
              text.c_str());
  return kExitPass;
}

// simvus shrink --seed N [--inject-bug B] --out FILE
int ShrinkCommand(uint64_t seed_value, const std::string& out_path, const std::string& bug_name) {
  const std::optional<uint64_t> seed = seed_value;
  const roles::ClusterConfig::InjectedBug bug =
      ParseInjectedBug(bug_name).value_or(roles::ClusterConfig::InjectedBug::kNone);
  std::ofstream probe(out_path, std::ios::app);
  if (!probe) return UsageError("--out: cannot write '" + out_path + "'");
  probe.close();
  const ShrinkResult result = Shrink(DrawScenarioFile(*seed), *seed, bug);
  if (!result.failed) {
    std::printf("shrink: swarm seed %llu passes%s; nothing to shrink\n",
                static_cast<unsigned long long>(*seed), BugFlag(bug).c_str());
    return kExitFail;
  }
  std::ofstream out(out_path);
  out << ShrunkFileText(result, *seed, bug, out_path);
  std::printf(
      "shrink: seed %llu fails %s; %d of %d steps and %d of %d faults still fail it (%d runs)\n"
      "wrote %s\nreplay: simvus run %s --seed %llu%s\n",
      static_cast<unsigned long long>(*seed), result.invariant.c_str(), result.steps_after,
      result.steps_before, result.faults_after, result.faults_before, result.runs, out_path.c_str(),
      out_path.c_str(), static_cast<unsigned long long>(*seed), BugFlag(bug).c_str());
  return kExitPass;
}

// ---- The command line, parsed by CLI11. Every bad input is exit 2 with a line naming what was
// expected and the command's help.

// A CLI11 check worded as simvus words its errors: "--seed: 'x1' is not a non-negative integer".
CLI::Validator Expect(const std::string& expected, std::function<bool(const std::string&)> ok) {
  return Check([expected, ok](const std::string& v) {
    return ok(v) ? std::string() : "'" + v + "' is not " + expected;
  });
}

CLI::Validator IsSeed() {
  return Expect("a non-negative integer",
                [](const std::string& v) { return ParseSeed(v).has_value(); });
}

CLI::Validator IsSeedRange() {
  return Expect("a range A..B of integers with A <= B",
                [](const std::string& v) { return ParseSeedRange(v).has_value(); });
}

CLI::Validator IsBug() {
  return Expect("a known bug; expected one of " + InjectedBugNames(),
                [](const std::string& v) { return ParseInjectedBug(v).has_value(); });
}

// "K/N" with 1 <= K <= N.
std::optional<std::pair<uint64_t, uint64_t>> ParseShard(const std::string& v) {
  const size_t slash = v.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::optional<uint64_t> k = ParseSeed(v.substr(0, slash)),
                                n = ParseSeed(v.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n) return std::nullopt;
  return std::make_pair(*k, *n);
}

// The parsed command: which one ran and its values.
struct Parsed {
  RunArgs run;
  std::string scenario, seeds, seed, out, bug, shard = "1/1";
  uint64_t jobs = 1, recheck_every = 20;
};

// A command whose flags its own code parses (the cluster commands, tours): CLI11 hands it every
// argument after its name.
CLI::App* PassThrough(CLI::App& app, const std::string& name, const std::string& about) {
  CLI::App* sub = app.add_subcommand(name, about)->prefix_command();
  sub->set_help_flag();  // its own parser answers --help
  sub->allow_extras();
  return sub;
}

int Main(int argc, char** argv) {
  CLI::App app(
      "simvus: deterministic simulation, fault injection and benchmarks of a "
      "Milvus-style vector database",
      "simvus");
  app.require_subcommand(1, 1);
  app.footer(
      "Exit codes: 0 pass, 1 a run failed (or runs diverged), 2 bad usage, 3 a backend "
      "could not be reached.\nBUG, a deliberate bug the checker must catch: " +
      InjectedBugNames());
  Parsed p;

  CLI::App* list = app.add_subcommand("list", "every built-in scenario, with what it does");

  CLI::App* run = app.add_subcommand("run",
                                     "run one scenario (a name from `simvus list`, or a "
                                     "scenario file) and judge it");
  run->add_option("scenario", p.run.scenario, "a scenario name or FILE.textproto")->required();
  run->add_option("--seed", p.seed, "the seed (same seed, same run, same trace hash)")
      ->check(IsSeed())
      ->type_name("N");
  run->add_option("--trace", p.run.trace_path, "every trace event as a JSON line")
      ->type_name("FILE");
  run->add_option("--report", p.run.report_dir,
                  "write DIR/report.html, report.json and summary.md of the run")
      ->type_name("DIR");
  run->add_flag("--verbose", p.run.verbose, "narrate every event, not only the steps");
  run->add_flag("--quiet", p.run.quiet, "print only the verdict");
  run->add_option("--inject-bug", p.bug, "switch on a deliberate bug")
      ->check(IsBug())
      ->type_name("BUG");
  run->add_option("--backend", p.run.backend,
                  "sim (default), or real: the wall clock against Kafka, etcd and S3 from "
                  "KAFKA_BOOTSTRAP, ETCD_ENDPOINTS, S3_ENDPOINT..., started on loopback when unset")
      ->check(Expect("sim or real", [](const std::string& v) { return v == "sim" || v == "real"; }))
      ->type_name("sim|real");
  run->add_flag("--processes", p.run.processes,
                "with --backend real: every role in a `simvus serve` process of its own");

  CLI::App* determinism = app.add_subcommand(
      "check-determinism", "run each seed twice and compare the traces event by event");
  determinism->add_option("scenario", p.scenario, "a scenario name or FILE.textproto")->required();
  determinism->add_option("--seeds", p.seeds, "the seeds")
      ->required()
      ->check(IsSeedRange())
      ->type_name("A..B");

  CLI::App* swarm = app.add_subcommand("swarm",
                                       "run many seeds of randomly drawn scenarios with "
                                       "faults; a table of what failed and how to shrink it");
  swarm->add_option("--seeds", p.seeds, "the seeds")
      ->required()
      ->check(IsSeedRange())
      ->type_name("A..B");
  swarm->add_option("--jobs", p.jobs, "processes in parallel")
      ->check(CLI::Range(1, 64))
      ->type_name("N");
  swarm->add_option("--shard", p.shard, "run only the K-th of N shares of the seeds")
      ->check(Expect("K/N with 1 <= K <= N",
                     [](const std::string& v) { return ParseShard(v).has_value(); }))
      ->type_name("K/N");
  swarm->add_option("--inject-bug", p.bug, "switch on a deliberate bug")
      ->check(IsBug())
      ->type_name("BUG");
  swarm->add_option("--out", p.out, "one JSON line per seed")->type_name("FILE.jsonl");
  swarm
      ->add_option("--recheck-every", p.recheck_every,
                   "every K-th seed rerun twice for determinism (0: none)")
      ->type_name("K");

  CLI::App* shrink =
      app.add_subcommand("shrink", "shrink a failing swarm seed to a small scenario file");
  shrink->add_option("--seed", p.seed, "the swarm seed")
      ->required()
      ->check(IsSeed())
      ->type_name("N");
  shrink->add_option("--inject-bug", p.bug, "switch on a deliberate bug")
      ->check(IsBug())
      ->type_name("BUG");
  shrink->add_option("--out", p.out, "where to write the shrunk file")
      ->required()
      ->type_name("FILE.textproto");

  CLI::App* draw = app.add_subcommand("draw", "print the scenario file a swarm seed runs");
  draw->add_option("--seed", p.seed, "the swarm seed")->required()->check(IsSeed())->type_name("N");

  CLI::App* bench =
      PassThrough(app, "bench",
                  "macro benchmarks: ingest, search, freshness, recovery, streaming (sim or "
                  "--backend real), simulator; compare (the gate)");
  CLI::App* tour =
      PassThrough(app, "tour", "walk a chapter of the design step by step (`simvus tour list`)");
  CLI::App* up =
      PassThrough(app, "up", "a local cluster, one process per role, the Milvus API on a port");
  CLI::App* down = PassThrough(app, "down", "stop a cluster `simvus up` started");
  CLI::App* restart = PassThrough(app, "restart", "restart one role of a running cluster");
  CLI::App* serve = PassThrough(app, "serve", "run roles of a cluster file in this process");
  CLI::App* help = app.add_subcommand("help", "this help");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "simvus: %s\n", e.what());
    const std::vector<CLI::App*> chosen = app.get_subcommands();
    std::fputs((chosen.empty() ? app.help() : chosen.front()->help()).c_str(), stderr);
    return kExitUsage;
  }
  if (*help) {
    std::fputs(app.help().c_str(), stdout);
    return kExitPass;
  }
  if (*list) return List();
  if (*run) {
    if (!p.seed.empty()) p.run.seed = ParseSeed(p.seed);
    p.run.bug = p.bug;
    return Run(p.run);
  }
  if (*determinism) return CheckDeterminismCommand(p.scenario, *ParseSeedRange(p.seeds));
  if (*swarm) {
    SwarmArgs args;
    args.range = *ParseSeedRange(p.seeds);
    std::tie(args.shard, args.shards) = *ParseShard(p.shard);
    args.jobs = p.jobs;
    args.recheck_every = p.recheck_every;
    args.out_path = p.out;
    args.bug = p.bug;
    return Swarm(args);
  }
  if (*shrink) return ShrinkCommand(*ParseSeed(p.seed), p.out, p.bug);
  if (*draw) return Draw(*ParseSeed(p.seed));
  if (*bench) return BenchCommand(bench->remaining());
  if (*tour) return TourCommand(tour->remaining());
  if (*up) return UpCommand(up->remaining());
  if (*down) return DownCommand(down->remaining());
  if (*restart) return RestartCommand(restart->remaining());
  if (*serve) return ServeCommand(serve->remaining());
  return UsageError("no command");
}

}  // namespace
}  // namespace simvus::scenarios

int main(int argc, char** argv) {
  // The host's allocation policy (never the run's outcome): every block from the heap, and freed
  // memory kept for reuse rather than handed back. glibc otherwise maps each block above its
  // threshold (a segment's columns as they grow, a binlog, a batch of insert messages) afresh and
  // unmaps it when freed, and the kernel zeroes every page again on the next touch: at 1M rows
  // the simulator spent a third of its time there (bench/README.md, "The simulator's own speed").
  // The cost: a long-lived process (`simvus up`) keeps its high-water mark.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  return simvus::scenarios::Main(argc, argv);
}
