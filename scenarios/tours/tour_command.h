// `simvus tour`: the seed's chapters, each narrated from a real simulated run.
//
//   simvus tour list
//   simvus tour <chapter> [--seed N] [--lang en|zh] [--no-pause] [--set KEY=VALUE]...
//                         [--report DIR]
//
// Pauses between steps only when stdin and stdout are terminals and --no-pause is not given.
// Exit codes as the rest of simvus: 0 the run passed, 1 it failed, 2 bad usage (an unknown
// chapter, --lang, --set key, a value of the wrong type or out of range, a bad --seed, an
// unwritable --report directory), naming what was expected.
#pragma once

#include <string>
#include <vector>

namespace simvus::scenarios {

int TourCommand(const std::vector<std::string>& args);

// The usage lines of `simvus tour`, for simvus's own usage text.
const char* TourUsage();

}  // namespace simvus::scenarios
