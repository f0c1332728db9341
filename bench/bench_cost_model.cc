// bench_cost_model: calibrates the simulator's search cost model (roles::SearchCost) against
// the host.
//
// Each case times Segment::Search (one query, or kBatchNq for a batch case; top-10, one thread:
// the simulation setting) on a segment of uniform random vectors and counts the work the search
// reports (distances scanned, graph distances, rows whose bitset bit was evaluated). After the run
// the model's constants are fitted to the medians:
//   segment_ns, scanned_float_ns   least squares (relative error) over the brute-force cases,
//                                  ns = a + b x floats
//   graph_hop_ns                   HNSW cases: what a graph distance costs beyond its floats
//   row_filter_ns                  growing cases searched one tick below their newest row, so
//                                  that the visibility bitset walks every row, minus the sealed
//                                  brute-force case of the same size
//   batched_float_ns               batch cases (kBatchNq queries in one search of a sealed
//                                  segment, FlatSearch's blocked scan): per float scored, beyond
//                                  segment_ns
// and each case is printed with its measured time, the time the compiled-in model charges and
// the time the fitted model would charge. Update DefaultSearchCostModel()
// (components/roles/segment_reads.cc) from a Release build's fit on a quiet machine.
//
//   ./build/release/bench/bench_cost_model            (--smoke: small cases, one repetition)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "components/ann/index_spec.h"
#include "components/env/rng.h"
#include "components/roles/segment_reads.h"
#include "components/segment/segment.h"

namespace simvus::bench {
namespace {

enum class Kind { kFlat, kFiltered, kHnsw, kBatch };

// Queries in one search of a batch case (Milvus's nq).
constexpr int64_t kBatchNq = 16;

struct Case {
  Kind kind;
  int64_t rows;
  int64_t dim;
  int64_t ef = 0;
  std::string Name() const {
    const char* kind_name = kind == Kind::kFlat       ? "flat"
                            : kind == Kind::kFiltered ? "growing"
                            : kind == Kind::kBatch    ? "batch"
                                                      : "hnsw";
    std::string name = std::string("cost_model/") + kind_name + "/rows:" + std::to_string(rows) +
                       "/dim:" + std::to_string(dim);
    if (kind == Kind::kHnsw) name += "/ef:" + std::to_string(ef);
    if (kind == Kind::kBatch) name += "/nq:" + std::to_string(kBatchNq);
    return name;
  }
};

struct Fixture {
  std::unique_ptr<segment::Segment> segment;
  std::vector<std::vector<float>> queries;
};

constexpr int64_t kQueries = 64;

segment::CollectionSchema Schema(int64_t dim) {
  segment::CollectionSchema s;
  s.name = "cost_model";
  s.fields = {{segment::FieldId{100}, "id", segment::DataType::kInt64, true},
              {segment::FieldId{101}, "vec", segment::DataType::kFloatVector, false, dim}};
  return s;
}

// Rows with timestamps 1..rows: sealed (and indexed) for flat and hnsw, left growing for
// filtered, which is searched at ts rows - 1 so that the newest row is not visible.
Fixture MakeFixture(const Case& c) {
  Rng rng(static_cast<uint64_t>(c.rows * 1000 + c.dim));
  Fixture f;
  f.segment = std::make_unique<segment::Segment>(segment::SegmentId{1}, Schema(c.dim));
  segment::InsertBatch batch;
  for (const auto& field : f.segment->schema().fields) {
    batch.columns.push_back(segment::FieldColumn::Empty(field));
  }
  for (int64_t i = 0; i < c.rows; ++i) {
    batch.timestamps.push_back(Timestamp{static_cast<uint64_t>(i + 1)});
    batch.columns[0].int64s.push_back(i);
    for (int64_t j = 0; j < c.dim; ++j) {
      batch.columns[1].floats.push_back(static_cast<float>(rng.UniformUnit()));
    }
  }
  SIMVUS_CHECK(f.segment->Insert(batch).ok(), "bench_cost_model: insert");
  if (c.kind != Kind::kFiltered) f.segment->Seal();
  if (c.kind == Kind::kHnsw) {
    Result<ann::IndexSpec> spec = ann::ParseIndexSpec(
        {{"index_type", "HNSW"}, {"metric_type", "L2"}, {"M", "16"}, {"efConstruction", "64"}},
        c.dim);
    SIMVUS_CHECK(spec.ok(), "bench_cost_model: spec");
    SIMVUS_CHECK(f.segment->BuildIndex(*spec, {42, 1}).ok(), "bench_cost_model: build");
  }
  for (int64_t q = 0; q < kQueries; ++q) {
    std::vector<float> v(static_cast<size_t>(c.dim));
    for (float& x : v) x = static_cast<float>(rng.UniformUnit());
    f.queries.push_back(std::move(v));
  }
  return f;
}

// The work of one search, as the query node sums it (roles::SearchWork), averaged per query.
struct Work {
  double segments = 0, scanned = 0, batched = 0, graph = 0, rows_filtered = 0;
};

std::map<std::string, Work> g_work;  // per case name, filled by the benchmark

void BM_Search(benchmark::State& state, Case c) {
  static std::map<std::string, Fixture> fixtures;  // built once per case, before timing
  Fixture& f = fixtures.try_emplace(c.Name(), MakeFixture(c)).first->second;
  std::vector<segment::SearchRequest> requests;
  const size_t nq = c.kind == Kind::kBatch ? kBatchNq : 1;
  for (size_t first = 0; first + nq <= f.queries.size(); first += nq) {
    segment::SearchRequest r;
    for (size_t j = first; j < first + nq; ++j) {
      r.queries.insert(r.queries.end(), f.queries[j].begin(), f.queries[j].end());
    }
    r.nq = static_cast<int64_t>(nq);
    r.topk = 10;
    if (c.kind == Kind::kHnsw) r.params = {{"ef", std::to_string(c.ef)}};
    if (c.kind == Kind::kFiltered) r.mvcc_ts = Timestamp{static_cast<uint64_t>(c.rows - 1)};
    requests.push_back(std::move(r));
  }
  Work total;
  int64_t searches = 0;
  size_t q = 0;
  for (auto _ : state) {
    Result<segment::SearchResult> r = f.segment->Search(requests[q]);
    benchmark::DoNotOptimize(r);
    total.segments += 1;
    total.scanned += static_cast<double>(r->scanned_distances);
    total.batched += static_cast<double>(r->batched_distances);
    total.graph += static_cast<double>(r->graph_distances);
    total.rows_filtered += static_cast<double>(r->rows_filtered);
    ++searches;
    q = (q + 1) % requests.size();
  }
  const auto n = static_cast<double>(std::max<int64_t>(1, searches));
  g_work[c.Name()] = {total.segments / n, total.scanned / n, total.batched / n, total.graph / n,
                      total.rows_filtered / n};
}

// Median real time per iteration (ns) of each benchmark over its repetitions.
class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
      times[run.run_name.function_name].push_back(run.GetAdjustedRealTime() *
                                                  NsPerUnit(run.time_unit));
    }
    ConsoleReporter::ReportRuns(runs);
  }
  static double NsPerUnit(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kSecond:
        return 1e9;
      case benchmark::kMillisecond:
        return 1e6;
      case benchmark::kMicrosecond:
        return 1e3;
      default:
        return 1;
    }
  }
  double Median(const std::string& name) const {
    auto it = times.find(name);
    if (it == times.end() || it->second.empty()) return -1;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  std::map<std::string, std::vector<double>> times;
};

// The segment-level part of the model (its per-request cost is the RPC's, not measured here).
double ModelNs(const roles::SearchCostModel& m, const Work& w, int64_t dim) {
  const auto d = static_cast<double>(dim);
  return static_cast<double>(m.segment_ns) * w.segments + w.scanned * d * m.scanned_float_ns +
         w.batched * d * m.batched_float_ns + w.graph * (d * m.scanned_float_ns + m.graph_hop_ns) +
         w.rows_filtered * m.row_filter_ns;
}

void Fit(const std::vector<Case>& cases, const Collector& results) {
  // 1. Brute force: ns = segment_ns + scanned_float_ns x floats, least squares on the relative
  //    error (weights 1 / ns^2), so that the small in-cache segments count as much as the large
  //    memory-bound ones.
  double sw = 0, swx = 0, swy = 0, swxx = 0, swxy = 0;
  for (const Case& c : cases) {
    const double y = results.Median(c.Name());
    if (c.kind != Kind::kFlat || y <= 0) continue;
    const double x = g_work[c.Name()].scanned * static_cast<double>(c.dim);
    const double w = 1 / (y * y);
    sw += w, swx += w * x, swy += w * y, swxx += w * x * x, swxy += w * x * y;
  }
  roles::SearchCostModel fitted = roles::DefaultSearchCostModel();
  if (sw > 0 && sw * swxx - swx * swx > 0) {
    const double b = (sw * swxy - swx * swy) / (sw * swxx - swx * swx);
    fitted.scanned_float_ns = b;
    fitted.segment_ns = std::max<int64_t>(0, std::llround((swy - b * swx) / sw));
  }
  // 2. HNSW: what a graph distance costs beyond its floats, the mean over the cases.
  // 3. Visibility walks: a growing case minus the sealed brute-force case of the same size, per
  //    row.
  // 4. Batches: a batch case's time beyond segment_ns, per float scored, the mean over the cases.
  double hop = 0, hop_n = 0, filter = 0, filter_n = 0, batch = 0, batch_n = 0;
  for (const Case& c : cases) {
    const double y = results.Median(c.Name());
    if (y <= 0) continue;
    const Work& w = g_work[c.Name()];
    const auto d = static_cast<double>(c.dim);
    if (c.kind == Kind::kHnsw && w.graph > 0) {
      const double floats =
          static_cast<double>(fitted.segment_ns) + w.graph * d * fitted.scanned_float_ns;
      hop += (y - floats) / w.graph, hop_n += 1;
    }
    if (c.kind == Kind::kBatch && w.batched > 0) {
      batch += (y - static_cast<double>(fitted.segment_ns)) / (w.batched * d), batch_n += 1;
    }
    const double sealed = results.Median(Case{Kind::kFlat, c.rows, c.dim}.Name());
    if (c.kind == Kind::kFiltered && w.rows_filtered > 0 && sealed > 0) {
      filter += (y - sealed) / w.rows_filtered, filter_n += 1;
    }
  }
  if (hop_n > 0) fitted.graph_hop_ns = std::max(0.0, hop / hop_n);
  if (filter_n > 0) fitted.row_filter_ns = std::max(0.0, filter / filter_n);
  if (batch_n > 0) fitted.batched_float_ns = std::max(0.0, batch / batch_n);

  const roles::SearchCostModel& model = roles::DefaultSearchCostModel();
  std::printf("\n## The search cost model against this host\n\n");
  std::printf(
      "| case | work per search | measured (median) | model | model / measured | fitted | fitted / "
      "measured |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Case& c : cases) {
    const double y = results.Median(c.Name());
    if (y < 0) continue;
    const Work& w = g_work[c.Name()];
    const double m = ModelNs(model, w, c.dim);
    const double f = ModelNs(fitted, w, c.dim);
    std::printf(
        "| %s | %.0f scanned, %.0f batched, %.0f graph, %.0f rows filtered | %.0f ns | %.0f ns | "
        "%.2f | %.0f ns | %.2f |\n",
        c.Name().c_str(), w.scanned, w.batched, w.graph, w.rows_filtered, y, m, m / y, f, f / y);
  }
  std::printf("\n| constant | compiled in | fitted here |\n|---|---|---|\n");
  std::printf("| segment_ns | %ld | %ld |\n", static_cast<long>(model.segment_ns),
              static_cast<long>(fitted.segment_ns));
  std::printf("| scanned_float_ns | %.4f | %.4f |\n", model.scanned_float_ns,
              fitted.scanned_float_ns);
  std::printf("| batched_float_ns | %.4f | %.4f |\n", model.batched_float_ns,
              fitted.batched_float_ns);
  std::printf("| graph_hop_ns | %.2f | %.2f |\n", model.graph_hop_ns, fitted.graph_hop_ns);
  std::printf("| row_filter_ns | %.3f | %.3f |\n", model.row_filter_ns, fitted.row_filter_ns);
}

}  // namespace
}  // namespace simvus::bench

int main(int argc, char** argv) {
  using namespace simvus::bench;
  std::vector<char*> args;
  bool smoke = false, has_repetitions = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      smoke = true;
      continue;
    }
    if (std::strncmp(argv[i], "--benchmark_repetitions", 23) == 0) has_repetitions = true;
    args.push_back(argv[i]);
  }
  static char smoke_min_time[] = "--benchmark_min_time=0.02";
  static char repetitions[] = "--benchmark_repetitions=5";
  if (smoke) args.push_back(smoke_min_time);
  if (!smoke && !has_repetitions) args.push_back(repetitions);
  int bench_argc = static_cast<int>(args.size());
  benchmark::Initialize(&bench_argc, args.data());

  // Brute force over sizes from in-cache to beyond the last-level cache; HNSW over ef; growing
  // segments whose visibility bitset walks every row; brute-force batches of kBatchNq queries.
  std::vector<Case> cases;
  const std::vector<int64_t> flat_rows =
      smoke ? std::vector<int64_t>{1000, 10000} : std::vector<int64_t>{1000, 10000, 50000, 200000};
  for (int64_t dim : {32, 128}) {
    for (int64_t rows : flat_rows) cases.push_back({Kind::kFlat, rows, dim});
    for (int64_t rows : flat_rows) cases.push_back({Kind::kFiltered, rows, dim});
    for (int64_t ef : {16, 64, 256}) cases.push_back({Kind::kHnsw, smoke ? 5000 : 20000, dim, ef});
    for (int64_t rows : flat_rows) cases.push_back({Kind::kBatch, rows, dim});
  }
  for (const Case& c : cases) {
    benchmark::RegisterBenchmark(c.Name().c_str(), BM_Search, c)->Unit(benchmark::kMicrosecond);
  }
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  Fit(cases, collector);
  benchmark::Shutdown();
  return 0;
}
