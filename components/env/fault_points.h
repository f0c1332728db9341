// FaultPoints: named sites in role code where the simulator may make things go wrong.
//
// Two kinds, FoundationDB style:
//   - Buggify(env, "site") is true when the site should take its rare-but-legal path now (a late
//     time tick, a slow sync, a skipped checker round). Sites are enabled per seed, only under
//     simulation, and each firing is a traced event. Outside simulation Env::faults is null and
//     every site is false.
//   - `co_await CrashPoint(env, "point")` marks a named point of a lifecycle step ("datanode/
//     sync:after-binlogs"): when a crash is armed there for this node, the node dies at this very
//     instruction. The simulator tears the incarnation down before the node runs anything else;
//     the awaiting coroutine never resumes (its frame goes with the incarnation).
// The site and point names a scenario can name are listed in faults/fault_catalogue.h.
#pragma once

#include <coroutine>
#include <string>
#include <string_view>

namespace simvus {

class FaultPoints {
 public:
  virtual ~FaultPoints() = default;
  virtual bool Buggify(const std::string& node, std::string_view site) = 0;
  // True when an armed crash fires here: the node is already marked down when this returns.
  virtual bool CrashHere(const std::string& node, std::string_view point) = 0;
};

struct Env;

// Awaited at a crash point; does not suspend unless the crash fires.
class CrashPointAwaiter {
 public:
  explicit CrashPointAwaiter(bool crashed) : crashed_(crashed) {}
  bool await_ready() const noexcept { return !crashed_; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}  // never resumed
  void await_resume() const noexcept {}

 private:
  bool crashed_;
};

}  // namespace simvus
