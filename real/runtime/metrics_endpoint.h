// MetricsEndpoint: serves one process's Prometheus registry over HTTP on loopback: `GET /metrics`
// answers the text exposition format (prometheus-cpp's TextSerializer); any other path is a 404.
//
// `simvus serve` starts one per process on the address its cluster file names
// (metrics.<process>=127.0.0.1:PORT, or --metrics-address), so every role of the process is
// scraped at one place, each series labelled with its node.
//
// Why not prometheus-cpp's pull Exposer: Debian's civetweb runs its workers on 100 KiB stacks,
// and in the simvus binary the static TLS of OpenBLAS (60 KiB) and librdkafka (15 KiB) is carved
// out of each of them: the first scrape overflowed the stack (SIGSEGV in civetweb's worker). This
// endpoint runs on a thread of the default size, serves one connection at a time (a scraper's
// pace), and stops within 200 ms (civetweb took about 2 s).
// Threads: one, its own; it reads the registry, whose families and series lock themselves.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "components/env/result.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace simvus::real {

class MetricsEndpoint {
 public:
  // Listens on `address` (IPV4:PORT or localhost:PORT; port 0 picks a free one).
  // kInvalidArgument for an address of another form, kUnavailable if it cannot listen there.
  static Result<std::unique_ptr<MetricsEndpoint>> Start(
      std::shared_ptr<prometheus::Registry> registry, const std::string& address);
  ~MetricsEndpoint();  // stops listening; a scrape in progress finishes first
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // http://HOST:PORT/metrics, with the port actually bound.
  const std::string& url() const { return url_; }
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  void Serve();
  void Answer(int connection);

  std::shared_ptr<prometheus::Registry> registry_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::string url_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace simvus::real
