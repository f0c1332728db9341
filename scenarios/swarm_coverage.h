// SwarmCoverage: what a swarm's faults hit — fault kind x the lifecycle state the cluster was in
// when each fault fired, and how often each crash point and buggify site fired — so that the
// holes show (a kind that never met a Flushing segment, a crash point never reached).
//
// Per seed it comes from the run's Nemesis (RunReport::coverage, fired_points); it travels in the
// seed's JSON line as one string field, so shards and job processes merge like the results do.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "scenarios/runner.h"

namespace simvus::scenarios {

class SwarmCoverage {
 public:
  void Add(const RunReport& report);
  void Merge(const SwarmCoverage& other);

  // "crash@Flushing=2;crash-at datanode/sync:after-binlogs=1;..." (no quotes, no backslashes).
  std::string Encode() const;
  static SwarmCoverage Decode(const std::string& text);

  // Markdown: one row per catalogue kind, one column per lifecycle state; then every crash point
  // and buggify site with its firings (0 where it never fired).
  std::string Table() const;

  int64_t cell(const std::string& kind, const std::string& state) const;

 private:
  std::map<std::pair<std::string, std::string>, int64_t> cells_;
  std::map<std::string, int64_t> fired_;
};

}  // namespace simvus::scenarios
