#include "components/env/check.h"

#include <cstdio>
#include <cstdlib>

namespace simvus {
namespace {
std::function<std::string()>& CheckContext() {
  static std::function<std::string()> context;
  return context;
}
}  // namespace

void SetCheckContext(std::function<std::string()> describe_run) {
  CheckContext() = std::move(describe_run);
}

void CheckFailed(const char* file, int line, const char* condition, std::string_view message) {
  std::fprintf(stderr, "CHECK failed at %s:%d: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(message.size()), message.data());
  if (CheckContext()) {
    std::string context = CheckContext()();
    std::fprintf(stderr, "  %s\n", context.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace simvus
