// MockControl: the client of simvus-kafka-mock's control port (kafka_mock_host.cc): topic
// creation, which the mock cluster has no Kafka API for, and broker down/up faults. Blocking,
// with a timeout; call it from an I/O thread.
#pragma once

#include <string>

#include "components/env/status.h"
#include "components/env/time.h"

namespace simvus::real {

// Sends one command line ("create T 2", "down 1") to host:port and returns its answer: OK for
// "ok ...", kUnavailable if the host is unreachable, kFailedPrecondition with the host's text for
// "error ...".
Status MockControlCommand(const std::string& control, const std::string& command,
                          Duration timeout = Duration::Seconds(5));

}  // namespace simvus::real
