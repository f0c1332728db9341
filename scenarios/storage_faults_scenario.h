// The `storage-faults` scenario: writes, deletes and Strong reads while the storage services
// fail. Per seed it draws a plan of storage faults over the first 20 s — Kafka broker down, S3
// outage or SlowDown storm, etcd leader loss, every etcd lease expiring (which drops the proxy's
// session and stalls time ticks until it registers again) — and checks every read with the
// consistency checker. No fault loses acknowledged data (data loss is a separate, named fault),
// so every acknowledged write must stay visible.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario StorageFaultsScenario();

}  // namespace simvus::scenarios
