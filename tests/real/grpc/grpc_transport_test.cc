// The Transport port between processes: two RealRuntimes stand in for two processes, one serving
// node "server" on a GrpcNodeServer, the other reaching it through GrpcRemoteTransport. Calls
// answer with the handler's bytes and status, time out with kDeadlineExceeded, and a stopped or
// absent peer is kUnavailable (never a hang); one-way messages arrive; a peer that comes back
// on its port is reachable again.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "components/env/service.h"
#include "real/grpc/grpc_node_server.h"
#include "real/grpc/grpc_remote_transport.h"
#include "real/runtime/runtime.h"

namespace simvus::real {
namespace {

class EchoService : public Service {
 public:
  EchoService(Env& env, std::atomic<int>* sent) : env_(env), sent_(sent) {}
  void Start() override {
    env_.transport->Register("echo", [](std::string from, Bytes request) -> Task<Result<Bytes>> {
      std::string answer = from + ":" + request;
      co_return answer;
    });
    env_.transport->Register("missing", [](std::string, Bytes request) -> Task<Result<Bytes>> {
      std::string what = "no row " + request;
      Status missing = NotFound(std::move(what));
      co_return missing;
    });
    Env* env = &env_;
    env_.transport->Register("slow", [env](std::string, Bytes) -> Task<Result<Bytes>> {
      co_await env->clock->Sleep(Duration::Seconds(30));
      co_return Bytes("late");
    });
    std::atomic<int>* sent = sent_;
    env_.transport->RegisterOneWay("note", [sent](std::string from, Bytes message) {
      // Counts 1 for the expected note only (GCC 12 warns on operator== here).
      sent->fetch_add(from.compare("client") == 0 && message.compare("hello") == 0 ? 1 : 100);
    });
  }

 private:
  Env& env_;
  std::atomic<int>* sent_;
};

// The "server process": its runtime and its node server.
struct ServerProcess {
  explicit ServerProcess(std::atomic<int>* sent, const std::string& address = "127.0.0.1:0")
      : runtime({.strand_threads = 2}, {}) {
    runtime.StartNode("server",
                      [sent](Env& env) { return std::make_unique<EchoService>(env, sent); });
    Result<std::unique_ptr<GrpcNodeServer>> started = GrpcNodeServer::Start(runtime.hub(), address);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    if (started.ok()) server = std::move(*started);
  }
  ~ServerProcess() {
    runtime.StopAll();
    server.reset();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(server->port()); }

  RealRuntime runtime;
  std::unique_ptr<GrpcNodeServer> server;
};

// The "client process": node "client", which knows where "server" and "gone" listen.
std::unique_ptr<RealRuntime> ClientProcess(const std::string& server_address) {
  RealRuntimeOptions options;
  options.strand_threads = 2;
  options.remote = std::make_shared<GrpcRemoteTransport>(
      std::map<std::string, std::string>{{"server", server_address}, {"gone", "127.0.0.1:9"}});
  auto runtime = std::make_unique<RealRuntime>(options, RealPortFactories{});
  runtime->StartNode("client", nullptr);
  return runtime;
}

Result<Bytes> CallFrom(RealRuntime& client, std::string to, std::string method, Bytes request,
                       Duration deadline) {
  Result<Bytes> answer = Internal("the call did not finish");
  const bool finished = client.RunOn(
      "client",
      [](Env* env, std::string target, std::string name, Bytes payload, Duration limit,
         Result<Bytes>* out) -> Task<void> {
        *out = co_await env->transport->Call(std::move(target), std::move(name), std::move(payload),
                                             limit);
      }(client.EnvOf("client"), std::move(to), std::move(method), std::move(request), deadline,
                             &answer),
      Duration::Seconds(20));
  EXPECT_TRUE(finished);
  return answer;
}

TEST(GrpcTransportTest, CallsCarryBytesStatusesAndDeadlines) {
  std::atomic<int> sent{0};
  ServerProcess server(&sent);
  std::unique_ptr<RealRuntime> client = ClientProcess(server.address());

  Result<Bytes> echoed = CallFrom(*client, "server", "echo", "hi", Duration::Seconds(5));
  ASSERT_TRUE(echoed.ok()) << echoed.status().ToString();
  EXPECT_EQ(*echoed, "client:hi");  // the handler sees the calling node's name

  Result<Bytes> missing = CallFrom(*client, "server", "missing", "7", Duration::Seconds(5));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no row 7");

  Result<Bytes> no_method = CallFrom(*client, "server", "nothing", "", Duration::Seconds(5));
  EXPECT_EQ(no_method.status().code(), StatusCode::kUnavailable);

  Result<Bytes> slow = CallFrom(*client, "server", "slow", "", Duration::Millis(200));
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded);

  Result<Bytes> gone = CallFrom(*client, "gone", "echo", "", Duration::Seconds(5));
  EXPECT_EQ(gone.status().code(), StatusCode::kUnavailable);

  Result<Bytes> unknown = CallFrom(*client, "nobody", "echo", "", Duration::Seconds(5));
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnavailable);

  ASSERT_TRUE(client->RunOn(
      "client",
      [](Env* env) -> Task<void> {
        env->transport->Send("server", "note", "hello");
        co_return;
      }(client->EnvOf("client")),
      Duration::Seconds(5)));
  for (int i = 0; i < 200 && sent.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(sent.load(), 1);
}

TEST(GrpcTransportTest, ANodeThatStopsMidCallAnswersUnavailableAtOnce) {
  std::atomic<int> sent{0};
  ServerProcess server(&sent);
  std::unique_ptr<RealRuntime> client = ClientProcess(server.address());
  std::thread stopper([&server] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    server.runtime.StopNode("server");  // the "slow" call is in its handler
  });
  const auto before = std::chrono::steady_clock::now();
  Result<Bytes> answer = CallFrom(*client, "server", "slow", "", Duration::Seconds(20));
  const auto waited = std::chrono::steady_clock::now() - before;
  stopper.join();
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable) << answer.status().ToString();
  EXPECT_LT(waited, std::chrono::seconds(10));  // not the 20 s deadline
  // And now the node is not there at all.
  Result<Bytes> after = CallFrom(*client, "server", "echo", "", Duration::Seconds(5));
  EXPECT_EQ(after.status().code(), StatusCode::kUnavailable);
}

TEST(GrpcTransportTest, APeerProcessThatComesBackOnItsPortIsReachedAgain) {
  std::atomic<int> sent{0};
  auto server = std::make_unique<ServerProcess>(&sent);
  const std::string address = server->address();
  std::unique_ptr<RealRuntime> client = ClientProcess(address);
  ASSERT_TRUE(CallFrom(*client, "server", "echo", "1", Duration::Seconds(5)).ok());
  server.reset();  // the process dies
  EXPECT_EQ(CallFrom(*client, "server", "echo", "2", Duration::Seconds(5)).status().code(),
            StatusCode::kUnavailable);
  server = std::make_unique<ServerProcess>(&sent, address);  // restarted on the same port
  Result<Bytes> again = Internal("not tried");
  for (int i = 0; i < 50; ++i) {
    again = CallFrom(*client, "server", "echo", "3", Duration::Seconds(5));
    if (again.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, "client:3");
}

}  // namespace
}  // namespace simvus::real
