#include "scenarios/real_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "real/local_backends.h"
#include "real/real_backends.h"
#include "real/runtime/wall_clock.h"
#include "scenarios/real_runner.h"
#include "scenarios/report_command.h"
#include "scenarios/server/role_processes.h"

namespace simvus::scenarios {

namespace {

constexpr int kExitBackend = 3;

}  // namespace

Result<RunReport> RunOnRealBackends(const Scenario& scenario, const RunOptions& options, bool quiet,
                                    bool processes) {
  // Endpoints from the environment; whatever is not set, we start on loopback ourselves.
  Result<real::RunBackends> run_backends =
      real::StartMissingBackends("", [](const std::string& names) {
        std::cout << "simvus: starting" << names
                  << " on loopback (set ETCD_ENDPOINTS / KAFKA_BOOTSTRAP / S3_ENDPOINT to use "
                     "your own)\n";
      });
  if (!run_backends.ok()) return run_backends.status();
  std::unique_ptr<real::LocalBackends> local = std::move(run_backends->local);
  const std::map<std::string, std::string>& settings = run_backends->settings;
  const std::vector<std::string>& missing = run_backends->started;
  const real::BackendEndpoints endpoints = real::EndpointsFrom(settings);
  std::cout << "simvus: backends: Kafka " << endpoints.kafka_bootstrap << ", etcd "
            << endpoints.etcd_endpoints << ", S3 " << endpoints.s3_endpoint << " bucket "
            << endpoints.s3_bucket << "\n";
  Result<std::unique_ptr<real::RealBackends>> backends =
      real::RealBackends::Connect(endpoints, "by-dev/");
  if (!backends.ok()) {
    if (local) {
      local->set_keep(true);
      std::fprintf(stderr, "simvus: the servers' logs are kept in %s\n", local->dir().c_str());
    }
    return backends.status();
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
  std::unique_ptr<ClusterProcesses> role_processes;
  if (processes) {
    ClusterFile file;
    file.backends = settings;
    file.config = RealRunConfig(scenario, real_options);
    const std::string dir = "/tmp/simvus-processes-" + real_options.run_id;
    Result<std::unique_ptr<ClusterProcesses>> started = ClusterProcesses::Start(dir, file);
    if (!started.ok()) return started.status();
    role_processes = std::move(*started);
    real_options.remote_roles = role_processes->transport();
    if (!quiet) {
      std::cout << "simvus: every role in a process of its own (logs in " << dir << "/logs)\n";
    }
  }
  if (!quiet) {
    std::cout << "simvus: scenario '" << scenario.name << "' on real backends, wall clock (run "
              << real_options.run_id << "): " << scenario.description << "\n\n";
  }
  RunReport report = RunScenarioReal(scenario, real_options);
  if (role_processes && !report.pass) {
    role_processes->set_keep(true);
    std::cout << "simvus: the roles' logs are kept in " << role_processes->dir() << "/logs\n";
  }
  role_processes.reset();  // before the backends they use
  backends->reset();       // before the servers go
  if (local && !report.pass) {
    local->set_keep(true);
    std::cout << "simvus: the servers' logs and data are kept in " << local->dir() << "\n";
  }
  local.reset();
  return report;
}

int RunRealCommand(const Scenario& scenario, const RunOptions& options, bool quiet, bool processes,
                   const std::string& report_dir) {
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
  Result<RunReport> ran = RunOnRealBackends(scenario, options, quiet, processes);
  if (!ran.ok()) {
    std::fprintf(stderr, "simvus: %s\n", ran.status().ToString().c_str());
    return kExitBackend;
  }
  const RunReport& report = *ran;
  std::cout.flush();
  std::printf("verdict: %s backend=real%s seed=%llu %s=%llu wall_time=%s checked_reads=%lld%s%s\n",
              report.pass ? "PASS" : "FAIL", processes ? " processes" : "",
              static_cast<unsigned long long>(report.seed),
              processes ? "client_events" : "events",  // the roles' are in their processes' logs
              static_cast<unsigned long long>(report.events), ToString(report.sim_time).c_str(),
              static_cast<long long>(report.checked_reads),
              report.pass ? "" : " invariant=", report.pass ? "" : report.invariant.c_str());
  if (!report.pass) std::printf("  %s\n", report.detail.c_str());
  if (!report_dir.empty()) {
    const Status written =
        WriteRunReport(report_dir, scenario.name, scenario, options, report, "real");
    if (!written.ok()) {
      std::fprintf(stderr, "simvus: the report was not written: %s\n", written.ToString().c_str());
    } else {
      std::printf("report: %s/report.html (and report.json, summary.md)\n", report_dir.c_str());
    }
  }
  std::printf(
      "(a real-mode run is not deterministic: no trace hash; the same scenario in the "
      "simulator: simvus run %s --seed %llu)\n",
      scenario.name.c_str(), static_cast<unsigned long long>(report.seed));
  return report.pass ? 0 : 1;
}

}  // namespace simvus::scenarios
