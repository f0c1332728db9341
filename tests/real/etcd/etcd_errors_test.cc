// EtcdMetaStore's error paths, against stand-ins rather than etcd: a closed port (kUnavailable
// at once, naming the endpoint), a server that accepts connections and never answers
// (kDeadlineExceeded within the request timeout) and one that ends the watch stream after one
// event (the event, then kUnavailable). None needs a backend.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "real/etcd/etcd_meta_store.h"
#include "tests/conformance/real_storage_harness.h"

namespace simvus::conformance {
namespace {

real::ThreadPool& ErrorsIo() {
  static real::ThreadPool* io = new real::ThreadPool("etcd-errors-io", 2);
  return *io;
}

std::unique_ptr<RealStorageHarness> HarnessOn(const std::string& endpoint,
                                              real::EtcdMetaStoreOptions options = {}) {
  real::RealPortFactories ports;
  ports.meta_store = [endpoint, options](ExecutorRef executor) -> std::unique_ptr<MetaStore> {
    return std::make_unique<real::EtcdMetaStore>(executor, ErrorsIo(), endpoint, options);
  };
  return std::make_unique<RealStorageHarness>(std::move(ports));
}

// A listening loopback socket on a kernel-chosen port.
int Listen(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  *port = ntohs(addr.sin_port);
  return fd;
}

std::string Url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(EtcdMetaStoreErrors, AClosedPortIsUnavailableNamingTheEndpoint) {
  int port = 0;
  close(Listen(&port));  // nothing listens there now
  const std::string endpoint = Url(port);
  auto h = HarnessOn(endpoint);
  const auto start = std::chrono::steady_clock::now();
  h->Run([&]() -> Task<void> {
    MetaStore& m = h->meta_store();
    Result<PutResult> put = co_await m.Put("/k", "v");
    CO_ASSERT_CODE(put, StatusCode::kUnavailable);
    EXPECT_NE(put.status().message().find("etcd at " + endpoint), std::string::npos)
        << put.status().ToString();
    const RangeRequest request{"/k", {}, 0, 0};
    CO_ASSERT_CODE(co_await m.Range(request), StatusCode::kUnavailable);
    CO_ASSERT_CODE(co_await m.LeaseGrant(Duration::Seconds(5)), StatusCode::kUnavailable);
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch("/k", {}, 0);
    CO_ASSERT_CODE(watch, StatusCode::kUnavailable);
    EXPECT_NE(watch.status().message().find("etcd at " + endpoint), std::string::npos)
        << watch.status().ToString();
  });
  EXPECT_LT(SecondsSince(start), 5.0) << "a refused connection must fail at once";
}

TEST(EtcdMetaStoreErrors, AServerThatNeverAnswersIsADeadline) {
  int port = 0;
  const int fd = Listen(&port);  // the kernel accepts connections; nobody reads or answers
  real::EtcdMetaStoreOptions options;
  options.connect_timeout = Duration::Seconds(1);
  options.request_timeout = Duration::Seconds(1);
  auto h = HarnessOn(Url(port), options);
  const auto start = std::chrono::steady_clock::now();
  h->Run([&]() -> Task<void> {
    MetaStore& m = h->meta_store();
    Result<PutResult> put = co_await m.Put("/k", "v");
    CO_ASSERT_CODE(put, StatusCode::kDeadlineExceeded);
    EXPECT_NE(put.status().message().find("etcd at " + Url(port)), std::string::npos)
        << put.status().ToString();
    // A watch is a stream without a total timeout; creating one still fails in bounded time.
    CO_ASSERT_CODE(co_await m.Watch("/k", {}, 0), StatusCode::kUnavailable);
  });
  EXPECT_LT(SecondsSince(start), 6.0);
  close(fd);
}

// Answers every request on its own connection, then closes it: a range probe with an empty
// result, a watch with "created", one put event and the end of the stream.
class BreakingEtcd {
 public:
  BreakingEtcd() : fd_(Listen(&port_)), thread_([this] { Serve(); }) {}
  ~BreakingEtcd() {
    stop_.store(true);
    thread_.join();
    close(fd_);
  }
  std::string url() const { return Url(port_); }

 private:
  void Serve() {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      std::string request;
      char buffer[4096];
      // Headers and the (small) body arrive together on loopback; wait for the JSON's end.
      while (request.find("\r\n\r\n") == std::string::npos || request.back() != '}') {
        const ssize_t n = read(conn, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      const bool watch = request.rfind("POST /v3/watch", 0) == 0;
      std::string body = R"({"header":{"revision":"7"}})";
      if (watch) {
        body = R"({"result":{"header":{"revision":"7"},"created":true}})"
               "\n"
               R"({"result":{"header":{"revision":"8"},"events":[{"kv":{"key":"L2s=",)"
               R"("create_revision":"8","mod_revision":"8","version":"1","value":"dg=="}}]}})"
               "\n";
      }
      std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
      if (!watch) answer += "Content-Length: " + std::to_string(body.size()) + "\r\n";
      answer += "Connection: close\r\n\r\n" + body;
      (void)!write(conn, answer.data(), answer.size());
      close(conn);
    }
  }

  int port_ = 0;
  int fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(EtcdMetaStoreErrors, ABrokenWatchStreamDeliversWhatCameThenIsUnavailable) {
  BreakingEtcd server;
  auto h = HarnessOn(server.url());
  h->Run([&]() -> Task<void> {
    MetaStore& m = h->meta_store();
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch("/k", {}, 0);
    CO_ASSERT_OK(watch);
    std::vector<WatchEvent> events;
    Result<std::vector<WatchEvent>> batch = co_await (*watch)->Next();
    while (batch.ok()) {
      events.insert(events.end(), batch->begin(), batch->end());
      batch = co_await (*watch)->Next();
    }
    CO_ASSERT_CODE(batch, StatusCode::kUnavailable);
    EXPECT_NE(batch.status().message().find("re-establish the watch from revision 9"),
              std::string::npos)
        << batch.status().ToString();
    CO_ASSERT_TRUE(events.size() == 1);
    EXPECT_EQ(events[0].kv.key, "/k");
    EXPECT_EQ(events[0].kv.value, "v");
    EXPECT_EQ(events[0].kv.mod_revision, 8);
  });
}

}  // namespace
}  // namespace simvus::conformance
