#include "scenarios/swarm_coverage.h"

#include <cstdlib>

#include "faults/fault_catalogue.h"

namespace simvus::scenarios {
namespace {

constexpr const char* kStates[] = {"Growing",  "Sealed",  "Flushing", "Flushed",
                                   "Indexing", "Dropped", "-"};

}  // namespace

void SwarmCoverage::Add(const RunReport& report) {
  for (const auto& [cell, n] : report.coverage) cells_[cell] += n;
  for (const auto& [name, n] : report.fired_points) fired_[name] += n;
}

void SwarmCoverage::Merge(const SwarmCoverage& other) {
  for (const auto& [cell, n] : other.cells_) cells_[cell] += n;
  for (const auto& [name, n] : other.fired_) fired_[name] += n;
}

std::string SwarmCoverage::Encode() const {
  std::string out;
  for (const auto& [cell, n] : cells_) {
    out += (out.empty() ? "" : ";") + cell.first + "@" + cell.second + "=" + std::to_string(n);
  }
  for (const auto& [name, n] : fired_) {
    out += (out.empty() ? "" : ";") + name + "=" + std::to_string(n);
  }
  return out;
}

SwarmCoverage SwarmCoverage::Decode(const std::string& text) {
  SwarmCoverage c;
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find(';', at), text.size());
    const std::string item = text.substr(at, end - at);
    at = end + 1;
    const size_t eq = item.rfind('=');
    if (eq == std::string::npos) continue;
    const int64_t n = std::strtoll(item.c_str() + eq + 1, nullptr, 10);
    const std::string key = item.substr(0, eq);
    const size_t sep = key.find('@');
    if (sep == std::string::npos) {
      c.fired_[key] += n;  // "crash-at POINT" or "buggify SITE"
    } else {
      c.cells_[{key.substr(0, sep), key.substr(sep + 1)}] += n;
    }
  }
  return c;
}

int64_t SwarmCoverage::cell(const std::string& kind, const std::string& state) const {
  auto it = cells_.find({kind, state});
  return it == cells_.end() ? 0 : it->second;
}

std::string SwarmCoverage::Table() const {
  std::string out = "| fault \\ cluster state when it fired |";
  std::string rule = "|---|";
  for (const char* s : kStates) {
    out += std::string(" ") + (std::string(s) == "-" ? "no segment" : s) + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const faults::FaultKindInfo& info : faults::Catalogue()) {
    out += std::string("| ") + info.name + " |";
    for (const char* s : kStates) out += " " + std::to_string(cell(info.name, s)) + " |";
    out += "\n";
  }
  auto fired = [this](const std::string& name) {
    auto it = fired_.find(name);
    return it == fired_.end() ? int64_t{0} : it->second;
  };
  out += "\n| crash point or buggify site | firings |\n|---|---|\n";
  for (const faults::NamedSite& p : faults::CrashPoints()) {
    out += std::string("| crash-at ") + p.name + " | " +
           std::to_string(fired(std::string("crash-at ") + p.name)) + " |\n";
  }
  for (const faults::NamedSite& s : faults::BuggifySites()) {
    out += std::string("| buggify ") + s.name + " | " +
           std::to_string(fired(std::string("buggify ") + s.name)) + " |\n";
  }
  return out;
}

}  // namespace simvus::scenarios
