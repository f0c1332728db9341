// simvus: the command line.
//
//   simvus list
//   simvus run <scenario|FILE.textproto> --seed N [--trace FILE] [--verbose] [--quiet]
//   simvus check-determinism <scenario|FILE.textproto> --seeds A..B
//   simvus swarm --seeds A..B [--jobs N] [--shard K/N] [--inject-bug B] [--out FILE.jsonl]
//                [--recheck-every K]
//   simvus shrink --seed N [--inject-bug B] --out FILE.textproto
//   simvus up --dir DIR [--port 19530] [--query-nodes N] [--single-process] [--detach]
//             [--inject-bug BUG]
//   simvus down --dir DIR
//   simvus restart ROLE --dir DIR
//   simvus serve --config FILE --role NAME[,NAME...]|all
//
// Exit codes: 0 pass, 1 a run failed (or runs diverged), 2 bad usage.
#include <google/protobuf/text_format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/narrator.h"
#include "scenarios/determinism_check.h"
#include "scenarios/real_command.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/server/cluster_commands.h"
#include "scenarios/server/serve_command.h"
#include "scenarios/swarm.h"
#include "scenarios/swarm_coverage.h"

namespace simvus::scenarios {
namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

void PrintUsage(std::FILE* out) {
  std::fprintf(
      out,
      "usage:\n"
      "  simvus list\n"
      "  simvus run <scenario|FILE.textproto> --seed N [--trace FILE] [--verbose] [--quiet]\n"
      "             [--inject-bug BUG] [--backend sim|real [--processes]]\n"
      "             (real: the wall clock against Kafka, etcd and S3 from KAFKA_BOOTSTRAP,\n"
      "              ETCD_ENDPOINTS, S3_ENDPOINT..., or started on loopback when unset;\n"
      "              --processes: every role in a `simvus serve` process of its own)\n"
      "  simvus check-determinism <scenario|FILE.textproto> --seeds A..B\n"
      "  simvus swarm --seeds A..B [--jobs N] [--shard K/N] [--inject-bug BUG] [--out F.jsonl]\n"
      "               [--recheck-every K]   (every K-th seed rerun for determinism; 20)\n"
      "  simvus shrink --seed N [--inject-bug BUG] --out FILE.textproto\n"
      "  simvus up --dir DIR [--port 19530] [--query-nodes N] [--single-process] [--detach]\n"
      "            [--inject-bug BUG]\n"
      "             (a local cluster, one process per role, the Milvus API on --port)\n"
      "  simvus down --dir DIR\n"
      "  simvus restart ROLE --dir DIR\n"
      "  simvus serve --config DIR/cluster.conf --role NAME[,NAME...]|all\n"
      "BUG, a deliberate bug the checker must catch: %s\n",
      InjectedBugNames().c_str());
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "simvus: %s\n", message.c_str());
  PrintUsage(stderr);
  return kExitUsage;
}

std::optional<uint64_t> ParseSeed(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
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

int Run(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("run: missing <scenario>");
  std::optional<uint64_t> seed;
  std::string trace_path;
  bool verbose = false, quiet = false, real_backend = false, processes = false;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--inject-bug") {
      if (i + 1 >= args.size()) return UsageError("--inject-bug: missing name");
      std::optional<roles::ClusterConfig::InjectedBug> parsed = ParseInjectedBug(args[++i]);
      if (!parsed) {
        return UsageError("--inject-bug: '" + args[i] + "' is not a known bug; expected one of " +
                          InjectedBugNames());
      }
      bug = *parsed;
      continue;
    }
    if (a == "--seed") {
      if (i + 1 >= args.size()) return UsageError("--seed: missing value, expected an integer");
      seed = ParseSeed(args[++i]);
      if (!seed) {
        return UsageError("--seed: '" + args[i] + "' is not a non-negative integer");
      }
    } else if (a == "--trace") {
      if (i + 1 >= args.size()) return UsageError("--trace: missing FILE");
      trace_path = args[++i];
    } else if (a == "--backend") {
      if (i + 1 >= args.size()) return UsageError("--backend: missing sim or real");
      const std::string& backend = args[++i];
      if (backend != "sim" && backend != "real") {
        return UsageError("--backend: '" + backend + "' is neither sim nor real");
      }
      real_backend = backend == "real";
    } else if (a == "--processes") {
      processes = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--quiet") {
      quiet = true;
    } else {
      return UsageError("run: unknown flag '" + a + "'");
    }
  }
  if (!seed && real_backend) seed = 1;  // workload streams only: a real run is not replayable
  if (!seed) return UsageError("run: --seed N is required");
  std::optional<Scenario> from_file;
  const Scenario* scenario = ResolveScenario(args[0], &from_file);
  if (scenario == nullptr) return kExitUsage;

  std::ofstream trace_file;
  if (!trace_path.empty()) {
    trace_file.open(trace_path);
    if (!trace_file) return UsageError("--trace: cannot write '" + trace_path + "'");
  }
  RunOptions options;
  options.seed = *seed;
  options.injected_bug = bug;
  options.on_event = [&](const sim::RecordedEvent& e) {
    if (!quiet && (verbose || e.event.level == TraceLevel::kStep)) {
      std::cout << reports::NarrateLine(e.at, e.event) << "\n";
    }
    if (trace_file) {
      trace_file << "{\"i\":" << e.index << ",\"t_ns\":" << e.at.ns << ",\"level\":\""
                 << (e.event.level == TraceLevel::kStep ? "step" : "detail") << "\",\"node\":\""
                 << JsonEscape(e.event.node) << "\",\"kind\":\"" << JsonEscape(e.event.kind)
                 << "\",\"from\":\"" << JsonEscape(e.event.from) << "\",\"to\":\""
                 << JsonEscape(e.event.to) << "\",\"text\":\"" << JsonEscape(e.event.text)
                 << "\"}\n";
    }
  };
  options.on_say = [&](Duration, const std::string& line) {
    if (!quiet) std::cout << "\n>>> " << line << "\n\n";
  };
  if (processes && !real_backend) return UsageError("--processes needs --backend real");
  if (real_backend) return RunRealCommand(*scenario, options, quiet, processes);
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

int CheckDeterminismCommand(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("check-determinism: missing <scenario>");
  std::optional<uint64_t> first, last;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--seeds" && i + 1 < args.size()) {
      const std::string range = args[++i];
      const size_t dots = range.find("..");
      if (dots == std::string::npos) {
        return UsageError("--seeds: '" + range + "' is not a range A..B");
      }
      first = ParseSeed(range.substr(0, dots));
      last = ParseSeed(range.substr(dots + 2));
      if (!first || !last || *first > *last) {
        return UsageError("--seeds: '" + range + "' is not a range A..B of integers with A <= B");
      }
    } else {
      return UsageError("check-determinism: unknown flag '" + args[i] + "'");
    }
  }
  if (!first) return UsageError("check-determinism: --seeds A..B is required");
  std::optional<Scenario> from_file;
  const Scenario* scenario = ResolveScenario(args[0], &from_file);
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

// --inject-bug NAME at args[i]; advances i. A usage error message when the name is unknown.
std::optional<std::string> TakeInjectedBug(const std::vector<std::string>& args, size_t& i,
                                           roles::ClusterConfig::InjectedBug* bug) {
  if (i + 1 >= args.size()) return std::string("--inject-bug: missing name");
  std::optional<roles::ClusterConfig::InjectedBug> parsed = ParseInjectedBug(args[++i]);
  if (!parsed) {
    return "--inject-bug: '" + args[i] + "' is not a known bug; expected one of " +
           InjectedBugNames();
  }
  *bug = *parsed;
  return std::nullopt;
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
  result.json =
      "{\"seed\":" + std::to_string(seed) + ",\"pass\":" + (result.pass ? "true" : "false") +
      ",\"invariant\":\"" + JsonEscape(result.invariant) + "\",\"detail\":\"" +
      JsonEscape(r.detail) + "\",\"events\":" + std::to_string(r.events) +
      ",\"sim_time_ns\":" + std::to_string(r.sim_time.ns) + ",\"trace_hash\":\"" +
      Hex(r.trace_hash) + "\",\"bug\":\"" + InjectedBugName(bug) +
      "\",\"rechecked\":" + (result.rechecked ? "true" : "false") + ",\"divergence\":\"" +
      JsonEscape(divergence) + "\",\"coverage\":\"" + JsonEscape(result.coverage.Encode()) + "\"}";
  return result;
}

// Reads back the fields the summary needs from a line RunSwarmSeed wrote.
std::optional<SeedResult> ParseSeedLine(const std::string& line) {
  auto number = [&line](const std::string& key) -> std::optional<int64_t> {
    const size_t at = line.find("\"" + key + "\":");
    if (at == std::string::npos) return std::nullopt;
    return std::strtoll(line.c_str() + at + key.size() + 3, nullptr, 10);
  };
  auto text = [&line](const std::string& key) {
    const size_t at = line.find("\"" + key + "\":\"");
    if (at == std::string::npos) return std::string();
    const size_t start = at + key.size() + 4;
    return line.substr(start, line.find('"', start) - start);  // invariants hold no quotes
  };
  std::optional<int64_t> seed = number("seed"), events = number("events"),
                         sim_ns = number("sim_time_ns");
  if (!seed || !events || !sim_ns) return std::nullopt;
  SeedResult r;
  r.seed = static_cast<uint64_t>(*seed);
  r.pass = line.find("\"pass\":true") != std::string::npos;
  r.rechecked = line.find("\"rechecked\":true") != std::string::npos;
  r.nondeterministic = r.rechecked && line.find("\"divergence\":\"\"") == std::string::npos;
  r.invariant = text("invariant");
  r.coverage = SwarmCoverage::Decode(text("coverage"));
  r.events = static_cast<uint64_t>(*events);
  r.sim_ns = *sim_ns;
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
int Swarm(const std::vector<std::string>& args) {
  std::optional<std::pair<uint64_t, uint64_t>> range;
  uint64_t shard = 1, shards = 1, jobs = 1;
  // Every K-th seed run twice more with full traces compared (FoundationDB re-runs 5%).
  uint64_t recheck_every = 20;
  std::string out_path;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seeds" && i + 1 < args.size()) {
      range = ParseSeedRange(args[++i]);
      if (!range) return UsageError("--seeds: '" + args[i] + "' is not a range A..B with A <= B");
    } else if (args[i] == "--shard" && i + 1 < args.size()) {
      const std::string& v = args[++i];
      const size_t slash = v.find('/');
      std::optional<uint64_t> k = ParseSeed(v.substr(0, slash));
      std::optional<uint64_t> n =
          slash == std::string::npos ? std::nullopt : ParseSeed(v.substr(slash + 1));
      if (!k || !n || *k < 1 || *k > *n) {
        return UsageError("--shard: '" + v + "' is not K/N with 1 <= K <= N");
      }
      shard = *k;
      shards = *n;
    } else if (args[i] == "--jobs" && i + 1 < args.size()) {
      std::optional<uint64_t> n = ParseSeed(args[++i]);
      if (!n || *n < 1 || *n > 64) {
        return UsageError("--jobs: '" + args[i] + "' is not a number of processes in 1..64");
      }
      jobs = *n;
    } else if (args[i] == "--out" && i + 1 < args.size()) {
      out_path = args[++i];
    } else if (args[i] == "--recheck-every" && i + 1 < args.size()) {
      std::optional<uint64_t> k = ParseSeed(args[++i]);
      if (!k) return UsageError("--recheck-every: '" + args[i] + "' is not a non-negative integer");
      recheck_every = *k;
    } else if (args[i] == "--inject-bug") {
      if (auto error = TakeInjectedBug(args, i, &bug)) return UsageError(*error);
    } else {
      return UsageError("swarm: unknown flag '" + args[i] + "'");
    }
  }
  if (!range) return UsageError("swarm: --seeds A..B is required");
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
int Draw(const std::vector<std::string>& args) {
  std::optional<uint64_t> seed;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seed" && i + 1 < args.size()) {
      seed = ParseSeed(args[++i]);
      if (!seed) return UsageError("--seed: '" + args[i] + "' is not a non-negative integer");
    } else {
      return UsageError("draw: unknown flag '" + args[i] + "'");
    }
  }
  if (!seed) return UsageError("draw: --seed N is required");
  std::string text;
  google::protobuf::TextFormat::PrintToString(DrawScenarioFile(*seed), &text);
  std::printf("# swarm seed %llu; replay: simvus run FILE --seed %llu\n%s",
              static_cast<unsigned long long>(*seed), static_cast<unsigned long long>(*seed),
              text.c_str());
  return kExitPass;
}

// simvus shrink --seed N [--inject-bug B] --out FILE
int ShrinkCommand(const std::vector<std::string>& args) {
  std::optional<uint64_t> seed;
  std::string out_path;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seed" && i + 1 < args.size()) {
      seed = ParseSeed(args[++i]);
      if (!seed) return UsageError("--seed: '" + args[i] + "' is not a non-negative integer");
    } else if (args[i] == "--out" && i + 1 < args.size()) {
      out_path = args[++i];
    } else if (args[i] == "--inject-bug") {
      if (auto error = TakeInjectedBug(args, i, &bug)) return UsageError(*error);
    } else {
      return UsageError("shrink: unknown flag '" + args[i] + "'");
    }
  }
  if (!seed) return UsageError("shrink: --seed N is required");
  if (out_path.empty()) return UsageError("shrink: --out FILE is required");
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

}  // namespace
}  // namespace simvus::scenarios

int main(int argc, char** argv) {
  using namespace simvus::scenarios;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError("missing command");
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "list") return List();
  if (command == "run") return Run(rest);
  if (command == "check-determinism") return CheckDeterminismCommand(rest);
  if (command == "swarm") return Swarm(rest);
  if (command == "shrink") return ShrinkCommand(rest);
  if (command == "draw") return Draw(rest);
  if (command == "up") return UpCommand(rest);
  if (command == "down") return DownCommand(rest);
  if (command == "restart") return RestartCommand(rest);
  if (command == "serve") return ServeCommand(rest);
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(stdout);
    return 0;
  }
  return UsageError("unknown command '" + command + "'");
}
