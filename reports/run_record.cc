#include "reports/run_record.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

namespace simvus::reports {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The nemesis names its targets after the verb: "crash querynode-1,proxy-1 ...".
std::vector<std::string> NodesAfter(const std::string& text, const std::string& verb) {
  std::vector<std::string> nodes;
  if (!StartsWith(text, verb)) return nodes;
  const size_t begin = verb.size();
  const size_t end = text.find(' ', begin);
  const std::string list = text.substr(begin, end == std::string::npos ? end : end - begin);
  size_t at = 0;
  while (at <= list.size()) {
    const size_t comma = list.find(',', at);
    const std::string name = list.substr(at, comma == std::string::npos ? comma : comma - at);
    if (!name.empty()) nodes.push_back(name);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return nodes;
}

// "... for 2.177000s" / "for 500ms" -> the duration; nullopt when the text has none.
std::optional<Duration> LengthIn(const std::string& text) {
  const size_t at = text.find(" for ");
  if (at == std::string::npos) return std::nullopt;
  const char* begin = text.c_str() + at + 5;
  char* rest = nullptr;
  const double value = std::strtod(begin, &rest);
  if (rest == begin || value < 0) return std::nullopt;
  const std::string unit(rest, std::min<size_t>(2, std::strlen(rest)));
  if (unit.rfind("ms", 0) == 0) return Duration::Nanos(static_cast<int64_t>(value * 1e6));
  if (unit.rfind("us", 0) == 0) return Duration::Nanos(static_cast<int64_t>(value * 1e3));
  if (unit.rfind("s", 0) == 0) return Duration::Nanos(static_cast<int64_t>(value * 1e9));
  return std::nullopt;
}

int LaneRank(const std::string& node) {
  static const std::vector<std::string> order = {
      "rootcoord",  "datacoord", "querycoord", "indexcoord", "proxy-", "datanode-", "querynode-",
      "indexnode-", "client-",   "nemesis",    "kafka",      "etcd",   "s3"};
  for (size_t i = 0; i < order.size(); ++i) {
    if (StartsWith(node, order[i])) return static_cast<int>(i);
  }
  return static_cast<int>(order.size());
}

}  // namespace

std::string JudgeName(size_t i) {
  static const char* const names[] = {"liveness", "consistency-checker", "scenario-check",
                                      "storage-audit"};
  return i < 4 ? names[i] : "judge-" + std::to_string(i);
}

std::vector<std::string> JudgeCovers(size_t i) {
  switch (i) {
    case 0:
      return {"liveness", "workload-error"};
    case 1:  // consistency_checker.cc
      return {"tso-order",
              "read-snapshot",
              "acked-write-lost",
              "phantom-row",
              "deleted-row-returned",
              "wrong-distance",
              "topk-size",
              "duplicate-pk",
              "filter-violated",
              "bad-filter",
              "strong-read-stale",
              "session-read-your-writes",
              "bounded-staleness",
              "customized-guarantee",
              "single-visible-copy",
              "maybe-row-flapped",
              "ann-recall"};
    case 2:
      return {"the scenario's own expectations"};
    case 3:  // flush_audit.cc, index_audit.cc
      return {"flush-durability",  "flush-phantom",         "flush-double-apply",
              "flush-delete-lost", "segment-state-machine", "checkpoint-monotone",
              "index-file",        "index-coverage",        "index-stale-result"};
    default:
      return {};
  }
}

std::vector<FaultWindow> FaultWindows(const std::vector<TimedEvent>& events, Duration end) {
  std::vector<FaultWindow> windows;
  std::map<std::string, size_t> open_node;  // "crash:node" / "pause:node" -> window
  std::vector<size_t> open_splits, open_links;
  auto open = [&](std::string kind, std::vector<std::string> nodes, const TimedEvent& e) {
    windows.push_back({std::move(kind), std::move(nodes), e.at, end, e.event.text,
                       static_cast<int64_t>(e.index), -1});
    return windows.size() - 1;
  };
  auto close = [&](size_t w, const TimedEvent& e) {
    windows[w].end = e.at;
    windows[w].end_event = static_cast<int64_t>(e.index);
  };
  for (const TimedEvent& e : events) {
    const std::string& kind = e.event.kind;
    const std::string& node = e.event.node;
    if (kind == "node.crash" || kind == "node.pause") {
      const std::string key = kind + ":" + node;
      if (!open_node.count(key)) open_node[key] = open(kind, {node}, e);
    } else if (kind == "node.restart" || kind == "node.resume") {
      // A restart closes a crash (a restart of a live node is a crash and a start at once).
      const std::string key = (kind == "node.restart" ? "node.crash:" : "node.pause:") + node;
      auto it = open_node.find(key);
      if (it != open_node.end()) {
        close(it->second, e);
        open_node.erase(it);
      } else if (kind == "node.restart") {
        close(open("node.crash", {node}, e), e);
      }
    } else if (kind == "fault") {  // the nemesis
      const std::string& text = e.event.text;
      if (StartsWith(text, "network split ") || StartsWith(text, "one-way split ")) {
        std::vector<std::string> nodes;
        for (const std::string& part :
             {std::string("network split "), std::string("one-way split ")}) {
          if (!StartsWith(text, part)) continue;
          std::string rest = text.substr(part.size());
          for (const std::string sep : {"->", "|"}) {
            for (size_t at = rest.find(sep); at != std::string::npos; at = rest.find(sep, at)) {
              rest.replace(at, sep.size(), ",");
            }
          }
          rest.erase(std::remove(rest.begin(), rest.end(), ' '), rest.end());
          for (const std::string& n : NodesAfter(rest, "")) nodes.push_back(n);
        }
        open_splits.push_back(open("network.split", nodes, e));
      } else if (StartsWith(text, "isolate ")) {
        open_splits.push_back(open("network.isolate", NodesAfter(text, "isolate "), e));
      } else if (text == "network heals") {
        for (size_t w : open_splits) close(w, e);
        open_splits.clear();
      } else if (StartsWith(text, "link ") && text != "link faults end") {
        const size_t at = text.find(" at ");
        std::vector<std::string> nodes;
        if (at != std::string::npos) nodes = NodesAfter(text.substr(at + 4), "");
        open_links.push_back(open("network.link", nodes, e));
      } else if (text == "link faults end") {
        if (!open_links.empty()) {
          close(open_links.front(), e);
          open_links.erase(open_links.begin());
        }
      } else if (StartsWith(text, "clock ")) {
        const size_t w = open("clock", {}, e);
        close(w, e);
      }
      // crash / pause / restart by the nemesis show up as the world's node.* events.
    } else if (StartsWith(kind, "fault.") || kind == "etcd.leader_loss" ||
               kind == "etcd.lease_expired") {
      // Storage faults are traced when they begin, with their length in the text ("s3
      // unavailable for 2.177000s"); without one the report marks the moment.
      const size_t w = open("storage." + kind.substr(kind.find('.') + 1), {node}, e);
      windows[w].end = e.at;
      if (std::optional<Duration> length = LengthIn(e.event.text)) {
        windows[w].end = std::min(end, e.at + *length);
      }
    }
  }
  return windows;
}

std::vector<std::string> LaneOrder(const std::vector<TimedEvent>& events) {
  std::vector<std::string> nodes;
  for (const TimedEvent& e : events) {
    // A message's ends are lanes too (net.*); other events' from/to name channels or peers.
    const bool message = e.event.kind.rfind("net.", 0) == 0;
    for (const std::string* n : {&e.event.node, &e.event.from, &e.event.to}) {
      if (!message && n != &e.event.node) continue;
      if (!n->empty() && std::find(nodes.begin(), nodes.end(), *n) == nodes.end()) {
        nodes.push_back(*n);
      }
    }
  }
  std::stable_sort(nodes.begin(), nodes.end(), [](const std::string& a, const std::string& b) {
    const int ra = LaneRank(a), rb = LaneRank(b);
    if (ra != rb) return ra < rb;
    return a < b;
  });
  return nodes;
}

int64_t FailedEvent(const RunRecord& record) {
  if (record.pass || record.events.empty()) return -1;
  // The failed operation: the first "op #N" the checker's detail names, at its completion.
  Duration at = record.end;
  bool found = false;
  const size_t mark = record.detail.find("op #");
  if (record.history != nullptr && mark != std::string::npos) {
    size_t digits = mark + 4;
    int64_t index = 0;
    while (digits < record.detail.size() &&
           std::isdigit(static_cast<unsigned char>(record.detail[digits]))) {
      index = index * 10 + (record.detail[digits++] - '0');
    }
    const std::vector<Operation>& ops = record.history->ops();
    if (digits > mark + 4 && index < static_cast<int64_t>(ops.size()) &&
        ops[static_cast<size_t>(index)].outcome != Outcome::kPending) {
      at = ops[static_cast<size_t>(index)].complete_at;
      found = true;
    }
  }
  int64_t last_step = -1;
  for (const TimedEvent& e : record.events) {
    if (found && e.at >= at) return static_cast<int64_t>(e.index);
    if (e.event.level == TraceLevel::kStep) last_step = static_cast<int64_t>(e.index);
  }
  return last_step;
}

}  // namespace simvus::reports
