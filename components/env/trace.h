// Trace: structured events of a run, for narration, reports and the determinism hash.
//
// A trace event says who did what to whom and why, in the seed's terms. The Trace implementation
// stamps it with the time (sim time in simulation). Events of level kStep are the narrated
// story (one line each in `simvus run`); kDetail events (every network delivery, every poll) are
// recorded and hashed but shown only with --verbose. The run's trace hash covers every event.
#pragma once

#include <string>

namespace simvus {

enum class TraceLevel { kDetail, kStep };

struct TraceEvent {
  TraceLevel level = TraceLevel::kDetail;
  std::string node;  // where it happened
  std::string kind;  // dotted category: "net.deliver", "proxy.insert", "tso.alloc", ...
  std::string from;  // for messages: sender
  std::string to;    // for messages: receiver
  std::string text;  // what and why, in plain words
};

class Trace {
 public:
  virtual ~Trace() = default;
  virtual void Record(TraceEvent event) = 0;
};

}  // namespace simvus
