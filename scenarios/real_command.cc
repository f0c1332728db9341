#include "scenarios/real_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "real/local_backends.h"
#include "real/real_backends.h"
#include "real/runtime/wall_clock.h"
#include "scenarios/real_runner.h"

namespace simvus::scenarios {

namespace {

constexpr int kExitBackend = 3;

}  // namespace

int RunRealCommand(const Scenario& scenario, const RunOptions& options, bool quiet) {
  if (!scenario.real_backends) {
    std::string runnable;
    for (const Scenario& s : AllScenarios()) {
      if (s.real_backends) runnable += (runnable.empty() ? "" : ", ") + s.name;
    }
    std::fprintf(stderr,
                 "simvus: scenario '%s' needs the simulator (its faults, crashes or clock "
                 "control); with --backend real, run one of: %s\n",
                 scenario.name.c_str(), runnable.c_str());
    return 2;
  }
  // Endpoints from the environment; whatever is not set, we start on loopback ourselves.
  const std::map<std::string, std::string> given = real::LoadEndpointSettings();
  real::BackendEndpoints endpoints = real::EndpointsFrom(given);
  std::vector<std::string> missing;
  if (endpoints.etcd_endpoints.empty()) missing.push_back("etcd");
  if (endpoints.kafka_bootstrap.empty()) missing.push_back("kafka");
  if (endpoints.s3_endpoint.empty()) missing.push_back("s3rver");
  std::unique_ptr<real::LocalBackends> local;
  if (!missing.empty()) {
    std::string names;
    for (const std::string& m : missing) names += " " + m;
    std::cout << "simvus: starting" << names
              << " on loopback (set ETCD_ENDPOINTS / KAFKA_BOOTSTRAP / S3_ENDPOINT to use your "
                 "own)\n";
    std::cout.flush();
    Result<std::unique_ptr<real::LocalBackends>> started = real::LocalBackends::Start(missing);
    if (!started.ok()) {
      std::fprintf(stderr, "simvus: %s\n", started.status().message().c_str());
      return kExitBackend;
    }
    local = std::move(*started);
    // The started servers fill in only what was not given.
    std::map<std::string, std::string> merged = local->settings();
    for (const auto& [key, value] : given) merged[key] = value;
    endpoints = real::EndpointsFrom(merged);
  }
  std::cout << "simvus: backends: Kafka " << endpoints.kafka_bootstrap << ", etcd "
            << endpoints.etcd_endpoints << ", S3 " << endpoints.s3_endpoint << " bucket "
            << endpoints.s3_bucket << "\n";
  Result<std::unique_ptr<real::RealBackends>> backends =
      real::RealBackends::Connect(endpoints, "by-dev/");
  if (!backends.ok()) {
    std::fprintf(stderr, "simvus: %s\n", backends.status().ToString().c_str());
    if (local) {
      local->set_keep(true);
      std::fprintf(stderr, "simvus: the servers' logs are kept in %s\n", local->dir().c_str());
    }
    return kExitBackend;
  }

  RealRunOptions real_options;
  real_options.run = options;
  real_options.run_id =
      std::to_string(getpid()) + "-" + std::to_string(real::WallNow().unix_ms() % 100000000);
  real_options.ports = (*backends)->Ports();
  // Outages only on servers we started and may crash, and only when all three are ours.
  if (local && missing.size() == 3) {
    real::LocalBackends* servers = local.get();
    real_options.outage = [servers](const std::string& server, Duration outage) {
      return servers->Outage(server, outage);
    };
  }
  if (!quiet) {
    std::cout << "simvus: scenario '" << scenario.name << "' on real backends, wall clock (run "
              << real_options.run_id << "): " << scenario.description << "\n\n";
  }
  RunReport report = RunScenarioReal(scenario, real_options);
  backends->reset();  // before the servers go
  if (local && !report.pass) {
    local->set_keep(true);
    std::cout << "simvus: the servers' logs and data are kept in " << local->dir() << "\n";
  }
  local.reset();
  std::cout.flush();
  std::printf(
      "verdict: %s backend=real seed=%llu events=%llu wall_time=%s checked_reads=%lld%s%s\n",
      report.pass ? "PASS" : "FAIL", static_cast<unsigned long long>(report.seed),
      static_cast<unsigned long long>(report.events), ToString(report.sim_time).c_str(),
      static_cast<long long>(report.checked_reads),
      report.pass ? "" : " invariant=", report.pass ? "" : report.invariant.c_str());
  if (!report.pass) std::printf("  %s\n", report.detail.c_str());
  std::printf(
      "(a real-mode run is not deterministic: no trace hash; the same scenario in the "
      "simulator: simvus run %s --seed %llu)\n",
      scenario.name.c_str(), static_cast<unsigned long long>(report.seed));
  return report.pass ? 0 : 1;
}

}  // namespace simvus::scenarios
