#include "scenarios/tours/tour_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <utility>

#include "components/env/check.h"
#include "scenarios/cli_parse.h"
#include "scenarios/config_knobs.h"
#include "scenarios/report_command.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/tours/tour.h"
#include "scenarios/tours/tour_narrator.h"

namespace simvus::scenarios {
namespace {

using tours::Chapter;
using tours::Language;

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

int TourUsageError(const std::string& message) {
  std::fprintf(stderr, "simvus: %s\nusage:\n%s", message.c_str(), TourUsage());
  return kExitUsage;
}

std::string ChapterNames() {
  std::string names;
  for (const Chapter& c : tours::AllChapters()) names += (names.empty() ? "" : ", ") + c.name;
  return names;
}

int ListChapters() {
  for (const Chapter& c : tours::AllChapters()) {
    std::printf("%-18s §%-12s runs %-22s %s\n", c.name.c_str(), c.section.c_str(),
                c.scenario.c_str(), c.title.en.c_str());
  }
  return kExitPass;
}

struct TourArgs {
  const Chapter* chapter = nullptr;
  uint64_t seed = 1;
  Language language = Language::kEnglish;
  bool no_pause = false;
  std::vector<std::pair<std::string, std::string>> sets;  // Milvus key, value, in order
  std::string report_dir;
};

// nullopt when the arguments are good (filled into *parsed); else the usage error. The chapter
// is args[0]; CLI11 parses the flags after it.
std::optional<std::string> ParseTourArgs(const std::vector<std::string>& args, TourArgs* parsed) {
  parsed->chapter = tours::FindChapter(args[0]);
  if (parsed->chapter == nullptr) {
    return "tour: unknown chapter '" + args[0] + "'; expected one of " + ChapterNames() +
           " (see `simvus tour list`)";
  }
  CLI::App app("simvus tour " + args[0], "simvus tour");
  app.set_help_flag();  // `simvus tour --help` is answered before parsing
  app.allow_extras();   // named below, as simvus names an unknown flag
  std::string seed = "1", lang = "en";
  std::vector<std::string> sets;
  app.add_option("--seed", seed)->check(Check([](const std::string& v) {
    return ParseSeed(v) ? std::string() : "'" + v + "' is not a non-negative integer";
  }));
  app.add_option("--lang", lang)->check(Check([](const std::string& v) {
    return v == "en" || v == "zh" ? std::string() : "'" + v + "' is neither en nor zh";
  }));
  app.add_flag("--no-pause", parsed->no_pause);
  app.add_option("--set", sets)->allow_extra_args(false)->check(Check([](const std::string& kv) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return "'" + kv + "' is not KEY=VALUE (e.g. dataCoord.segment.maxSize=0.008)";
    }
    roles::ClusterConfig scratch;
    std::string error = SetMilvusParam(scratch, kv.substr(0, eq), kv.substr(eq + 1)).value_or("");
    if (error.rfind("--set: ", 0) == 0) error.erase(0, 7);  // CLI11 names the flag itself
    return error;
  }));
  app.add_option("--report", parsed->report_dir);
  const std::vector<std::string> flags(args.begin() + 1, args.end());
  if (std::optional<std::string> error = ParseArgs(app, flags)) {
    if (error->find("--set") != std::string::npos && error->find("required") != std::string::npos) {
      return "--set: missing KEY=VALUE; known keys: " + MilvusParamKeys();
    }
    if (error->rfind("unknown flag or argument ", 0) == 0) {
      return "tour: unknown flag " + error->substr(std::string("unknown flag or argument ").size());
    }
    return error;
  }
  parsed->seed = *ParseSeed(seed);
  parsed->language = lang == "zh" ? Language::kChinese : Language::kEnglish;
  for (const std::string& kv : sets) {
    const size_t eq = kv.find('=');
    std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    for (const auto& [earlier, unused] : parsed->sets) {
      if (earlier == key) return "--set: " + key + " is set twice";
    }
    parsed->sets.emplace_back(std::move(key), std::move(value));
  }
  return std::nullopt;
}

}  // namespace

const char* TourUsage() {
  return "  simvus tour list\n"
         "  simvus tour <chapter> [--seed N] [--lang en|zh] [--no-pause] [--set KEY=VALUE]...\n"
         "              [--report DIR]\n"
         "             (a chapter of the seed narrated from a real run; KEY is a Milvus\n"
         "              parameter, e.g. --set dataCoord.segment.maxSize=0.008 (MB))\n";
}

int TourCommand(const std::vector<std::string>& args) {
  if (args.empty())
    return TourUsageError("tour: missing <chapter>; expected list or one of " + ChapterNames());
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::printf("usage:\n%s\nchapters:\n", TourUsage());
    ListChapters();
    std::printf("\n--set KEY=VALUE, in Milvus's units (MB, ms, s, a ratio); KEY one of:\n");
    for (const MilvusParam& p : MilvusParams()) {
      std::printf("  %-48s %s\n", p.key.c_str(), p.meaning.c_str());
    }
    return kExitPass;
  }
  if (args[0] == "list") {
    if (args.size() > 1) return TourUsageError("tour list: unexpected '" + args[1] + "'");
    return ListChapters();
  }
  TourArgs tour;
  if (std::optional<std::string> error = ParseTourArgs(args, &tour)) return TourUsageError(*error);
  const Chapter& chapter = *tour.chapter;
  const Scenario* scenario = FindScenario(chapter.scenario);
  SIMVUS_CHECK(scenario != nullptr, "every chapter runs a built-in scenario");
  if (!tour.report_dir.empty()) {
    if (std::optional<std::string> error = PrepareReportDir(tour.report_dir)) {
      return TourUsageError(*error);
    }
  }

  // Pauses only for a person at a terminal; scripts, pipes and ctest never block.
  const bool interactive = !tour.no_pause && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  const bool zh = tour.language == Language::kChinese;
  std::function<bool()> pause;
  if (interactive) {
    pause = [zh]() -> bool {
      std::fputs(
          zh ? "  [按 Enter 进入下一步,q 退出] " : "  [press Enter for the next step, q to quit] ",
          stdout);
      std::fflush(stdout);
      std::string line;
      if (!std::getline(std::cin, line)) return true;
      return line != "q" && line != "Q" && line != "quit";
    };
  }
  tours::TourNarrator narrator(chapter, tour.language, stdout, pause);

  RunOptions options;
  options.seed = tour.seed;
  // After the scenario's setup: the learner's changes win over the scenario's own values.
  options.configure = [&tour, &narrator](roles::ClusterConfig& config) {
    const roles::ClusterConfig scenario_values = config;
    std::vector<std::string> keys;
    for (const auto& [key, value] : tour.sets) {
      const std::optional<std::string> error = SetMilvusParam(config, key, value);
      SIMVUS_CHECK(!error, "--set values are checked before the run");
      keys.push_back(key);
    }
    narrator.SetConfig(config, scenario_values, keys);
    narrator.PrintHeader(tour.seed);
  };
  options.on_event = [&narrator](const sim::RecordedEvent& e) { narrator.OnEvent(e); };
  options.on_say = [&narrator](Duration at, const std::string& line) { narrator.OnSay(at, line); };
  if (!tour.report_dir.empty()) EnableReport(options);

  const RunReport report = RunScenario(*scenario, options);
  narrator.PrintRecap(report);
  if (!tour.report_dir.empty()) {
    const Status written =
        WriteRunReport(tour.report_dir, chapter.scenario, *scenario, options, report);
    if (!written.ok()) {
      std::fprintf(stderr, "simvus: the report was not written: %s\n", written.ToString().c_str());
      return kExitFail;
    }
    std::printf("report: %s/report.html (and report.json, summary.md)\n", tour.report_dir.c_str());
  }
  std::fflush(stdout);
  return report.pass ? kExitPass : kExitFail;
}

}  // namespace simvus::scenarios
