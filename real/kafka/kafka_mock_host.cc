// simvus-kafka-mock: librdkafka's in-memory mock cluster (rdkafka_mock.h) as a process on
// loopback, so that any Kafka client in another process (simvus, kcat) can talk to it.
//
// It prints, on stdout, the two settings clients need and then serves until SIGTERM/SIGINT:
//   KAFKA_BOOTSTRAP=127.0.0.1:PORT,...    the mock brokers
//   KAFKA_MOCK_CONTROL=127.0.0.1:PORT     a line protocol for what the mock has no Kafka API for
// Control commands, one per line, each answered by "ok ..." or "error ...":
//   create TOPIC PARTITIONS   create a topic (the mock has no CreateTopics)
//   down BROKER / up BROKER   take a broker (1..N) down or up: a backend fault for real mode
//   ping
#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

namespace {

std::atomic<bool> stopping{false};

void OnSignal(int) { stopping.store(true); }

std::string Handle(rd_kafka_mock_cluster_t* cluster, int brokers, const std::string& line) {
  std::istringstream in(line);
  std::string command;
  in >> command;
  if (command == "ping") return "ok";
  if (command == "create") {
    std::string topic;
    int partitions = 0;
    in >> topic >> partitions;
    if (topic.empty() || partitions <= 0) return "error usage: create TOPIC PARTITIONS";
    const int replication = brokers < 3 ? brokers : 3;
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions, replication);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::string("error ") + rd_kafka_err2str(err);
    return "ok";
  }
  if (command == "down" || command == "up") {
    int broker = 0;
    in >> broker;
    if (broker < 1 || broker > brokers) return "error no broker " + std::to_string(broker);
    rd_kafka_resp_err_t err = command == "down" ? rd_kafka_mock_broker_set_down(cluster, broker)
                                                : rd_kafka_mock_broker_set_up(cluster, broker);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::string("error ") + rd_kafka_err2str(err);
    return "ok";
  }
  return "error unknown command '" + command + "' (create, down, up, ping)";
}

void Serve(int client, rd_kafka_mock_cluster_t* cluster, int brokers) {
  std::string buffer;
  char chunk[512];
  for (;;) {
    pollfd p{client, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) {
      if (stopping.load()) return;
      continue;
    }
    const ssize_t n = read(client, chunk, sizeof chunk);
    if (n <= 0) return;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t eol;
    while ((eol = buffer.find('\n')) != std::string::npos) {
      const std::string answer = Handle(cluster, brokers, buffer.substr(0, eol)) + "\n";
      buffer.erase(0, eol + 1);
      if (write(client, answer.data(), answer.size()) < 0) return;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 3;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--brokers") == 0) brokers = std::atoi(argv[i + 1]);
  }
  if (brokers < 1) brokers = 1;
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);

  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle == nullptr) {
    std::fprintf(stderr, "simvus-kafka-mock: %s\n", error);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
  if (cluster == nullptr) {
    std::fprintf(stderr, "simvus-kafka-mock: could not start the mock cluster\n");
    return 1;
  }

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, 16) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("simvus-kafka-mock: control socket");
    return 1;
  }
  std::printf("KAFKA_BOOTSTRAP=%s\nKAFKA_MOCK_CONTROL=127.0.0.1:%d\n",
              rd_kafka_mock_cluster_bootstraps(cluster), ntohs(address.sin_port));
  std::fflush(stdout);

  while (!stopping.load()) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    const int client = accept(listener, nullptr, nullptr);
    if (client < 0) continue;
    Serve(client, cluster, brokers);  // one control client at a time: commands are rare
    close(client);
  }
  close(listener);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
