// The `backend-outages` scenario, in both modes: writes and Strong reads while each backend in
// turn is down for two seconds — a Kafka broker, etcd, S3 — then a flush, a count(*) and a
// final read. Nothing acknowledged may be lost and every read is checked.
//
// In the simulator the outages are the storage services' faults (broker down, etcd leader loss,
// S3 outage); with --backend real they are done to the servers simvus started: a mock broker
// taken down and up, etcd and s3rver killed (SIGKILL) and restarted on the same ports and data
// (real/backends/outage).
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario BackendOutagesScenario();

}  // namespace simvus::scenarios
