// bench_search_path: the segment search path on wall clock, for the regression gate's planted
// wall-clock proof (tests/bench/bench_gate_test.sh planted-wallclock, bench/README.md).
//
// One benchmark: Segment::Search, exact brute force (a sealed segment without an index), top-10,
// one query per call, one thread, over a seeded clustered set of kRows x kDim (datasets.h's
// ClusteredDataset). Built twice (bench/CMakeLists.txt): bench_search_path as is, and
// bench_search_path_planted with SIMVUS_PLANT_SEARCH_SLOWDOWN_PERMILLE=200, which repeats the
// search (the same call, segment and query) in 200 of every 1000 iterations: 20% more of the very
// same work per iteration on average, under the same benchmark name, so that `simvus bench
// compare` matches the two builds' figures. Single-threaded, so real_time and cpu_time both
// measure the search; the gate judges both.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "components/env/check.h"
#include "components/segment/segment.h"
#include "scenarios/bench/datasets.h"

#ifndef SIMVUS_PLANT_SEARCH_SLOWDOWN_PERMILLE
#define SIMVUS_PLANT_SEARCH_SLOWDOWN_PERMILLE 0
#endif

namespace simvus::bench {
using namespace simvus::scenarios::bench;  // the datasets (datasets.h)
namespace {

constexpr int64_t kRows = 20'000;
constexpr int64_t kDim = 64;
constexpr int64_t kQueries = 16;
constexpr int64_t kPlantPermille = SIMVUS_PLANT_SEARCH_SLOWDOWN_PERMILLE;
static_assert(kPlantPermille >= 0 && kPlantPermille <= 1000);

// A sealed segment of the rows of `d`, pk = row id, no index: searches are brute force.
std::unique_ptr<segment::Segment> SealedSegment(const AnnDataset& d) {
  segment::CollectionSchema schema;
  schema.name = "search_path";
  schema.fields = {{segment::FieldId{100}, "pk", segment::DataType::kInt64, true},
                   {segment::FieldId{101}, "v", segment::DataType::kFloatVector, false, d.dim}};
  auto seg = std::make_unique<segment::Segment>(segment::SegmentId{1}, schema);
  segment::InsertBatch batch;
  batch.columns = {segment::FieldColumn::Empty(schema.fields[0]),
                   segment::FieldColumn::Empty(schema.fields[1])};
  batch.timestamps.assign(static_cast<size_t>(d.n), Timestamp{1});
  for (int64_t i = 0; i < d.n; ++i) batch.columns[0].int64s.push_back(i);
  batch.columns[1].floats = d.base;
  SIMVUS_CHECK(seg->Insert(batch).ok(), "bench_search_path: insert");
  seg->Seal();
  return seg;
}

// Built once per process, outside every timed loop.
struct Fixture {
  AnnDataset data = ClusteredDataset(/*seed=*/7, kRows, kDim, kQueries);
  std::unique_ptr<segment::Segment> segment = SealedSegment(data);
  std::vector<segment::SearchRequest> requests;

  Fixture() {
    for (int64_t q = 0; q < kQueries; ++q) {
      segment::SearchRequest& r = requests.emplace_back();
      r.queries.assign(data.queries.begin() + q * kDim, data.queries.begin() + (q + 1) * kDim);
      r.nq = 1;
      r.topk = data.k;
    }
  }
};

void BM_SearchPath(benchmark::State& state) {
  static const Fixture f;
  size_t q = 0;
  int64_t planted = 0;  // permille of a search owed by the planted slowdown (0 in the normal build)
  for (auto _ : state) {
    auto result = f.segment->Search(f.requests[q]);
    benchmark::DoNotOptimize(result);
    planted += kPlantPermille;
    if (planted >= 1000) {
      planted -= 1000;
      auto again = f.segment->Search(f.requests[q]);
      benchmark::DoNotOptimize(again);
    }
    q = (q + 1) % f.requests.size();
  }
}

}  // namespace
}  // namespace simvus::bench

BENCHMARK(simvus::bench::BM_SearchPath)
    ->Name("search_path/bruteforce/rows:" + std::to_string(simvus::bench::kRows) +
           "/dim:" + std::to_string(simvus::bench::kDim))
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
