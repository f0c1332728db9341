// simvus: the command line.
//
//   simvus list
//   simvus run <scenario|FILE.textproto> --seed N [--trace FILE] [--verbose] [--quiet]
//   simvus check-determinism <scenario|FILE.textproto> --seeds A..B
//
// Exit codes: 0 pass, 1 a run failed (or runs diverged), 2 bad usage.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "reports/narrator.h"
#include "scenarios/determinism_check.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"

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
                          "' is not a known bug; expected stale-read or ignore-deletes");
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
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(stdout);
    return 0;
  }
  return UsageError("unknown command '" + command + "'");
}
