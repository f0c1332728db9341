#include "scenarios/cli_parse.h"

namespace simvus::scenarios {

CLI::Validator Check(std::function<std::string(const std::string&)> error) {
  return CLI::Validator([error](std::string& v) { return error(v); }, "", "");
}

std::optional<uint64_t> ParseSeed(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

std::optional<std::string> ParseArgs(CLI::App& app, const std::vector<std::string>& args) {
  app.set_help_flag();  // the command answers --help itself, or not at all
  app.allow_extras();   // named below, as simvus names an unknown flag
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return std::string(e.what());
  }
  if (!app.remaining().empty()) return "unknown flag or argument '" + app.remaining().front() + "'";
  return std::nullopt;
}

}  // namespace simvus::scenarios
