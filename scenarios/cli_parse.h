// CLI11 for the commands whose arguments arrive as a list (`simvus up`, `down`, `restart`,
// `serve`, `tour`: CLI11 in main.cc hands them everything after their name), worded as simvus
// words its usage errors: "--port: Value 70000 not in range 1 to 65535", "unknown flag '--x'".
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace simvus::scenarios {

// A check whose `error` returns "" for a good value, else what was expected ("'x' is not ...").
CLI::Validator Check(std::function<std::string(const std::string&)> error);

// A seed (or any count): decimal digits only, at most 19 of them; nullopt otherwise.
std::optional<uint64_t> ParseSeed(const std::string& text);

// Parses `args`, in the order given, into `app`. nullopt when they are good; else the message.
std::optional<std::string> ParseArgs(CLI::App& app, const std::vector<std::string>& args);

}  // namespace simvus::scenarios
