// Swarm: a random scenario per seed, run and checked; and Shrink, which reduces a failing one.
//
// DrawScenarioFile(seed) draws, TigerBeetle-style, a whole scenario file from the seed alone:
// cluster shape (shards, dim, metric, network latency), a workload of inserts of new rows,
// deletes of rows inserted before (often the most recent), searches at Strong, Bounded or
// Eventually, and pauses; and a nemesis of up to three fault windows (a query-node pause, a
// proxy/rootcoord split, a rootcoord crash and restart, a proxy clock skew), plus, from streams of
// their own, the read path (query nodes, proxies, replicas, query-node and QueryCoord crashes),
// the rest of the fault catalogue (faults::DrawExtraFaults: link faults, isolation, one-way
// splits, holds, clock jumps, crashes at named points), buggify for about a third of the seeds,
// and batches (a fifth of the searches with 2-4 query vectors in one request; an eighth of the
// seeds with vectors of 9-48 floats instead of 2-8). The same seed always draws the same file,
// which is an explicit timeline: written out, it replays without the seed's draws, so a shrunk
// failure keeps failing after unrelated code changes.
//
// Shrink keeps the failure's invariant and greedily removes faults (each with the fault that ends
// it: a split with its heal, a crash with its restart), then runs of steps (halves down to single
// steps), then extra shards, re-running each candidate with the same run seed. With an injected
// bug a candidate must also pass without the bug, so the result replays that bug and no other.
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.pb.h"

namespace simvus::scenarios {

scenario::ScenarioFile DrawScenarioFile(uint64_t seed);

struct SwarmOutcome {
  uint64_t seed = 0;
  RunReport report;
};

// Runs a scenario file as run seed `seed` (network jitter and every other draw of the run).
RunReport RunScenarioFile(const scenario::ScenarioFile& file, const std::string& name,
                          uint64_t seed, roles::ClusterConfig::InjectedBug bug);

struct ShrinkResult {
  bool failed = false;             // false: the seed passes, nothing to shrink
  std::string invariant;           // the failure kept while shrinking
  scenario::ScenarioFile minimal;  // the smallest file found that still fails with it
  int runs = 0;                    // scenario runs spent
  int steps_before = 0, steps_after = 0, faults_before = 0, faults_after = 0;
};

ShrinkResult Shrink(const scenario::ScenarioFile& file, uint64_t seed,
                    roles::ClusterConfig::InjectedBug bug);

// The file's text with a header saying where it came from and how to replay it.
std::string ShrunkFileText(const ShrinkResult& result, uint64_t seed,
                           roles::ClusterConfig::InjectedBug bug, const std::string& path);

}  // namespace simvus::scenarios
