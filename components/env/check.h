// SIMVUS_CHECK: an assertion for our own bugs, on in every build.
//
// On failure it prints the message together with the run context (seed, sim time, repro
// command) that the runner registered, then aborts. Timeouts, drops, crashed peers and stale
// reads are values (Status), never checks.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace simvus {

// The runner installs a function that describes the run (seed, sim time, repro command);
// CheckFailed prints it. Nothing is installed by default.
void SetCheckContext(std::function<std::string()> describe_run);

[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              std::string_view message);

}  // namespace simvus

#define SIMVUS_CHECK(cond, message)                                           \
  do {                                                                        \
    if (!(cond)) ::simvus::CheckFailed(__FILE__, __LINE__, #cond, (message)); \
  } while (0)
