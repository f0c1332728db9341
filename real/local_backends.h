// LocalBackends: the servers `simvus run --backend real` starts for itself when no endpoint is
// set (etcd, the Kafka mock cluster, s3rver on free loopback ports, through real/backends/up),
// stopped again when the run ends, also on failure and on Ctrl-C.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "components/env/result.h"
#include "components/env/time.h"
#include "real/endpoints.h"

namespace simvus::real {

class LocalBackends {
 public:
  // Starts `servers` (names of real/backends/start-*) in `dir` (created), or in a fresh directory
  // under /tmp when `dir` is empty.
  static Result<std::unique_ptr<LocalBackends>> Start(const std::vector<std::string>& servers,
                                                      const std::string& dir = "");
  ~LocalBackends();  // stops them
  LocalBackends(const LocalBackends&) = delete;
  LocalBackends& operator=(const LocalBackends&) = delete;

  const std::string& dir() const { return dir_; }
  // Keep the directory (logs, data) when stopping; by default it is removed.
  void set_keep(bool keep) { keep_ = keep; }
  // The endpoints they listen on (backends.env).
  std::map<std::string, std::string> settings() const;
  // Takes SERVER ("kafka": broker 1; "etcd"; "s3" / "s3rver") down for `outage`, then back with
  // the same ports and data (real/backends/outage). Blocks until it is back.
  Status Outage(const std::string& server, Duration outage) const;
  // real/backends/ in the source tree this binary was built from.
  static std::string ScriptsDir();

 private:
  LocalBackends() = default;
  std::string dir_;
  bool keep_ = false;
};

// The backends of a run: the endpoint settings given (the environment, SIMVUS_BACKENDS_ENV) and,
// for each of etcd / Kafka / S3 not given, a server started on loopback in `dir` (empty: under
// /tmp), after `announce(" etcd kafka ...")`. The started servers fill in only what was not given.
struct RunBackends {
  std::map<std::string, std::string> settings;
  std::vector<std::string> started;      // the servers started here: "etcd", "kafka", "s3rver"
  std::unique_ptr<LocalBackends> local;  // stops them; null when every backend was given
};
Result<RunBackends> StartMissingBackends(const std::string& dir,
                                         const std::function<void(const std::string&)>& announce);

}  // namespace simvus::real
