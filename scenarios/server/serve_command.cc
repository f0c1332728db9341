#include "scenarios/server/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>

#include "real/grpc/grpc_node_server.h"
#include "real/grpc/grpc_remote_transport.h"
#include "real/milvus/milvus_server.h"
#include "real/real_backends.h"
#include "real/runtime/metrics_endpoint.h"
#include "real/runtime/runtime.h"
#include "reports/narrator.h"
#include "scenarios/cli_parse.h"
#include "scenarios/role_factories.h"
#include "scenarios/server/cluster_file.h"

namespace simvus::scenarios {

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitBackend = 3;

int Usage(const std::string& message) {
  std::fprintf(stderr,
               "simvus serve: %s\nusage: simvus serve --config FILE --role "
               "NAME[,NAME...]|all "
               "[--ready-file FILE] [--pid-file FILE] [--metrics-address HOST:PORT]\n",
               message.c_str());
  return kExitUsage;
}

bool WriteLine(const std::string& path, const std::string& line) {
  if (path.empty()) return true;
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << line << "\n";
    if (!out) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int ServeCommand(const std::vector<std::string>& args) {
  std::string config_path, ready_file, pid_file, metrics_address, role_list;
  CLI::App app("simvus serve", "simvus serve");
  app.add_option("--config", config_path);
  app.add_option("--role", role_list);
  app.add_option("--ready-file", ready_file);
  app.add_option("--pid-file", pid_file);
  app.add_option("--metrics-address", metrics_address)->check(Check([](const std::string& v) {
    const size_t colon = v.rfind(':');
    const bool ok = colon != std::string::npos && colon != 0 && colon + 1 != v.size() &&
                    v.find_first_not_of("0123456789", colon + 1) == std::string::npos;
    return ok ? std::string() : "'" + v + "', expected HOST:PORT";
  }));
  if (std::optional<std::string> error = ParseArgs(app, args)) return Usage(*error);
  std::vector<std::string> asked;
  for (size_t start = 0; start <= role_list.size();) {
    const size_t comma = role_list.find(',', start);
    const std::string name =
        role_list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!name.empty()) asked.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (config_path.empty()) return Usage("--config FILE is required");
  if (asked.empty()) return Usage("--role is required");
  Result<ClusterFile> file = ReadClusterFile(config_path);
  if (!file.ok()) return Usage(file.status().message());
  const roles::ClusterConfig& config = file->config;

  // The roles this process hosts, in the cluster's start order.
  std::vector<RoleSpec> all = ClusterRoles(config);
  std::set<std::string> hosted;
  const bool everything = asked.size() == 1 && asked[0] == "all";
  for (const std::string& name : asked) {
    if (everything) break;
    bool known = false;
    for (const RoleSpec& role : all) known = known || role.name == name;
    if (!known) {
      std::string names;
      for (const RoleSpec& role : all) names += " " + role.name;
      return Usage("no role named '" + name + "' in " + config_path + "; the cluster has:" + names);
    }
    hosted.insert(name);
  }
  if (everything) {
    for (const RoleSpec& role : all) hosted.insert(role.name);
  }
  std::map<std::string, std::string> remote_nodes;
  std::set<std::string> listen;
  for (const auto& [name, address] : file->nodes) {
    if (hosted.count(name) == 0) {
      remote_nodes[name] = address;
    } else {
      listen.insert(address);
    }
  }
  if (!remote_nodes.empty() && listen.size() != 1) {
    return Usage("the roles of one process share one node.<name> address in " + config_path);
  }
  const std::string label = everything ? "all roles" : *asked.begin();
  // This process's /metrics: the flag, else the cluster file's metrics.<process>.
  if (metrics_address.empty()) {
    auto it = file->metrics.find(everything ? "all" : asked.front());
    if (it != file->metrics.end()) metrics_address = it->second;
  }

  // SIGINT / SIGTERM are taken by sigwait below: blocked before any thread
  // starts, so that no library thread gets them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Joining: the cluster's etcd holds its keys already (empty prefix: no
  // freshness check).
  Result<std::unique_ptr<real::RealBackends>> backends =
      real::RealBackends::Connect(real::EndpointsFrom(file->backends), "");
  if (!backends.ok()) {
    std::fprintf(stderr, "simvus serve: %s\n", backends.status().ToString().c_str());
    return kExitBackend;
  }
  real::RealRuntimeOptions options;
  if (!remote_nodes.empty()) {
    options.remote = std::make_shared<real::GrpcRemoteTransport>(remote_nodes);
  }
  auto runtime = std::make_unique<real::RealRuntime>(options, (*backends)->Ports());
  // The roles' significant steps, narrated, are the process's log
  // (DIR/logs/NAME.log under `simvus up`), a line at a time.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  runtime->trace().AddSink([](uint64_t, Duration at, const TraceEvent& event) {
    if (event.level == TraceLevel::kStep) {
      std::printf("%s\n", reports::NarrateLine(at, event).c_str());
    }
  });
  std::unique_ptr<real::GrpcNodeServer> node_server;
  if (!remote_nodes.empty()) {
    Result<std::unique_ptr<real::GrpcNodeServer>> started =
        real::GrpcNodeServer::Start(runtime->hub(), *listen.begin());
    if (!started.ok()) {
      std::fprintf(stderr, "simvus serve: %s\n", started.status().message().c_str());
      return kExitBackend;
    }
    node_server = std::move(*started);
  }
  for (const RoleSpec& role : all) {
    if (hosted.count(role.name) > 0) runtime->StartNode(role.name, role.factory);
  }
  // The process of the first proxy serves the Milvus API, through a node of its own.
  std::unique_ptr<real::MilvusServer> milvus;
  const std::string& first_proxy = config.proxies.front();
  if (!file->milvus_address.empty() && hosted.count(first_proxy) > 0) {
    runtime->StartNode("milvus-api", nullptr);
    real::MilvusServerOptions milvus_options;
    milvus_options.address = file->milvus_address;
    Result<std::unique_ptr<real::MilvusServer>> started =
        real::MilvusServer::Start(*runtime, "milvus-api", first_proxy, config, milvus_options);
    if (!started.ok()) {
      std::fprintf(stderr, "simvus serve: the Milvus API: %s\n",
                   started.status().message().c_str());
      runtime->StopAll();
      return kExitBackend;
    }
    milvus = std::move(*started);
  }
  // Every role of this process on one /metrics.
  std::unique_ptr<real::MetricsEndpoint> metrics;
  if (!metrics_address.empty()) {
    Result<std::unique_ptr<real::MetricsEndpoint>> started =
        real::MetricsEndpoint::Start(runtime->shared_registry(), metrics_address);
    if (!started.ok()) {
      std::fprintf(stderr, "simvus serve: %s\n", started.status().message().c_str());
      milvus.reset();
      runtime->StopAll();
      return kExitBackend;
    }
    metrics = std::move(*started);
  }
  std::printf("simvus serve: %s up (pid %d)%s%s\n", label.c_str(), static_cast<int>(getpid()),
              listen.empty() || remote_nodes.empty() ? "" : ", nodes on ",
              listen.empty() || remote_nodes.empty() ? "" : listen.begin()->c_str());
  if (milvus) std::printf("simvus serve: the Milvus API on %s\n", file->milvus_address.c_str());
  if (metrics) std::printf("simvus serve: metrics on %s\n", metrics->url().c_str());
  std::fflush(stdout);
  if (!WriteLine(pid_file, std::to_string(getpid())) || !WriteLine(ready_file, "ready")) {
    std::fprintf(stderr, "simvus serve: cannot write %s / %s\n", pid_file.c_str(),
                 ready_file.c_str());
  }

  int received = 0;
  sigwait(&stop_signals, &received);
  std::printf("simvus serve: %s stopping (%s)\n", label.c_str(),
              received == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  milvus.reset();      // no new client calls; those in flight finish against the roles
  runtime->StopAll();  // every role's tasks: the node server has nothing in flight
  node_server.reset();
  metrics.reset();
  runtime.reset();
  backends->reset();
  std::printf("simvus serve: %s stopped\n", label.c_str());
  return 0;
}

}  // namespace simvus::scenarios
