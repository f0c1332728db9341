// Fuzz targets: one function per parser or decoder that reads input simvus does not control.
//
// Each takes arbitrary bytes and must return normally: bad input is a Status, never a crash, a
// hang or memory corruption. Each also asserts the property that makes its decoder trustworthy
// (a printer that round-trips, a checksum that is checked, a validated request that the segment
// accepts), with SIMVUS_CHECK, so a violated property aborts like a crash and the fuzzer keeps
// the input. The same functions run under libFuzzer (libfuzzer_main.cc, the `fuzz` preset) and
// over the checked-in corpora in the ordinary test build (corpus_replay_test.cc, label `fuzz`).
#pragma once

#include <string_view>

namespace simvus::fuzz {

// Filter expressions: Parse, print, parse again (same tree), Bind to a fixed schema, Evaluate.
void FuzzFilterExpression(std::string_view data);
// Segment files read back from the object store: binlogs, statslog, deltalog, index file.
void FuzzSegmentFiles(std::string_view data);
// Log messages as a query node consumes them from its pchannel.
void FuzzLogMessage(std::string_view data);
// The proxy's schema and insert validation, and the segment that must accept what it passes.
void FuzzInsertValidation(std::string_view data);
// Scenario files as `simvus run FILE` reads them.
void FuzzScenarioFile(std::string_view data);

struct FuzzTarget {
  const char* name;  // also the corpus folder: tests/fuzz/corpus/<name>/
  void (*run)(std::string_view data);
};
inline constexpr FuzzTarget kFuzzTargets[] = {
    {"filter_expression", FuzzFilterExpression},
    {"segment_files", FuzzSegmentFiles},
    {"log_message", FuzzLogMessage},
    {"insert_validation", FuzzInsertValidation},
    {"scenario_file", FuzzScenarioFile},
};

}  // namespace simvus::fuzz
