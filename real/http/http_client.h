// HttpClient: blocking HTTP over libcurl for the etcd (v3 JSON gateway) and S3 adapters.
//
// Blocking on purpose: adapters call it through Offload (runtime/offload.h) on the I/O pool, so a
// node's strand never waits on the network. Every request has a connect and a total timeout, so
// an unreachable or dead server is an error naming the endpoint, never a hang. Transport errors
// map to kUnavailable (could not connect: nothing was sent) or kDeadlineExceeded (sent, no full
// answer: a write may or may not have happened). HTTP statuses are the caller's to interpret.
// Credentials given in SigV4 are passed to libcurl only; they never appear in an error message.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "components/env/result.h"
#include "components/env/time.h"

namespace simvus::real {

struct SigV4Credentials {
  std::string region = "us-east-1";
  std::string service = "s3";
  std::string access_key;  // may contain ':' (Swift's "test:tester")
  std::string secret_key;
};

struct HttpRequest {
  std::string method = "GET";  // GET, PUT, POST, DELETE, HEAD
  std::string url;             // query parameters already sorted and %-encoded (SigV4 needs it)
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  Duration connect_timeout = Duration::Seconds(3);
  Duration timeout = Duration::Seconds(15);
  std::optional<SigV4Credentials> sigv4;  // sign with AWS Signature Version 4
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

// One request, the whole answer. `what` names the backend in errors ("etcd at http://...").
Result<HttpResponse> HttpPerform(const HttpRequest& request, std::string_view what);

// A streamed answer (etcd watch): `on_data` gets bytes as they arrive and returns false to stop.
// Returns when the stream ends, on_data stops it, `cancel` becomes true (checked by libcurl's
// progress callback: on an idle stream, about once a second with libcurl 7.88), or an error
// occurs. `request.timeout` is ignored; a stalled connection is detected by
// `stall_timeout` without bytes (0: never).
Status HttpStream(const HttpRequest& request, std::string_view what,
                  const std::function<bool(std::string_view)>& on_data,
                  const std::atomic<bool>& cancel, Duration stall_timeout = Duration::Zero());

// RFC 3986 percent-encoding of every byte outside A-Z a-z 0-9 - _ . ~ ; '/' kept when asked.
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace simvus::real
