// MetaStoreConformance: the MetaStore port's contract (components/env/meta_store.h, etcd v3
// semantics), for any backend. Keys live under h().Unique("...") prefixes, so a shared real etcd
// works. Revisions are compared relative to the store's revision at the start of each test.
#pragma once

#include "tests/conformance/storage_harness.h"

namespace simvus::conformance {

class MetaStoreConformance : public StorageConformance {};

}  // namespace simvus::conformance
