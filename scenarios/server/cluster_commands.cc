#include "scenarios/server/cluster_commands.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "real/local_backends.h"
#include "real/real_backends.h"
#include "scenarios/cli_parse.h"
#include "scenarios/role_factories.h"
#include "scenarios/runner.h"
#include "scenarios/server/cluster_file.h"
#include "scenarios/server/role_processes.h"

namespace simvus::scenarios {

namespace {

namespace fs = std::filesystem;

constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBackend = 3;

int Usage(const std::string& command, const std::string& message) {
  std::fprintf(stderr,
               "simvus %s: %s\nusage:\n  simvus up --dir DIR [--port 19530] [--query-nodes N] "
               "[--single-process] [--detach]\n            [--metrics-port BASE] [--inject-bug "
               "BUG]\n  simvus down "
               "--dir DIR\n  simvus restart ROLE --dir DIR\n",
               command.c_str(), message.c_str());
  return kExitUsage;
}

struct UpFlags {
  std::string dir;
  int port = 19530;
  int query_nodes = 2;
  int metrics_port = 0;  // 0: free loopback ports; else BASE, BASE+1, ... in start order
  bool single = false;
  bool detach = false;
  roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone;
};

// --detach: the rest of `up` runs in a child of its own session, its output in DIR/up.log; the
// parent returns once the cluster is up (0), or once the child gave up (1, with its log).
// Returns -1 in the child.
int Detach(const std::string& dir) {
  const std::string log = dir + "/up.log";
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    setsid();
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in >= 0) dup2(in, 0);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    return -1;
  }
  bool ready = false;
  PollUntil(
      [&] {
        ready = fs::exists(dir + "/ready");
        int status = 0;
        return ready || waitpid(child, &status, WNOHANG) == child;
      },
      std::chrono::seconds(300), std::chrono::milliseconds(100));
  if (ready) {
    std::ifstream in(log);
    std::cout << in.rdbuf();
    std::printf("simvus up: detached (pid %d); its output goes on in %s\n", static_cast<int>(child),
                log.c_str());
    return 0;
  }
  std::ifstream in(log);
  std::cerr << in.rdbuf();
  std::fprintf(stderr, "simvus up: the cluster did not come up (see %s)\n", log.c_str());
  return kExitFail;
}

}  // namespace

int UpCommand(const std::vector<std::string>& args) {
  UpFlags flags;
  std::string bug;
  CLI::App app("simvus up", "simvus up");
  app.add_option("--dir", flags.dir);
  app.add_option("--port", flags.port)->check(CLI::Range(1, 65535));
  app.add_option("--query-nodes", flags.query_nodes)->check(CLI::Range(1, 8));
  app.add_option("--metrics-port", flags.metrics_port)->check(CLI::Range(1, 65535 - 16));
  app.add_flag("--single-process", flags.single);
  app.add_flag("--detach", flags.detach);
  app.add_option("--inject-bug", bug)->check(Check([](const std::string& v) {
    return ParseInjectedBug(v) ? std::string()
                               : "no bug named '" + v + "'; the bugs: " + InjectedBugNames();
  }));
  if (std::optional<std::string> error = ParseArgs(app, args)) return Usage("up", *error);
  if (!bug.empty()) flags.bug = *ParseInjectedBug(bug);
  if (flags.dir.empty()) return Usage("up", "--dir DIR is required");
  const std::string dir = fs::absolute(flags.dir).lexically_normal().string();
  if (Alive(ReadPid(dir + "/up.pid"))) {
    std::fprintf(stderr,
                 "simvus up: a cluster is already up in %s (pid %d): simvus down --dir %s\n",
                 dir.c_str(), static_cast<int>(ReadPid(dir + "/up.pid")), flags.dir.c_str());
    return kExitFail;
  }
  if (!PortFree(flags.port)) {
    std::fprintf(stderr,
                 "simvus up: 127.0.0.1:%d is in use (a Milvus or another simvus up?); "
                 "choose another with --port\n",
                 flags.port);
    return kExitFail;
  }
  std::error_code error;
  fs::create_directories(dir + "/logs", error);
  fs::create_directories(dir + "/pids", error);
  if (error) return Usage("up", "cannot create " + dir + ": " + error.message());
  if (flags.detach) {
    const int parent_exit = Detach(dir);
    if (parent_exit >= 0) return parent_exit;
  }

  // Ctrl-C, SIGTERM (`simvus down`) and children's exits are taken by sigtimedwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Backends: the given ones, and ours for the rest (in DIR/backends, their logs kept there).
  fs::remove_all(dir + "/backends", error);
  Result<real::RunBackends> run_backends =
      real::StartMissingBackends(dir + "/backends", [&dir](const std::string& names) {
        std::printf("simvus up: starting%s on loopback in %s/backends\n", names.c_str(),
                    dir.c_str());
      });
  if (!run_backends.ok()) {
    std::fprintf(stderr, "simvus up: %s\n", run_backends.status().message().c_str());
    return kExitBackend;
  }
  std::unique_ptr<real::LocalBackends> local = std::move(run_backends->local);
  if (local) local->set_keep(true);
  const std::map<std::string, std::string> settings = run_backends->settings;
  {
    // A fresh etcd (ours, or the user's without a cluster in it).
    Result<std::unique_ptr<real::RealBackends>> probe =
        real::RealBackends::Connect(real::EndpointsFrom(settings), "by-dev/");
    if (!probe.ok()) {
      std::fprintf(stderr, "simvus up: %s\n", probe.status().ToString().c_str());
      return kExitBackend;
    }
  }

  ClusterFile file;
  file.backends = settings;
  file.config.query_nodes.clear();
  for (int q = 1; q <= flags.query_nodes; ++q) {
    file.config.query_nodes.push_back("querynode-" + std::to_string(q));
  }
  file.config.index_nodes = {"indexnode-1"};
  file.config.injected_bug = flags.bug;
  file.milvus_address = "127.0.0.1:" + std::to_string(flags.port);
  const std::vector<Process> processes = ProcessesOf(file.config, flags.single);
  if (!flags.single) {
    const std::vector<Process> roles = ProcessesOf(file.config, false);
    const std::vector<int> ports = FreePorts(roles.size());
    if (ports.size() != roles.size()) {
      std::fprintf(stderr, "simvus up: cannot find %zu free loopback ports\n", roles.size());
      return kExitFail;
    }
    for (size_t i = 0; i < roles.size(); ++i) {
      file.nodes[roles[i].name] = "127.0.0.1:" + std::to_string(ports[i]);
    }
  }
  // Each process serves its roles' metrics on a loopback port of its own.
  std::vector<int> metrics_ports;
  if (flags.metrics_port > 0) {
    for (size_t i = 0; i < processes.size(); ++i) {
      metrics_ports.push_back(flags.metrics_port + static_cast<int>(i));
    }
  } else {
    metrics_ports = FreePorts(processes.size() + file.nodes.size());
    // Not one of the node ports just chosen.
    std::vector<int> distinct;
    for (int port : metrics_ports) {
      bool taken = false;
      for (const auto& [name, address] : file.nodes) {
        taken = taken || address == "127.0.0.1:" + std::to_string(port);
      }
      if (!taken) distinct.push_back(port);
    }
    metrics_ports = std::move(distinct);
  }
  if (metrics_ports.size() < processes.size()) {
    std::fprintf(stderr, "simvus up: cannot find %zu free loopback ports for metrics\n",
                 processes.size());
    return kExitFail;
  }
  for (size_t i = 0; i < processes.size(); ++i) {
    file.metrics[processes[i].name] = "127.0.0.1:" + std::to_string(metrics_ports[i]);
  }
  Status written = WriteClusterFile(dir + "/cluster.conf", file);
  if (!written.ok()) return Usage("up", written.message());
  {
    std::ofstream pid(dir + "/up.pid");
    pid << getpid() << "\n";
  }

  std::map<pid_t, std::string> children;
  bool started_all = true;
  for (const Process& process : processes) {
    const pid_t pid = Spawn(dir, process);
    children[pid] = process.name;
    if (!WaitReady(dir, process, pid)) {
      std::fprintf(stderr, "simvus up: %s did not come up; the end of %s/logs/%s.log:\n%s",
                   process.name.c_str(), dir.c_str(), process.name.c_str(),
                   LogTail(dir, process.name).c_str());
      started_all = false;
      break;
    }
    std::printf("simvus up: %-12s pid %-7d %s, metrics on http://%s/metrics\n",
                process.name.c_str(), static_cast<int>(pid),
                flags.single ? "every role in one process" : file.nodes[process.name].c_str(),
                file.metrics[process.name].c_str());
    std::fflush(stdout);
  }
  int exit_code = 0;
  if (started_all) {
    {
      std::ofstream ready(dir + "/ready");
      ready << file.milvus_address << "\n";
    }
    std::printf(
        "simvus up: %zu process(es) up; the Milvus API on %s; logs in %s/logs\n"
        "           stop with Ctrl-C or `simvus down --dir %s`; restart a role with "
        "`simvus restart ROLE --dir %s`\n",
        processes.size(), file.milvus_address.c_str(), dir.c_str(), flags.dir.c_str(),
        flags.dir.c_str());
    std::fflush(stdout);
    while (true) {
      siginfo_t info;
      timespec second{1, 0};
      const int received = sigtimedwait(&signals, &info, &second);
      if (received == SIGINT || received == SIGTERM) {
        std::printf("simvus up: %s: stopping the cluster\n",
                    received == SIGINT ? "interrupted" : "terminated");
        break;
      }
      // Reap whichever child exited (SIGCHLD, or a poll in case signals were merged).
      int status = 0;
      pid_t pid = 0;
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        auto it = children.find(pid);
        if (it == children.end()) continue;
        const std::string how = WIFSIGNALED(status)
                                    ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                    : "exited with status " + std::to_string(WEXITSTATUS(status));
        std::printf("simvus up: %s (pid %d) %s; `simvus restart %s --dir %s` starts it again\n",
                    it->second.c_str(), static_cast<int>(pid), how.c_str(), it->second.c_str(),
                    flags.dir.c_str());
        std::fflush(stdout);
        children.erase(it);
      }
    }
  } else {
    exit_code = kExitFail;
  }
  fs::remove(dir + "/ready", error);
  StopRoles(dir, processes);
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  if (local) {
    std::printf("simvus up: stopping the backends\n");
    std::fflush(stdout);
    local.reset();
  }
  fs::remove(dir + "/up.pid", error);
  std::printf("simvus up: stopped%s\n", exit_code == 0 ? "" : " (a role did not come up)");
  return exit_code;
}

int DownCommand(const std::vector<std::string>& args) {
  std::string dir_flag;
  CLI::App app("simvus down", "simvus down");
  app.add_option("--dir", dir_flag);
  if (std::optional<std::string> error = ParseArgs(app, args)) return Usage("down", *error);
  if (dir_flag.empty()) return Usage("down", "--dir DIR is required");
  const std::string dir = fs::absolute(dir_flag).lexically_normal().string();
  const pid_t up = ReadPid(dir + "/up.pid");
  if (Alive(up)) {
    // `up` stops its roles and backends in order.
    kill(up, SIGTERM);
    if (!PollUntil([up] { return !Alive(up); }, std::chrono::seconds(120),
                   std::chrono::milliseconds(100))) {
      std::fprintf(stderr, "simvus down: `simvus up` (pid %d) did not stop in 120 s\n",
                   static_cast<int>(up));
      return kExitFail;
    }
    std::printf("simvus down: the cluster in %s is stopped\n", dir.c_str());
    return 0;
  }
  // `up` is gone (killed): stop what it left.
  bool any = false;
  std::error_code error;
  if (fs::exists(dir + "/pids")) {
    for (const fs::directory_entry& entry : fs::directory_iterator(dir + "/pids", error)) {
      if (entry.path().extension() != ".pid") continue;
      const pid_t pid = ReadPid(entry.path().string());
      if (Alive(pid)) {
        std::printf("simvus down: stopping %s (pid %d)\n", entry.path().stem().c_str(),
                    static_cast<int>(pid));
        StopProcess(pid);
        any = true;
      }
      fs::remove(entry.path(), error);
    }
  }
  if (fs::exists(dir + "/backends/backends.env")) {
    const std::string stop =
        "'" + real::LocalBackends::ScriptsDir() + "/down' '" + dir + "/backends' >/dev/null 2>&1";
    std::fflush(nullptr);
    if (std::system(stop.c_str()) == 0) any = true;
  }
  fs::remove(dir + "/ready", error);
  fs::remove(dir + "/up.pid", error);
  std::printf("simvus down: %s\n",
              any ? "stopped what was left running" : ("no cluster is up in " + dir).c_str());
  return 0;
}

int RestartCommand(const std::vector<std::string>& args) {
  std::string dir_flag, role;
  CLI::App app("simvus restart", "simvus restart");
  app.add_option("role", role);
  app.add_option("--dir", dir_flag);
  if (std::optional<std::string> error = ParseArgs(app, args)) return Usage("restart", *error);
  if (dir_flag.empty() || role.empty()) return Usage("restart", "ROLE and --dir DIR are required");
  const std::string dir = fs::absolute(dir_flag).lexically_normal().string();
  if (!Alive(ReadPid(dir + "/up.pid"))) {
    std::fprintf(stderr, "simvus restart: no cluster is up in %s (simvus up --dir %s)\n",
                 dir.c_str(), dir_flag.c_str());
    return kExitFail;
  }
  Result<ClusterFile> file = ReadClusterFile(dir + "/cluster.conf");
  if (!file.ok()) return Usage("restart", file.status().message());
  const std::vector<Process> processes = ProcessesOf(file->config, file->nodes.empty());
  const Process* process = nullptr;
  std::string names;
  for (const Process& p : processes) {
    if (p.name == role) process = &p;
    names += " " + p.name;
  }
  if (process == nullptr) {
    return Usage("restart", "no role named '" + role + "' in this cluster; it has:" + names);
  }
  const pid_t old_pid = ReadPid(PidFile(dir, role));
  if (Alive(old_pid)) {
    std::printf("simvus restart: stopping %s (pid %d)\n", role.c_str(), static_cast<int>(old_pid));
    StopProcess(old_pid);
  }
  const pid_t pid = Spawn(dir, *process);
  if (!WaitReady(dir, *process, pid)) {
    std::fprintf(stderr, "simvus restart: %s did not come up; the end of %s/logs/%s.log:\n%s",
                 role.c_str(), dir.c_str(), role.c_str(), LogTail(dir, role).c_str());
    return kExitFail;
  }
  std::printf("simvus restart: %s up again (pid %d), recovering from the backends\n", role.c_str(),
              static_cast<int>(pid));
  return 0;
}

}  // namespace simvus::scenarios
