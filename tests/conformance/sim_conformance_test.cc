// The storage conformance suites against the simulated services (sim/storage/).
#include "tests/conformance/log_conformance.h"
#include "tests/conformance/meta_store_conformance.h"
#include "tests/conformance/object_store_conformance.h"
#include "tests/conformance/sim_storage_harness.h"

namespace simvus::conformance {

INSTANTIATE_TEST_SUITE_P(Sim, LogConformance, ::testing::Values(SimBackend()), BackendName);
INSTANTIATE_TEST_SUITE_P(Sim, ObjectStoreConformance, ::testing::Values(SimBackend()), BackendName);
INSTANTIATE_TEST_SUITE_P(Sim, MetaStoreConformance, ::testing::Values(SimBackend()), BackendName);

}  // namespace simvus::conformance
