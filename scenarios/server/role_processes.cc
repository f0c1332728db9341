#include "scenarios/server/role_processes.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include "real/grpc/grpc_remote_transport.h"
#include "scenarios/role_factories.h"

namespace simvus::scenarios {

namespace fs = std::filesystem;

namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(15);

}  // namespace

std::string SelfPath() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? "simvus" : self.string();
}

std::string PidFile(const std::string& dir, const std::string& name) {
  return dir + "/pids/" + name + ".pid";
}
std::string ReadyFile(const std::string& dir, const std::string& name) {
  return dir + "/pids/" + name + ".ready";
}

pid_t ReadPid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  return static_cast<pid_t>(pid);
}

bool Alive(pid_t pid) {
  if (pid <= 0) return false;
  if (kill(pid, 0) != 0) return false;
  // A zombie (exited, not yet reaped by its parent) is not alive.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const size_t close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

namespace {

// The kernel's ephemeral range (outbound connections, binds to port 0), from
// /proc/sys/net/ipv4/ip_local_port_range.
std::pair<int, int> EphemeralRange() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  in >> low >> high;
  return {low, high};
}

// Whether a loopback socket binds to port now; with reuse_address, a port that only lingers in
// TIME_WAIT counts as free (as it does for a server that sets SO_REUSEADDR).
bool BindsOnLoopback(int port, bool reuse_address) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  if (reuse_address) {
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

}  // namespace

// The ports are written into the cluster file before the processes that listen on them start,
// seconds later. A port the kernel hands out for port 0 is from its ephemeral range, where any
// outbound connection or another cluster's choice can take it in the meantime (CI saw a query
// node's metrics port taken so). So the ports come from below the ephemeral range, which the
// kernel never hands out by itself, scanning from a point that depends on this process's pid so
// that two clusters started together do not pick the same ones.
std::vector<int> FreePorts(size_t count) {
  const auto [ephemeral_low, ephemeral_high] = EphemeralRange();
  int low = 10000, high = ephemeral_low - 1;
  if (high - low < 1000) {  // an unusual range: above it instead
    low = ephemeral_high + 1;
    high = 65535;
  }
  std::vector<int> ports;
  const int span = high - low + 1;
  if (span <= 0) return ports;
  const int start = static_cast<int>((static_cast<unsigned>(getpid()) * 2654435761u) %
                                     static_cast<unsigned>(span));
  for (int i = 0; i < span && ports.size() < count; ++i) {
    const int port = low + (start + i) % span;
    // Strict (no SO_REUSEADDR): not every listener a role starts sets it.
    if (BindsOnLoopback(port, /*reuse_address=*/false)) ports.push_back(port);
  }
  return ports;
}

bool PortFree(int port) { return BindsOnLoopback(port, /*reuse_address=*/true); }

// Starts `simvus serve` for one process, in its own process group (Ctrl-C reaches `up` only,
// which stops the roles in order), its output appended to DIR/logs/NAME.log.
pid_t Spawn(const std::string& dir, const Process& process, bool attached) {
  const std::string log = dir + "/logs/" + process.name + ".log";
  std::vector<std::string> argv = {SelfPath(),     "serve",
                                   "--config",     dir + "/cluster.conf",
                                   "--role",       process.roles,
                                   "--ready-file", ReadyFile(dir, process.name),
                                   "--pid-file",   PidFile(dir, process.name)};
  std::error_code ignored;
  fs::remove(ReadyFile(dir, process.name), ignored);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  if (attached) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
  } else {
    setpgid(0, 0);
  }
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  const int in = open("/dev/null", O_RDONLY);
  const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (in >= 0) dup2(in, 0);
  if (out >= 0) {
    dup2(out, 1);
    dup2(out, 2);
  }
  std::vector<char*> raw;
  for (std::string& arg : argv) raw.push_back(arg.data());
  raw.push_back(nullptr);
  execv(raw[0], raw.data());
  _exit(127);
}

std::string LogTail(const std::string& dir, const std::string& name) {
  std::ifstream in(dir + "/logs/" + name + ".log");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  std::string tail;
  for (size_t i = lines.size() > 10 ? lines.size() - 10 : 0; i < lines.size(); ++i) {
    tail += "    " + lines[i] + "\n";
  }
  return tail;
}

bool PollUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll) {
  using HostClock = std::chrono::steady_clock;  // determinism-ok: process management
  const HostClock::time_point until = HostClock::now() + timeout;
  while (!done()) {
    if (HostClock::now() >= until) return false;
    std::this_thread::sleep_for(poll);  // determinism-ok: process management
  }
  return true;
}

// Waits until the process wrote its ready file; false if it exited first or took too long.
bool WaitReady(const std::string& dir, const Process& process, pid_t pid) {
  bool ready = false;
  PollUntil(
      [&] {
        ready = fs::exists(ReadyFile(dir, process.name));
        return ready || !Alive(pid);
      },
      kReadyTimeout, std::chrono::milliseconds(50));
  return ready;
}

// SIGTERM, then SIGKILL after kStopTimeout. Reaps it when it is our child.
void StopProcess(pid_t pid) {
  if (!Alive(pid)) return;
  kill(pid, SIGTERM);
  const bool stopped = PollUntil(
      [pid] {
        waitpid(pid, nullptr, WNOHANG);
        return !Alive(pid);
      },
      kStopTimeout, std::chrono::milliseconds(50));
  if (stopped) return;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

std::vector<Process> ProcessesOf(const roles::ClusterConfig& config, bool single) {
  std::vector<Process> processes;
  if (single) return {Process{"all", "all"}};
  for (const RoleSpec& role : ClusterRoles(config)) processes.push_back({role.name, role.name});
  return processes;
}

// Stops the roles listed in DIR/pids in reverse start order.
void StopRoles(const std::string& dir, const std::vector<Process>& processes, bool verbose) {
  for (auto it = processes.rbegin(); it != processes.rend(); ++it) {
    const pid_t pid = ReadPid(PidFile(dir, it->name));
    if (Alive(pid)) {
      if (verbose) {
        std::printf("simvus: stopping %s (pid %d)\n", it->name.c_str(), static_cast<int>(pid));
        std::fflush(stdout);
      }
      StopProcess(pid);
    }
    std::error_code ignored;
    fs::remove(PidFile(dir, it->name), ignored);
    fs::remove(ReadyFile(dir, it->name), ignored);
  }
}

Result<std::unique_ptr<ClusterProcesses>> ClusterProcesses::Start(const std::string& dir,
                                                                  ClusterFile file) {
  std::unique_ptr<ClusterProcesses> cluster(new ClusterProcesses());
  cluster->dir_ = dir;
  std::error_code error;
  fs::create_directories(dir + "/logs", error);
  fs::create_directories(dir + "/pids", error);
  if (error) return InvalidArgument("cannot create " + dir + ": " + error.message());
  cluster->processes_ = ProcessesOf(file.config, false);
  const std::vector<int> ports = FreePorts(cluster->processes_.size());
  if (ports.size() != cluster->processes_.size()) {
    return Unavailable("cannot find " + std::to_string(cluster->processes_.size()) +
                       " free loopback ports");
  }
  file.nodes.clear();
  for (size_t i = 0; i < ports.size(); ++i) {
    file.nodes[cluster->processes_[i].name] = "127.0.0.1:" + std::to_string(ports[i]);
  }
  Status written = WriteClusterFile(dir + "/cluster.conf", file);
  if (!written.ok()) return written;
  for (const Process& process : cluster->processes_) {
    const pid_t pid = Spawn(dir, process, /*attached=*/true);
    if (!WaitReady(dir, process, pid)) {
      cluster->set_keep(true);
      return Unavailable(process.name + " did not come up; the end of " + dir + "/logs/" +
                         process.name + ".log:\n" + LogTail(dir, process.name));
    }
  }
  cluster->transport_ = std::make_shared<real::GrpcRemoteTransport>(file.nodes);
  return cluster;
}

ClusterProcesses::~ClusterProcesses() {
  StopRoles(dir_, processes_, /*verbose=*/false);
  if (!keep_) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

}  // namespace simvus::scenarios
