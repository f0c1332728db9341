// BenchCommand: `simvus bench compare | ingest | search`, macro benchmarks through the simulated
// cluster and the gate that compares a run against a baseline (bench/README.md).
//
// - compare BASELINE.json CURRENT.json [--tolerance R] [--alpha A] [--min-change R]: both files
//   in Google Benchmark's JSON format; prints a table (reports/bench_compare.h has the rules) and
//   exits 1 on a regression, 0 otherwise, 2 on bad input.
// - ingest [--rows N] [--dim D] [--seed S] [--out FILE]: N rows inserted in batches of 1,000 by
//   one client, flushed, indexed (HNSW); sim-time rows/s, insert, flush and index time, network
//   messages and bytes.
// - search [--rows N] [--dim D] [--queries Q] [--seed S] [--out FILE]: N rows flushed into about
//   four HNSW-indexed segments on 2 query nodes, then Q Bounded top-10 searches from 2 clients;
//   sim-time QPS, p50 / p99 latency, recall@10 against brute force, the search phase's messages
//   and bytes.
//
// Determinism: every `det_` figure ingest and search print or write is a pure function of (seed,
// sizes, code): it comes from simulated time and the simulated network only. Only real_time and
// cpu_time (host time of the whole run) are wall clock. SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN=F
// (a fraction, e.g. 0.05; read by `search` only) plants a slowdown of the workers' search cost,
// for the gate's own test.
#pragma once

#include <string>
#include <vector>

namespace simvus::scenarios {

// `args` are the words after `simvus bench` ({"compare", "a.json", "b.json"}). Returns the exit
// code: 0, 1 (a regression, compare only) or 2 (bad input; the message names what was expected).
int BenchCommand(const std::vector<std::string>& args);

}  // namespace simvus::scenarios
