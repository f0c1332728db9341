// BenchCommand: `simvus bench compare | ingest | search | freshness | recovery | streaming |
// simulator`, macro benchmarks through the simulated cluster or on real backends (macro_bench.h)
// and the gate that compares a run against a baseline (bench/README.md).
//
// - compare BASELINE.json CURRENT.json [--tolerance R] [--alpha A] [--min-change R]: both files
//   in Google Benchmark's JSON format, each side possibly several files joined by commas (their
//   repetitions pooled); prints a table (reports/bench_compare.h has the rules) and exits 1 on a
//   regression, 0 otherwise, 2 on bad input.
// - ingest [--rows N] [--dim D] [--seed S] [--out FILE]: N rows inserted in batches of 1,000 by
//   one client, flushed, indexed (HNSW); sim-time rows/s, insert, flush and index time, network
//   messages and bytes.
// - search [--rows N] [--dim D] [--queries Q] [--seed S] [--out FILE]: N rows flushed into about
//   four HNSW-indexed segments on 2 query nodes, then Q Bounded top-10 searches from 2 clients;
//   sim-time QPS, p50 / p99 latency, recall@10 against brute force, the search phase's messages
//   and bytes.
// - freshness [--rows N] [--dim D] [--rate R] [--probes P] [--seed S] [--out FILE]: insert ->
//   visible latency at Strong, Bounded and Eventually under R rows/s of load
//   (freshness_bench.cc).
// - recovery [--rows N] [--dim D] [--seed S] [--out FILE]: a query node crash -> serving again,
//   a data node crash and restart -> a flush completes (recovery_bench.cc).
// - streaming [--rows N] [--dim D] [--rate R] [--queries Q] [--seed S] [--out FILE]: search
//   QPS, latency and recall while R rows/s are inserted (streaming_bench.cc).
// - simulator [--rows N] [--dim D] [--query-nodes Q] [--seed S] [--out FILE]: the simulator's
//   own speed and memory on a large run with crashes (simulator_bench.cc).
// - `--backend real` (all but simulator): the same workload on real Kafka / etcd / S3 protocols,
//   found from the environment or started on loopback, on the wall clock: wall_ figures instead
//   of det_sim_ ones, no network counters (macro_bench.h, ToWallClockFigures).
//
// Determinism: every `det_` figure the benchmarks print or write is a pure function of (seed,
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
