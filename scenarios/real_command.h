// `simvus run <scenario> --backend real`: finds or starts the backends, checks them, runs the
// scenario on them with RunScenarioReal, prints the verdict, stops what it started.
#pragma once

#include "components/env/result.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace simvus::scenarios {

// Finds the backends (ETCD_ENDPOINTS / KAFKA_BOOTSTRAP / S3_ENDPOINT) or starts what is missing on
// loopback, runs the scenario on them with RunScenarioReal (`processes`: every role in a `simvus
// serve` process of its own), and stops what it started; a failed run keeps the servers' and
// roles' logs and says where. A backend that cannot be started or reached is the error (its
// message names it and its endpoint). REQUIRES: scenario.real_backends.
Result<RunReport> RunOnRealBackends(const Scenario& scenario, const RunOptions& options, bool quiet,
                                    bool processes);

// Exit status: 0 pass, 1 the checker failed the run, 3 a backend could not be started or reached
// (the message names it and its endpoint). `processes`: every role in a `simvus serve` process of
// its own (scenarios/server), the clients here, gRPC between them.
// report_dir: write the run's report there ("" for none; the caller checked it is writable).
int RunRealCommand(const Scenario& scenario, const RunOptions& options, bool quiet, bool processes,
                   const std::string& report_dir = "");

}  // namespace simvus::scenarios
