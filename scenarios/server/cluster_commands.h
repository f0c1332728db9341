// `simvus up`, `down` and `restart`: a local cluster with one process per role.
//
//   simvus up --dir DIR [--port 19530] [--query-nodes N] [--single-process] [--detach]
//             [--inject-bug BUG] [--metrics-port BASE]
//   simvus down --dir DIR
//   simvus restart ROLE --dir DIR
//
// `up` starts the backends (etcd, the Kafka mock cluster and s3rver on loopback, in DIR/backends;
// or uses KAFKA_BOOTSTRAP / ETCD_ENDPOINTS / S3_ENDPOINT... when set), picks a free loopback port
// per role, writes DIR/cluster.conf, and starts `simvus serve --role NAME` for each role in start
// order, each in its own process group with its log in DIR/logs/NAME.log and its pid in
// DIR/pids/NAME.pid, waiting until each is up. The first proxy serves the Milvus API on --port.
// Each process serves its roles' Prometheus metrics on http://127.0.0.1:PORT/metrics, written in
// the cluster file as metrics.<process> and printed as it starts: free loopback ports, or
// --metrics-port BASE, BASE+1, ... in start order.
// Then it waits in the foreground: a role that exits is reported (and not restarted: that is
// `simvus restart`'s job, recovering from the backends); Ctrl-C, SIGTERM or `simvus down` stops
// the roles in reverse order, then the backends. `--single-process` runs every role in one
// process instead (the single-process real mode, for comparison). `--detach` returns once the
// cluster is up and leaves `up` running in the background (its output in DIR/up.log), for
// scripts and tests; `simvus down` stops it. `--inject-bug` switches on a deliberate bug in every
// role (roles::ClusterConfig::InjectedBug), to prove that a client's checks catch it.
#pragma once

#include <string>
#include <vector>

namespace simvus::scenarios {

int UpCommand(const std::vector<std::string>& args);
int DownCommand(const std::vector<std::string>& args);
int RestartCommand(const std::vector<std::string>& args);

}  // namespace simvus::scenarios
