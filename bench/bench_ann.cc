// bench_ann: simvus's segment and ANN code against raw FAISS and hnswlib, in the same run.
//
// Three comparisons, each reported as a ratio (higher is better, 1.0 = parity):
//   segment_vs_faiss_qps             Segment::Search on a sealed segment with an HNSW index vs
//                                    faiss::Index::search on the very same FAISS index, same ef
//                                    (the smallest ef at which the segment reaches recall 0.99);
//   bruteforce_vs_bandwidth_bound    simvus brute force, one query at a time, vs the memory
//                                    bandwidth bound (base bytes per query / bandwidth);
//   hnsw_vs_hnswlib_qps_at_r99       best simvus HNSW QPS at recall@10 >= 0.99 vs best hnswlib QPS
//                                    at recall@10 >= 0.99, same M and efConstruction.
// Everything runs one query at a time on one thread. Full run: Fashion-MNIST (HNSW) and a seeded
// clustered 1M x 128 set (brute force). --smoke: small synthetic sets for CI (bench-smoke).
// See bench/README.md for the commands and the figures measured.
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/ann_datasets.h"
#include "components/ann/flat_search.h"
#include "components/ann/omp_threads.h"
#include "components/segment/segment.h"

namespace simvus::bench {
namespace {

struct Config {
  bool smoke = false;
  int64_t hnsw_m = 32;
  int64_t ef_construction = 40;
  std::vector<int64_t> efs;
  int64_t bf_rows = 1'000'000;
  int64_t bf_dim = 128;
  double bandwidth_gbs = 30.0;  // reference/anchors.md: about 30 GB/s on this machine kind
};

Config g_config;
AnnDataset* g_hnsw_data = nullptr;
AnnDataset* g_bf_data = nullptr;
segment::Segment* g_hnsw_segment = nullptr;
segment::Segment* g_bf_segment = nullptr;
hnswlib::L2Space* g_hnswlib_space = nullptr;
hnswlib::HierarchicalNSW<float>* g_hnswlib = nullptr;
faiss::IndexFlatL2* g_faiss_flat = nullptr;

segment::CollectionSchema Schema(int64_t dim) {
  segment::CollectionSchema s;
  s.name = "bench";
  s.fields = {{segment::FieldId{100}, "id", segment::DataType::kInt64, true},
              {segment::FieldId{101}, "vec", segment::DataType::kFloatVector, false, dim}};
  return s;
}

std::unique_ptr<segment::Segment> MakeSealedSegment(const AnnDataset& d) {
  auto seg = std::make_unique<segment::Segment>(segment::SegmentId{1}, Schema(d.dim));
  segment::InsertBatch batch;
  for (const auto& f : seg->schema().fields)
    batch.columns.push_back(segment::FieldColumn::Empty(f));
  batch.timestamps.assign(static_cast<size_t>(d.n), Timestamp{1});
  batch.columns[0].int64s.resize(static_cast<size_t>(d.n));
  for (int64_t i = 0; i < d.n; ++i) batch.columns[0].int64s[static_cast<size_t>(i)] = i;
  batch.columns[1].floats = d.base;
  SIMVUS_CHECK(seg->Insert(batch).ok(), "bench: insert");
  seg->Seal();
  return seg;
}

segment::SearchRequest Request(const AnnDataset& d, int64_t q, int64_t ef) {
  segment::SearchRequest r;
  r.queries.assign(d.queries.begin() + q * d.dim, d.queries.begin() + (q + 1) * d.dim);
  r.nq = 1;
  r.topk = d.k;
  if (ef > 0) r.params = {{"ef", std::to_string(ef)}};
  return r;
}

// ---- HNSW on Fashion-MNIST (or the smoke set) ---------------------------------------------

void BM_HnswSegment(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  const int64_t ef = state.range(0);
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < d.nq; ++q) reqs.push_back(Request(d, q, ef));
  std::vector<int64_t> ids(static_cast<size_t>(d.nq * d.k), -1);
  for (int64_t q = 0; q < d.nq; ++q) {
    auto r = g_hnsw_segment->Search(reqs[static_cast<size_t>(q)]);
    SIMVUS_CHECK(r.ok(), r.status().ToString());
    for (size_t j = 0; j < r->queries[0].size(); ++j) {
      ids[static_cast<size_t>(q * d.k) + j] = std::get<int64_t>(r->queries[0][j].pk);
    }
  }
  int64_t q = 0;
  for (auto _ : state) {
    auto r = g_hnsw_segment->Search(reqs[static_cast<size_t>(q)]);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, ids);
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_HnswFaissRaw(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  const int64_t ef = state.range(0);
  // The very FAISS index inside the segment; raw FAISS reads efSearch from the index.
  auto& index = const_cast<faiss::IndexHNSW&>(
      static_cast<const faiss::IndexHNSW&>(g_hnsw_segment->index()->faiss_index()));
  ann::ScopedOmpThreads threads(1);
  const int saved = index.hnsw.efSearch;
  index.hnsw.efSearch = static_cast<int>(ef);
  std::vector<faiss::Index::idx_t> ids(static_cast<size_t>(d.nq * d.k));
  std::vector<float> dist(static_cast<size_t>(d.k));
  for (int64_t q = 0; q < d.nq; ++q) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), &ids[q * d.k]);
  }
  std::vector<faiss::Index::idx_t> out(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), out.data());
    benchmark::DoNotOptimize(out.data());
    q = (q + 1) % d.nq;
  }
  index.hnsw.efSearch = saved;
  state.counters["recall"] = RecallAtK(d, std::vector<int64_t>(ids.begin(), ids.end()));
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_HnswLib(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  g_hnswlib->setEf(static_cast<size_t>(state.range(0)));
  std::vector<int64_t> ids(static_cast<size_t>(d.nq * d.k), -1);
  for (int64_t q = 0; q < d.nq; ++q) {
    auto top =
        g_hnswlib->searchKnn(&d.queries[static_cast<size_t>(q * d.dim)], static_cast<size_t>(d.k));
    for (int64_t j = static_cast<int64_t>(top.size()) - 1; j >= 0; --j) {
      ids[static_cast<size_t>(q * d.k + j)] = static_cast<int64_t>(top.top().second);
      top.pop();
    }
  }
  int64_t q = 0;
  for (auto _ : state) {
    auto top =
        g_hnswlib->searchKnn(&d.queries[static_cast<size_t>(q * d.dim)], static_cast<size_t>(d.k));
    benchmark::DoNotOptimize(top);
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, ids);
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---- Brute force, one query at a time ---------------------------------------------------------

void BM_BruteForceSegment(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  simvus::ann::SearchOptions options;
  options.num_threads = static_cast<int>(state.range(0));
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < d.nq; ++q) reqs.push_back(Request(d, q, 0));
  int64_t q = 0;
  for (auto _ : state) {
    auto r = g_bf_segment->Search(reqs[static_cast<size_t>(q)], options);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % d.nq;
  }
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["GB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(d.n * d.dim * 4) / 1e9,
      benchmark::Counter::kIsRate);
}

void BM_BruteForceKernel(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  const auto isa = static_cast<ann::KernelIsa>(state.range(0));
  ann::FlatSearchInput input{ann::MetricType::kL2, d.dim, d.base.data(), d.n, nullptr, nullptr};
  int64_t q = 0;
  for (auto _ : state) {
    auto hits =
        ann::FlatSearchWithIsa(input, &d.queries[static_cast<size_t>(q * d.dim)], 1, d.k, isa);
    benchmark::DoNotOptimize(hits);
    q = (q + 1) % d.nq;
  }
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_BruteForceFaiss(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  ann::ScopedOmpThreads threads(1);
  std::vector<float> dist(static_cast<size_t>(d.k));
  std::vector<faiss::Index::idx_t> ids(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    g_faiss_flat->search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(),
                         ids.data());
    benchmark::DoNotOptimize(ids.data());
    q = (q + 1) % d.nq;
  }
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---- Reporting --------------------------------------------------------------------------------

struct Measured {
  double qps = 0;
  double recall = -1;
};

class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      Measured m;
      auto qps = run.counters.find("QPS");
      if (qps != run.counters.end()) m.qps = qps->second.value;
      auto recall = run.counters.find("recall");
      if (recall != run.counters.end()) m.recall = recall->second.value;
      results[run.benchmark_name()] = m;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, Measured> results;
};

std::string EfName(const char* prefix, int64_t ef) {
  return std::string(prefix) + "/" + std::to_string(ef);
}

void PrintRatioLine(const char* name, bool measured, double value, const std::string& needs) {
  if (measured && std::isfinite(value)) {
    std::printf("ratio %s %.4f\n", name, value);
  } else {
    std::printf("ratio %s not-measured (needs %s)\n", name, needs.c_str());
  }
}

void PrintRatios(const std::map<std::string, Measured>& results) {
  // A benchmark left out by --benchmark_filter reads as QPS 0; its ratio is then "not measured".
  struct Lookup {
    const std::map<std::string, Measured>& m;
    Measured at(const std::string& name) const {
      auto it = m.find(name);
      return it == m.end() ? Measured{} : it->second;
    }
    auto find(const std::string& name) const { return m.find(name); }
    auto end() const { return m.end(); }
  } r{results};
  const AnnDataset& h = *g_hnsw_data;
  const AnnDataset& b = *g_bf_data;
  // 1. segment vs raw FAISS at the smallest ef where the segment reaches recall 0.99 (else the
  //    largest ef measured).
  int64_t ef_pick = g_config.efs.back();
  for (int64_t ef : g_config.efs) {
    auto it = r.find(EfName("hnsw/simvus_segment/ef", ef));
    if (it != r.end() && it->second.recall >= 0.99) {
      ef_pick = ef;
      break;
    }
  }
  const Measured seg = r.at(EfName("hnsw/simvus_segment/ef", ef_pick));
  const Measured raw = r.at(EfName("hnsw/faiss_raw/ef", ef_pick));
  const double ratio_segment = seg.qps / raw.qps;
  // 2. brute force vs the bandwidth bound.
  const double bytes = static_cast<double>(b.n * b.dim * 4);
  const double bound_qps = g_config.bandwidth_gbs * 1e9 / bytes;
  const Measured bf1 = r.at("bruteforce/simvus_segment/threads/1/real_time");
  const Measured bf2 = r.at("bruteforce/simvus_segment/threads/2/real_time");
  // The better of the two settings counts (on a loaded machine 2 threads can lose to 1).
  const double ratio_bf = std::max(bf1.qps, bf2.qps) / bound_qps;
  // 3. best QPS at recall >= 0.99, simvus segment vs hnswlib.
  auto best = [&](const char* prefix, int64_t* ef_out) {
    double q = 0;
    for (int64_t ef : g_config.efs) {
      auto it = r.find(EfName(prefix, ef));
      if (it != r.end() && it->second.recall >= 0.99 && it->second.qps > q) {
        q = it->second.qps;
        *ef_out = ef;
      }
    }
    return q;
  };
  int64_t ef_simvus = -1, ef_hnswlib = -1;
  const double best_simvus = best("hnsw/simvus_segment/ef", &ef_simvus);
  const double best_hnswlib = best("hnsw/hnswlib/ef", &ef_hnswlib);
  const double ratio_hnsw = best_hnswlib > 0 ? best_simvus / best_hnswlib : 0;
  const bool have_segment = seg.qps > 0 && raw.qps > 0;
  const bool have_bf = bf1.qps > 0 || bf2.qps > 0;
  const bool have_hnsw = best_simvus > 0 && best_hnswlib > 0;
  auto value = [](bool measured, double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3f", v);
    return measured && std::isfinite(v) ? std::string(buf) : std::string("not measured");
  };

  std::printf("\n## bench_ann ratios (%s)\n\n", g_config.smoke ? "smoke" : "full");
  std::printf("| ratio | simvus | baseline | value |\n|---|---|---|---|\n");
  std::printf(
      "| segment_vs_faiss_qps | segment HNSW %s ef=%ld: %.0f QPS, recall %.4f | raw FAISS "
      "same index: %.0f QPS, recall %.4f | %s |\n",
      h.name.c_str(), static_cast<long>(ef_pick), seg.qps, seg.recall, raw.qps, raw.recall,
      value(have_segment, ratio_segment).c_str());
  std::printf(
      "| bruteforce_vs_bandwidth_bound | %s nq=1, 2 threads: %.1f QPS (%.1f GB/s); "
      "1 thread: %.1f QPS (%.1f GB/s) | bound %.1f QPS (%.0f MB/query at %.0f GB/s); "
      "Debian FAISS IndexFlatL2 1 thread %.1f QPS | %s |\n",
      b.name.c_str(), bf2.qps, bf2.qps * bytes / 1e9, bf1.qps, bf1.qps * bytes / 1e9, bound_qps,
      bytes / 1e6, g_config.bandwidth_gbs, r.at("bruteforce/faiss_IndexFlatL2/real_time").qps,
      value(have_bf, ratio_bf).c_str());
  std::printf(
      "| hnsw_vs_hnswlib_qps_at_r99 | simvus HNSW (M=%ld, efC=%ld) best at r>=0.99: %.0f "
      "QPS (ef=%ld) | hnswlib same M/efC: %.0f QPS (ef=%ld) | %s |\n\n",
      static_cast<long>(g_config.hnsw_m), static_cast<long>(g_config.ef_construction), best_simvus,
      static_cast<long>(ef_simvus), best_hnswlib, static_cast<long>(ef_hnswlib),
      value(have_hnsw, ratio_hnsw).c_str());
  // A ratio whose inputs were left out (by --benchmark_filter) is named as not measured rather
  // than printed as 0, inf or nan: every number on a ratio line is a real measurement.
  PrintRatioLine("segment_vs_faiss_qps", have_segment, ratio_segment,
                 "hnsw/simvus_segment and hnsw/faiss_raw at ef=" + std::to_string(ef_pick));
  PrintRatioLine("bruteforce_vs_bandwidth_bound", have_bf, ratio_bf, "bruteforce/simvus_segment");
  PrintRatioLine("hnsw_vs_hnswlib_qps_at_r99", have_hnsw, ratio_hnsw,
                 "hnsw/simvus_segment and hnsw/hnswlib reaching recall 0.99");
}

}  // namespace
}  // namespace simvus::bench

int main(int argc, char** argv) {
  using namespace simvus::bench;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      g_config.smoke = true;
    } else if (std::strncmp(argv[i], "--bandwidth_gbs=", 16) == 0) {
      g_config.bandwidth_gbs = std::atof(argv[i] + 16);
    } else {
      args.push_back(argv[i]);
    }
  }
  static char smoke_min_time[] = "--benchmark_min_time=0.05";
  if (g_config.smoke) args.push_back(smoke_min_time);
  int bench_argc = static_cast<int>(args.size());
  benchmark::Initialize(&bench_argc, args.data());

  // Data and indexes are built once, before any timing. FAISS builds run on one thread with a
  // fixed seed, as in simulation.
  static AnnDataset hnsw_data, bf_data;
  if (g_config.smoke) {
    g_config.hnsw_m = 16;
    g_config.ef_construction = 64;
    g_config.efs = {16, 32, 64, 128};
    g_config.bf_rows = 100'000;
    hnsw_data = ClusteredDataset(1, 10'000, 64, 200, 64);
  } else {
    g_config.efs = {10, 16, 20, 24, 32, 40, 48, 64, 96, 128};
    auto loaded = LoadFashionMnist(kFashionMnistDir, 1000);
    if (!loaded.ok()) {
      std::fprintf(stderr, "bench_ann: %s\n", loaded.status().ToString().c_str());
      return 2;
    }
    hnsw_data = std::move(*loaded);
  }
  bf_data = ClusteredDataset(2, g_config.bf_rows, g_config.bf_dim, g_config.smoke ? 8 : 32);
  g_hnsw_data = &hnsw_data;
  g_bf_data = &bf_data;

  static auto hnsw_segment = MakeSealedSegment(hnsw_data);
  auto spec =
      simvus::ann::ParseIndexSpec({{"index_type", "HNSW"},
                                   {"metric_type", "L2"},
                                   {"M", std::to_string(g_config.hnsw_m)},
                                   {"efConstruction", std::to_string(g_config.ef_construction)}},
                                  hnsw_data.dim);
  SIMVUS_CHECK(spec.ok(), spec.status().ToString());
  SIMVUS_CHECK(hnsw_segment->BuildIndex(*spec, {42, 1}).ok(), "bench: build HNSW");
  g_hnsw_segment = hnsw_segment.get();
  static hnswlib::L2Space space(static_cast<size_t>(hnsw_data.dim));
  static hnswlib::HierarchicalNSW<float> hnswlib_index(
      &space, static_cast<size_t>(hnsw_data.n), static_cast<size_t>(g_config.hnsw_m),
      static_cast<size_t>(g_config.ef_construction), 42);
  for (int64_t i = 0; i < hnsw_data.n; ++i) {
    hnswlib_index.addPoint(&hnsw_data.base[static_cast<size_t>(i * hnsw_data.dim)],
                           static_cast<size_t>(i));
  }
  g_hnswlib_space = &space;
  g_hnswlib = &hnswlib_index;
  static auto bf_segment = MakeSealedSegment(bf_data);
  g_bf_segment = bf_segment.get();
  static faiss::IndexFlatL2 flat(static_cast<int>(bf_data.dim));
  flat.add(bf_data.n, bf_data.base.data());
  g_faiss_flat = &flat;

  for (int64_t ef : g_config.efs) {
    // The name gets "/<ef>" from Arg.
    benchmark::RegisterBenchmark("hnsw/simvus_segment/ef", BM_HnswSegment)->Arg(ef);
    benchmark::RegisterBenchmark("hnsw/faiss_raw/ef", BM_HnswFaissRaw)->Arg(ef);
    benchmark::RegisterBenchmark("hnsw/hnswlib/ef", BM_HnswLib)->Arg(ef);
  }
  // One query at a time; threads:1 is the simulation setting, threads:2 splits each query's
  // rows over both cores (real mode).
  // Brute-force rates are per wall-clock second (UseRealTime): with 2 threads the main thread's
  // CPU time would not measure the query. HNSW rates are per CPU second of the one searching
  // thread, which is steadier on a shared machine.
  benchmark::RegisterBenchmark("bruteforce/simvus_segment/threads", BM_BruteForceSegment)
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  // The kernel alone, by instruction set (0 = scalar, 1 = AVX2/FMA), one thread.
  benchmark::RegisterBenchmark("bruteforce/simvus_kernel/isa", BM_BruteForceKernel)
      ->Arg(static_cast<int64_t>(simvus::ann::KernelIsa::kScalar))
      ->Arg(static_cast<int64_t>(simvus::ann::DetectedKernelIsa()))
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("bruteforce/faiss_IndexFlatL2", BM_BruteForceFaiss)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);

  CapturingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  PrintRatios(reporter.results);
  benchmark::Shutdown();
  return 0;
}
