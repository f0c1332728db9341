#include "real/kafka/mock_control.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace simvus::real {

Status MockControlCommand(const std::string& control, const std::string& command,
                          Duration timeout) {
  const std::string what = "Kafka mock control at " + control;
  const size_t colon = control.rfind(':');
  if (colon == std::string::npos) return InvalidArgument(what + ": expected HOST:PORT");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::stoi(control.substr(colon + 1))));
  if (inet_pton(AF_INET, control.substr(0, colon).c_str(), &address.sin_addr) != 1) {
    return InvalidArgument(what + ": not an IPv4 address");
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Unavailable(what + ": no socket");
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return Unavailable(what + ": connection refused (is simvus-kafka-mock running?)");
  }
  const std::string line = command + "\n";
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Unavailable(what + ": write failed");
  }
  std::string answer;
  char chunk[256];
  while (answer.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.millis())) <= 0) {
      return DeadlineExceeded(what + ": no answer to '" + command + "'");
    }
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return Unavailable(what + ": closed before answering");
    answer.append(chunk, static_cast<size_t>(n));
  }
  answer.resize(answer.find('\n'));
  if (answer.rfind("ok", 0) == 0) return Status();
  return FailedPrecondition(what + ": " + command + ": " + answer);
}

}  // namespace simvus::real
