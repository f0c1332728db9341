// simvus: the command line.
//
//   simvus list
//   simvus run <scenario|FILE.textproto> --seed N [--trace FILE] [--verbose] [--quiet]
//   simvus check-determinism <scenario|FILE.textproto> --seeds A..B
//   simvus swarm --seeds A..B [--shard K/N] [--inject-bug B] [--out FILE.jsonl]
//                [--recheck-every K]
//   simvus shrink --seed N [--inject-bug B] --out FILE.textproto
//
// Exit codes: 0 pass, 1 a run failed (or runs diverged), 2 bad usage.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/narrator.h"
#include "scenarios/determinism_check.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/swarm.h"

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
      "             [--inject-bug stale-read|ignore-deletes]\n"
      "  simvus check-determinism <scenario|FILE.textproto> --seeds A..B\n");
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
  bool verbose = false, quiet = false;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--inject-bug") {
      if (i + 1 >= args.size()) return UsageError("--inject-bug: missing name");
      std::optional<roles::ClusterConfig::InjectedBug> parsed = ParseInjectedBug(args[++i]);
      if (!parsed) {
        return UsageError("--inject-bug: '" + args[i] +
                          "' is not a known bug; expected stale-read, ignore-deletes, "
                          "reduce-keeps-duplicates or tick-ignores-inflight");
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
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--quiet") {
      quiet = true;
    } else {
      return UsageError("run: unknown flag '" + a + "'");
    }
  }
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
    return "--inject-bug: '" + args[i] +
           "' is not a known bug; expected stale-read, ignore-deletes, reduce-keeps-duplicates or "
           "tick-ignores-inflight";
  }
  *bug = *parsed;
  return std::nullopt;
}

// simvus swarm --seeds A..B [--shard K/N] [--inject-bug B] [--out FILE.jsonl] [--recheck-every K]
int Swarm(const std::vector<std::string>& args) {
  std::optional<std::pair<uint64_t, uint64_t>> seeds;
  uint64_t shard = 1, shards = 1;
  // Every K-th seed run twice more with full traces compared (FoundationDB re-runs 5%).
  uint64_t recheck_every = 20, rechecked = 0;
  std::string out_path;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seeds" && i + 1 < args.size()) {
      seeds = ParseSeedRange(args[++i]);
      if (!seeds) return UsageError("--seeds: '" + args[i] + "' is not a range A..B with A <= B");
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
  if (!seeds) return UsageError("swarm: --seeds A..B is required");
  std::ofstream out;
  if (!out_path.empty()) {
    out.open(out_path);
    if (!out) return UsageError("--out: cannot write '" + out_path + "'");
  }
  std::map<std::string, std::vector<uint64_t>> failures;  // invariant -> seeds
  uint64_t done = 0, events = 0;
  int64_t sim_ns = 0;
  const uint64_t total = seeds->second - seeds->first + 1;
  for (uint64_t seed = seeds->first; seed <= seeds->second; ++seed) {
    if ((seed - 1) % shards != shard - 1) continue;
    const RunReport r =
        RunScenarioFile(DrawScenarioFile(seed), "swarm seed " + std::to_string(seed), seed, bug);
    ++done;
    events += r.events;
    sim_ns += r.sim_time.ns;
    if (!r.pass) failures[r.invariant].push_back(seed);
    if (recheck_every > 0 && seed % recheck_every == 0) {
      ++rechecked;
      const Scenario scenario =
          ScenarioFromFile(DrawScenarioFile(seed), "swarm seed " + std::to_string(seed));
      if (std::optional<Divergence> d = CheckDeterminism(scenario, seed, seed)) {
        failures["nondeterminism"].push_back(seed);
        std::fputs(DescribeDivergence(scenario.name, *d).c_str(), stdout);
      }
    }
    if (out) {
      out << "{\"seed\":" << seed << ",\"pass\":" << (r.pass ? "true" : "false")
          << ",\"invariant\":\"" << JsonEscape(r.invariant) << "\",\"detail\":\""
          << JsonEscape(r.detail) << "\",\"events\":" << r.events
          << ",\"sim_time_ns\":" << r.sim_time.ns << ",\"trace_hash\":\"" << Hex(r.trace_hash)
          << "\",\"bug\":\"" << InjectedBugName(bug) << "\"}\n";
    }
    if (done % 50 == 0 || seed == seeds->second) {
      uint64_t failed = 0;
      for (const auto& [invariant, list] : failures) failed += list.size();
      std::printf("[%llu seeds of %llu] %llu failed, %llu events, %.1f s simulated\n",
                  static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                  static_cast<unsigned long long>(failed), static_cast<unsigned long long>(events),
                  static_cast<double>(sim_ns) / 1e9);
      std::fflush(stdout);
    }
  }
  if (failures.empty()) {
    std::printf("swarm: all %llu seeds passed (%llu of them rerun twice: identical traces)\n",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(rechecked));
    return kExitPass;
  }
  std::printf("\n| invariant | seeds failed | first seed | shrink it with |\n|---|---|---|---|\n");
  for (const auto& [invariant, list] : failures) {
    std::printf("| %s | %zu | %llu | simvus shrink --seed %llu%s --out minimal.textproto |\n",
                invariant.c_str(), list.size(), static_cast<unsigned long long>(list.front()),
                static_cast<unsigned long long>(list.front()), BugFlag(bug).c_str());
  }
  return kExitFail;
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
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(stdout);
    return 0;
  }
  return UsageError("unknown command '" + command + "'");
}
