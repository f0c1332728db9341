// ObjectStoreConformance: the ObjectStore port's contract (components/env/object_store.h, S3
// semantics), for any backend. Keys live under h().Unique("...") prefixes, so a shared bucket
// works.
#pragma once

#include "tests/conformance/storage_harness.h"

namespace simvus::conformance {

class ObjectStoreConformance : public StorageConformance {};

}  // namespace simvus::conformance
