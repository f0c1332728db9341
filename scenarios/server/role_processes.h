// RoleProcesses: the pieces `simvus up`, `restart` and `run --processes` share to run roles as
// `simvus serve` processes of a cluster directory DIR: DIR/cluster.conf, DIR/logs/NAME.log,
// DIR/pids/NAME.pid and DIR/pids/NAME.ready (written by serve once its roles are started).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "components/roles/cluster_config.h"

namespace simvus::scenarios {

// One `simvus serve` process: `name` (a role's node name, or "all") hosting `roles`.
struct Process {
  std::string name;
  std::string roles;  // its --role value
};

// One process per role in start order, or a single one for every role.
std::vector<Process> ProcessesOf(const roles::ClusterConfig& config, bool single);

std::string SelfPath();  // this binary, to start `simvus serve` with
std::string PidFile(const std::string& dir, const std::string& name);
std::string ReadyFile(const std::string& dir, const std::string& name);
pid_t ReadPid(const std::string& path);  // 0 when there is none
bool Alive(pid_t pid);                   // running (a zombie is not)
// Calls `done` every `poll` until it returns true (then true) or `timeout` passes (false). On the
// host's clock: process management only, never a simulated path.
bool PollUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll);

// `count` distinct loopback ports free right now, below the kernel's ephemeral range (which
// outbound connections draw from); fewer if there are not that many.
std::vector<int> FreePorts(size_t count);
bool PortFree(int port);

// Starts `simvus serve` for `process`, output appended to DIR/logs/NAME.log. Detached (`up`,
// `restart`): in its own process group, so that a Ctrl-C reaches only `up`, which stops the
// roles in order, and it outlives `restart`. Attached (a run's cluster): in the caller's group
// (Ctrl-C stops it too), and SIGTERMed when the caller dies.
pid_t Spawn(const std::string& dir, const Process& process, bool attached = false);
// Waits until it wrote its ready file: false if it exited first or took over a minute.
bool WaitReady(const std::string& dir, const Process& process, pid_t pid);
std::string LogTail(const std::string& dir, const std::string& name);  // its last 10 lines
// SIGTERM, then SIGKILL after 15 s; reaps it when it is the caller's child.
void StopProcess(pid_t pid);
// Stops the processes recorded in DIR/pids, in reverse start order, saying so when `verbose`.
void StopRoles(const std::string& dir, const std::vector<Process>& processes, bool verbose = true);

}  // namespace simvus::scenarios

#include <memory>

#include "components/env/result.h"
#include "real/runtime/remote_transport.h"
#include "scenarios/server/cluster_file.h"

namespace simvus::scenarios {

// A cluster's roles as processes for the length of one run (`simvus run S --backend real
// --processes`): one `simvus serve` per role, on free loopback ports, in DIR; reached through
// transport(). The destructor stops them (their logs stay in DIR when kept).
class ClusterProcesses {
 public:
  // `file` without nodes: they are given ports here.
  static Result<std::unique_ptr<ClusterProcesses>> Start(const std::string& dir, ClusterFile file);
  ~ClusterProcesses();
  ClusterProcesses(const ClusterProcesses&) = delete;
  ClusterProcesses& operator=(const ClusterProcesses&) = delete;

  std::shared_ptr<real::RemoteTransport> transport() const { return transport_; }
  const std::string& dir() const { return dir_; }
  void set_keep(bool keep) { keep_ = keep; }

 private:
  ClusterProcesses() = default;
  std::string dir_;
  std::vector<Process> processes_;
  std::shared_ptr<real::RemoteTransport> transport_;
  bool keep_ = false;
};

}  // namespace simvus::scenarios
