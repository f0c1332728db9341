#include "scenarios/bench/bench_command.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "components/segment/search_result.h"
#include "reports/bench_compare.h"
#include "scenarios/bench/macro_bench.h"
#include "scenarios/cli_parse.h"

namespace simvus::scenarios {
namespace {

constexpr char kPlantEnv[] = "SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN";

const char kUsage[] =
    "usage: simvus bench compare BASELINE.json[,MORE.json...] CURRENT.json[,MORE.json...] "
    "[--tolerance R] [--alpha A] [--min-change R]\n"
    "       simvus bench ingest [--rows N] [--dim D] [--seed S] [--out FILE] [--backend B]\n"
    "       simvus bench search [--dataset uniform|clustered|fashion-mnist] [--rows N] [--dim D] "
    "[--queries Q] [--ef E,E...] [--nq N] [--seed S] [--out FILE] [--backend B]\n"
    "       simvus bench freshness [--rows N] [--dim D] [--rate R] [--probes P] [--seed S] "
    "[--out FILE] [--backend B]\n"
    "       simvus bench recovery [--rows N] [--dim D] [--seed S] [--out FILE] [--backend B]\n"
    "       simvus bench streaming [--rows N] [--dim D] [--rate R] [--queries Q] [--seed S] "
    "[--out FILE] [--backend B]\n"
    "       simvus bench simulator [--rows N] [--dim D] [--query-nodes Q] [--seed S] "
    "[--out FILE]\n"
    "  --backend sim (default: the simulator, deterministic det_ figures) or real (Kafka, etcd\n"
    "  and S3 protocols, from ETCD_ENDPOINTS / KAFKA_BOOTSTRAP / S3_ENDPOINT or started on\n"
    "  loopback; wall-clock figures)\n"
    "  search --dataset: uniform (default) or clustered, from the seed, rows x dim; "
    "fashion-mnist:\n"
    "  Debian's dataset-fashion-mnist, dim 784, the first N of its 60,000 train images (all by\n"
    "  default) and the first Q test images as queries. --ef: the sweep (default\n"
    "  16,32,64,128,256), figures per ef and at recall@10 0.95 and 0.99. --nq: query vectors per\n"
    "  request (default 1); above 1, QPS counts query vectors and latencies are the requests'\n";

int BadInput(const std::string& message) {
  std::cerr << "simvus bench: " << message << "\n" << kUsage;
  return 2;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int Compare(const std::vector<std::string>& args) {
  reports::CompareOptions options;
  std::vector<std::string> paths;
  CLI::App app("simvus bench compare", "simvus bench compare");
  app.add_option("files", paths);
  app.add_option("--tolerance", options.tolerance)->check(CLI::Range(0.0, 1e9));
  app.add_option("--alpha", options.alpha)->check(CLI::Range(0.0, 1.0));
  app.add_option("--min-change", options.min_change)->check(CLI::Range(0.0, 1e9));
  if (std::optional<std::string> error =
          ParseArgs(app, std::vector<std::string>(args.begin() + 1, args.end()))) {
    return BadInput("compare: " + *error);
  }
  if (paths.size() != 2) {
    return BadInput("compare: expected two files, BASELINE.json and CURRENT.json; got " +
                    std::to_string(paths.size()));
  }
  // Each side may be several files joined by commas: their repetitions are pooled, so that runs
  // interleaved in time (a, b, a, b, ...) compare as two samples, and drift on a shared machine
  // lands on both sides instead of on one.
  std::vector<reports::BenchFile> files(2);
  for (size_t side = 0; side < 2; ++side) {
    std::stringstream list(paths[side]);
    for (std::string path; std::getline(list, path, ',');) {
      std::optional<std::string> text = ReadFile(path);
      if (!text) return BadInput(path + ": cannot read; expected a Google Benchmark JSON file");
      Result<reports::BenchFile> parsed = reports::ParseBenchJson(*text, path);
      if (!parsed.ok()) return BadInput(parsed.status().message());
      for (auto& [name, samples] : parsed->benchmarks) {
        for (auto& [figure, values] : samples.figures) {
          std::vector<double>& pooled = files[side].benchmarks[name].figures[figure];
          pooled.insert(pooled.end(), values.begin(), values.end());
        }
      }
    }
  }
  reports::Comparison comparison = reports::CompareBenchmarks(files[0], files[1], options);
  if (comparison.common_benchmarks == 0) {
    std::string names;
    for (const auto& [name, samples] : files[0].benchmarks) names += " " + name;
    return BadInput("no benchmark in common: " + paths[1] + " has none of the baseline's:" + names);
  }
  std::cout << reports::FormatComparison(comparison);
  return comparison.regression ? 1 : 0;
}

// Defaults small enough for about a minute of host time; sizes as options.
int RunMacro(const std::vector<std::string>& args) {
  const std::string& bench = args[0];
  bench::BenchSpec spec;
  spec.rows = bench == "ingest"      ? 20000
              : bench == "freshness" ? 2000
              : bench == "simulator" ? 100000
                                     : 5000;
  spec.dim = bench == "ingest" ? 64 : bench == "simulator" ? 128 : 32;
  spec.queries = bench == "freshness" ? 30 : bench == "streaming" ? 2000 : 200;
  spec.rate = 1000;
  CLI::App app("simvus bench " + bench, "simvus bench");
  app.add_option("--rows", spec.rows)->check(CLI::Range(int64_t{10}, int64_t{10'000'000}));
  app.add_option("--dim", spec.dim)->check(CLI::Range(int64_t{1}, int64_t{4096}));
  if (bench == "search" || bench == "streaming") {
    app.add_option("--queries", spec.queries)->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
  }
  if (bench == "search") {
    spec.efs = {16, 32, 64, 128, 256};
    app.add_option("--dataset", spec.dataset)
        ->check(CLI::IsMember({"uniform", "clustered", "fashion-mnist"}));
    app.add_option("--ef", spec.efs)
        ->delimiter(',')
        ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    app.add_option("--nq", spec.nq)
        ->check(CLI::Range(int64_t{1}, static_cast<int64_t>(segment::kMaxNq)));
  }
  if (bench == "freshness") {
    app.add_option("--probes", spec.queries)->check(CLI::Range(int64_t{1}, int64_t{100'000}));
  }
  if (bench == "freshness" || bench == "streaming") {
    app.add_option("--rate", spec.rate)->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
  }
  app.add_option("--seed", spec.seed)->check(CLI::NonNegativeNumber);
  app.add_option("--out", spec.out);
  if (bench == "simulator") {
    app.add_option("--query-nodes", spec.query_nodes)->check(CLI::Range(int64_t{2}, int64_t{64}));
  }
  std::string backend = "sim";
  if (bench != "simulator") {  // it measures the simulator
    app.add_option("--backend", backend)->check(CLI::IsMember({"sim", "real"}));
  }
  if (std::optional<std::string> error =
          ParseArgs(app, std::vector<std::string>(args.begin() + 1, args.end()))) {
    return BadInput(bench + ": " + *error);
  }
  spec.real = backend == "real";
  if (spec.dataset == "fashion-mnist") {
    if (app.count("--dim") != 0) {
      return BadInput(bench + ": --dim: fashion-mnist's vectors are 784 pixels; leave --dim out");
    }
    spec.dim = 784;
    if (app.count("--rows") == 0) spec.rows = 60000;
    if (spec.rows > 60000) {
      return BadInput(bench + ": --rows " + std::to_string(spec.rows) +
                      ": fashion-mnist has 60,000 train images");
    }
    if (spec.queries > 10000) {
      return BadInput(bench + ": --queries " + std::to_string(spec.queries) +
                      ": fashion-mnist has 10,000 test images");
    }
  }
  if (const char* plant = std::getenv(kPlantEnv); bench == "search" && plant != nullptr && *plant) {
    if (spec.real) return BadInput(std::string(kPlantEnv) + " plants a cost in the simulator only");
    char* end = nullptr;
    const double fraction = std::strtod(plant, &end);
    if (*end != '\0' || !(fraction >= 0 && fraction <= 100)) {
      return BadInput(std::string(kPlantEnv) + " '" + plant +
                      "': expected a fraction such as 0.05");
    }
    spec.plant_permille = std::llround(fraction * 1000);
    std::cerr << "simvus bench: planted search slowdown of " << spec.plant_permille << " permille ("
              << kPlantEnv << ")\n";
  }
  // Check --out before the run (a bad path must not cost a whole run), without truncating it
  // (a failed run must not cost the file either).
  const bool out_existed = !spec.out.empty() && std::filesystem::exists(spec.out);
  if (!spec.out.empty() && !std::ofstream(spec.out, std::ios::binary | std::ios::app)) {
    return BadInput("--out '" + spec.out + "': cannot write");
  }
  std::optional<bench::BenchResult> result;
  if (bench == "ingest") result = bench::RunIngest(spec);
  if (bench == "search") result = bench::RunSearch(spec);
  if (bench == "freshness") result = bench::RunFreshness(spec);
  if (bench == "recovery") result = bench::RunRecovery(spec);
  if (bench == "streaming") result = bench::RunStreaming(spec);
  if (bench == "simulator") result = bench::RunSimulator(spec);
  if (!result) {
    if (!spec.out.empty() && !out_existed) std::filesystem::remove(spec.out);  // the probe's file
    return 1;
  }
  if (spec.real) bench::ToWallClockFigures(*result);
  std::cout << bench::FormatTable(*result);
  if (!spec.out.empty()) {
    std::ofstream out(spec.out, std::ios::binary | std::ios::trunc);
    out << bench::ToGoogleBenchmarkJson(*result);
    if (!out.flush()) return BadInput("--out '" + spec.out + "': cannot write");
  }
  return 0;
}

}  // namespace

int BenchCommand(const std::vector<std::string>& args) {
  if (args.empty())
    return BadInput(
        "expected a subcommand: compare, ingest, search, freshness, recovery, streaming or "
        "simulator");
  if (args[0] == "compare") return Compare(args);
  if (args[0] == "ingest" || args[0] == "search" || args[0] == "freshness" ||
      args[0] == "recovery" || args[0] == "streaming" || args[0] == "simulator") {
    return RunMacro(args);
  }
  if (args[0] == "-h" || args[0] == "--help") {
    std::cout << kUsage;
    return 0;
  }
  return BadInput("unknown subcommand '" + args[0] +
                  "'; expected compare, ingest, search, freshness, recovery, streaming or "
                  "simulator");
}

}  // namespace simvus::scenarios
