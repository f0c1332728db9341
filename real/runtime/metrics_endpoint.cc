#include "real/runtime/metrics_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace simvus::real {

namespace {

constexpr size_t kMaxRequestBytes = 8192;
constexpr int kPollMs = 200;  // how soon the thread notices a stop

void SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the scraper went away
    sent += static_cast<size_t>(n);
  }
}

std::string Response(const std::string& status, const std::string& type, const std::string& body,
                     bool head) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         (head ? "" : body);
}

}  // namespace

Result<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    std::shared_ptr<prometheus::Registry> registry, const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string host = colon == std::string::npos ? "" : address.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? "" : address.substr(colon + 1);
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_in bind_to{};
  bind_to.sin_family = AF_INET;
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535 || inet_pton(AF_INET, host.c_str(), &bind_to.sin_addr) != 1) {
    return InvalidArgument("metrics address '" + address + "': expected IPV4:PORT");
  }
  bind_to.sin_port = htons(static_cast<uint16_t>(std::stoi(port_text)));
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->registry_ = std::move(registry);
  endpoint->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  socklen_t length = sizeof bind_to;
  if (endpoint->listen_fd_ < 0 ||
      setsockopt(endpoint->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
      bind(endpoint->listen_fd_, reinterpret_cast<sockaddr*>(&bind_to), sizeof bind_to) != 0 ||
      listen(endpoint->listen_fd_, 16) != 0 ||
      getsockname(endpoint->listen_fd_, reinterpret_cast<sockaddr*>(&bind_to), &length) != 0) {
    return Unavailable("cannot serve /metrics on " + address + ": " + std::strerror(errno));
  }
  endpoint->port_ = ntohs(bind_to.sin_port);
  endpoint->url_ = "http://" + host + ":" + std::to_string(endpoint->port_) + "/metrics";
  MetricsEndpoint* self = endpoint.get();
  endpoint->thread_ = std::thread([self] { self->Serve(); });
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void MetricsEndpoint::Serve() {
  while (!stop_) {
    pollfd ready{.fd = listen_fd_, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, kPollMs) <= 0) continue;
    const int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    // A scraper that stalls holds the endpoint for at most this long.
    const timeval timeout{.tv_sec = 2, .tv_usec = 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    Answer(connection);
    close(connection);
  }
}

void MetricsEndpoint::Answer(int connection) {
  std::string request;
  char buffer[1024];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequestBytes) {
    const ssize_t n = recv(connection, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    request.append(buffer, static_cast<size_t>(n));
  }
  // "GET /metrics?x HTTP/1.1": the method, then the path without its query.
  const size_t method_end = request.find(' ');
  const size_t path_end = request.find_first_of(" ?\r", method_end + 1);
  if (method_end == std::string::npos || path_end == std::string::npos) {
    SendAll(connection, Response("400 Bad Request", "text/plain", "bad request\n", false));
    return;
  }
  const std::string method = request.substr(0, method_end);
  const std::string path = request.substr(method_end + 1, path_end - method_end - 1);
  if (method != "GET" && method != "HEAD") {
    SendAll(connection, Response("405 Method Not Allowed", "text/plain", "GET only\n", false));
  } else if (path != "/metrics") {
    SendAll(connection,
            Response("404 Not Found", "text/plain", "try /metrics\n", method == "HEAD"));
  } else {
    const std::string body = prometheus::TextSerializer().Serialize(registry_->Collect());
    SendAll(connection,
            Response("200 OK", "text/plain; version=0.0.4; charset=utf-8", body, method == "HEAD"));
  }
}

}  // namespace simvus::real
