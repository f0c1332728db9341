// LogConformance: the Log port's contract (components/env/log.h, Kafka semantics), for any backend.
// Instantiate with INSTANTIATE_TEST_SUITE_P(<Name>, LogConformance, ::testing::Values(<Backend>),
// BackendName); see storage_harness.h and README.md.
#pragma once

#include "tests/conformance/storage_harness.h"

namespace simvus::conformance {

class LogConformance : public StorageConformance {};

}  // namespace simvus::conformance
