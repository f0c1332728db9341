#include "real/local_backends.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace simvus::real {

namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGABRT, SIGSEGV, SIGBUS};

// The directory to clean up if a signal ends the process (one run at a time per process).
char g_stop_command[4096];

void StopOnSignal(int signal_number) {
  // Not async-signal-safe in theory; in practice the process is ending and the servers must not
  // outlive it.
  if (g_stop_command[0] != 0) {
    signal(SIGPIPE, SIG_IGN);  // the stop script's own output may hit the same closed pipe
    if (std::system(g_stop_command) != 0) {
      // Nothing more to do: the process is ending.
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::string LocalBackends::ScriptsDir() {
  return std::string(SIMVUS_SOURCE_DIR) + "/real/backends";
}

Result<std::unique_ptr<LocalBackends>> LocalBackends::Start(const std::vector<std::string>& servers,
                                                            const std::string& dir) {
  std::unique_ptr<LocalBackends> backends(new LocalBackends());
  if (dir.empty()) {
    char pattern[] = "/tmp/simvus-backends-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return Internal("cannot create a directory under /tmp");
    backends->dir_ = pattern;
  } else {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return InvalidArgument("cannot create " + dir + ": " + error.message());
    backends->dir_ = dir;
  }
  std::string command = "SIMVUS_KAFKA_MOCK=" + Quote(SIMVUS_KAFKA_MOCK_PATH) + " " +
                        Quote(ScriptsDir() + "/up") + " " + Quote(backends->dir_);
  for (const std::string& s : servers) command += " " + s;
  const std::string stop =
      Quote(ScriptsDir() + "/down") + " " + Quote(backends->dir_) + " >/dev/null 2>&1";
  std::snprintf(g_stop_command, sizeof g_stop_command, "%s", stop.c_str());
  // Ctrl-C, kill, a closed terminal or a closed pipe (`simvus run ... | head`), and a crash or a
  // failed CHECK (abort) must not leave the servers running.
  for (int s : kStopSignals) signal(s, StopOnSignal);
  std::fflush(nullptr);  // our output so far before the scripts'
  if (std::system(command.c_str()) != 0) {
    backends->set_keep(true);  // its logs say why
    return Unavailable("could not start the local backends (see the lines above; logs in " +
                       backends->dir_ + ")");
  }
  return backends;
}

LocalBackends::~LocalBackends() {
  const std::string stop = "'" + ScriptsDir() + "/down' '" + dir_ + "'";
  std::fflush(nullptr);
  if (std::system(stop.c_str()) != 0) {
    std::fprintf(stderr, "simvus: stopping the backends in %s failed\n", dir_.c_str());
  }
  g_stop_command[0] = 0;
  for (int s : kStopSignals) signal(s, SIG_DFL);
  if (!keep_) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Status LocalBackends::Outage(const std::string& server, Duration outage) const {
  const std::string name = server == "s3" ? "s3rver" : server;
  const int64_t seconds = std::max<int64_t>(1, (outage.ns + 999'999'999) / 1'000'000'000);
  const std::string command = Quote(ScriptsDir() + "/outage") + " " + Quote(dir_) + " " +
                              Quote(name) + " " + std::to_string(seconds) + " >>" +
                              Quote(dir_ + "/outages.log") + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    return Unavailable(name + " did not come back after its outage (see " + dir_ +
                       "/outages.log and " + dir_ + "/" + name + ".log)");
  }
  return Status();
}

std::map<std::string, std::string> LocalBackends::settings() const {
  return ReadEnvFile(dir_ + "/backends.env");
}

Result<RunBackends> StartMissingBackends(const std::string& dir,
                                         const std::function<void(const std::string&)>& announce) {
  RunBackends backends;
  const std::map<std::string, std::string> given = LoadEndpointSettings();
  backends.settings = given;
  const BackendEndpoints endpoints = EndpointsFrom(given);
  if (endpoints.etcd_endpoints.empty()) backends.started.push_back("etcd");
  if (endpoints.kafka_bootstrap.empty()) backends.started.push_back("kafka");
  if (endpoints.s3_endpoint.empty()) backends.started.push_back("s3rver");
  if (backends.started.empty()) return backends;
  std::string names;
  for (const std::string& server : backends.started) names += " " + server;
  announce(names);
  std::fflush(nullptr);
  Result<std::unique_ptr<LocalBackends>> started = LocalBackends::Start(backends.started, dir);
  if (!started.ok()) return started.status();
  backends.local = std::move(*started);
  backends.settings = backends.local->settings();
  for (const auto& [key, value] : given) backends.settings[key] = value;
  return backends;
}

}  // namespace simvus::real
