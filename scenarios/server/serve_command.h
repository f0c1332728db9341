// `simvus serve`: one process of a cluster.
//
//   simvus serve --config DIR/cluster.conf --role NAME[,NAME...]|all
//                [--ready-file FILE] [--pid-file FILE] [--metrics-address HOST:PORT]
//
// Runs the named roles (built by ClusterRoles, as in the simulator and `--backend real`) on a
// RealRuntime against the cluster file's backends; reaches the roles of other processes over
// gRPC (real/grpc) at their node.<name> addresses and serves its own on theirs. The process of
// the first proxy also serves the Milvus API (real/milvus) on milvus.address. The roles'
// significant steps are narrated on stdout (the process's log). SIGTERM or SIGINT stops it: the
// Milvus API first, then the roles, then the node server. The process serves its roles' Prometheus
// metrics (every series labelled by node) on http://HOST:PORT/metrics at --metrics-address, or at
// the cluster file's metrics.<process> (the role's name, or "all"); on neither, not at all.
#pragma once

#include <string>
#include <vector>

namespace simvus::scenarios {

int ServeCommand(const std::vector<std::string>& args);

}  // namespace simvus::scenarios
