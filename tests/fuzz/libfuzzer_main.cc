// The libFuzzer entry point of one fuzz target, chosen at build time by SIMVUS_FUZZ_TARGET (its
// name in kFuzzTargets). Built only in the `fuzz` preset (clang, -fsanitize=fuzzer).
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "components/env/check.h"
#include "tests/fuzz/fuzz_targets.h"

namespace {

const simvus::fuzz::FuzzTarget& Target() {
  static const simvus::fuzz::FuzzTarget* target = [] {
    for (const simvus::fuzz::FuzzTarget& t : simvus::fuzz::kFuzzTargets) {
      if (std::strcmp(t.name, SIMVUS_FUZZ_TARGET) == 0) return &t;
    }
    SIMVUS_CHECK(false, "no fuzz target named " SIMVUS_FUZZ_TARGET);
    return static_cast<const simvus::fuzz::FuzzTarget*>(nullptr);
  }();
  return *target;
}

}  // namespace

// protobuf logs every invalid UTF-8 string it parses; a fuzzer makes millions of them.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Target().run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
