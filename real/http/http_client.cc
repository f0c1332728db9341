#include "real/http/http_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace simvus::real {

namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = std::string(value);
  }
  return size * n;
}

// Sets everything but the write callbacks. `headers` must outlive the transfer.
void Configure(CURL* curl, const HttpRequest& request,
               std::unique_ptr<curl_slist, SlistDeleter>& headers) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  // Send the path as given: without this libcurl squashes "/./" and "/../", so an S3 key such as
  // "a/../b" would be signed and sent as another key.
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.millis()));
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.method == "PUT" || request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_slist* list = nullptr;
  for (const std::string& h : request.headers) list = curl_slist_append(list, h.c_str());
  // libcurl adds "Expect: 100-continue" to bodies over 1 KiB and waits for the server's 100.
  // Unsigned requests drop the header. Signed ones must not: libcurl 7.88 signs the empty
  // "Expect:" it then does not send, and a verifying server answers SignatureDoesNotMatch. They
  // keep the header (unsigned, which SigV4 allows) and wait at most 200 ms for the 100.
  if (request.sigv4) {
    curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 200L);
  } else {
    list = curl_slist_append(list, "Expect:");
  }
  if (request.method == "PUT" || request.method == "POST") {
    bool has_type = false;
    for (const std::string& h : request.headers) {
      if (h.size() >= 13 && strncasecmp(h.c_str(), "content-type:", 13) == 0) has_type = true;
    }
    if (!has_type) list = curl_slist_append(list, "Content-Type: application/octet-stream");
  }
  headers.reset(list);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (request.sigv4) {
    const std::string provider = "aws:amz:" + request.sigv4->region + ":" + request.sigv4->service;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, provider.c_str());  // copied by libcurl
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.sigv4->access_key.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, request.sigv4->secret_key.c_str());
  }
}

Status TransportError(CURL* curl, CURLcode code, std::string_view what,
                      const HttpRequest& request) {
  const std::string text =
      std::string(what) + ": " + request.method + " failed: " + curl_easy_strerror(code);
  // A timeout before the connection was made sent nothing: the server is unreachable, and a
  // write certainly did not happen (kUnavailable, not kDeadlineExceeded).
  curl_off_t connect_us = 0;
  if (code == CURLE_OPERATION_TIMEDOUT &&
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us) == CURLE_OK &&
      connect_us == 0) {
    return Unavailable(text + " (could not connect within " +
                       std::to_string(request.connect_timeout.millis()) + " ms)");
  }
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Unavailable(text + " (is the server running?)");
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceeded(text);
    default:
      return Unavailable(text);
  }
}

// One easy handle per thread, reset before each request: libcurl keeps its connection cache
// across resets, so an I/O thread reuses its keep-alive connections to etcd and S3 instead of
// opening one per request (a dead cached connection is detected and replaced by libcurl).
CURL* ThreadHandle() {
  thread_local std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (handle) curl_easy_reset(handle.get());
  return handle.get();
}

}  // namespace

Result<HttpResponse> HttpPerform(const HttpRequest& request, std::string_view what) {
  GlobalInitOnce();
  CURL* curl = ThreadHandle();
  if (curl == nullptr) return Internal("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  Configure(curl, request, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.millis()));
  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) return TransportError(curl, code, what, request);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

namespace {

struct StreamState {
  const std::function<bool(std::string_view)>* on_data;
  const std::atomic<bool>* cancel;
  bool stopped = false;
};

size_t StreamBody(char* data, size_t size, size_t n, void* out) {
  auto* state = static_cast<StreamState*>(out);
  if (!(*state->on_data)(std::string_view(data, size * n))) {
    state->stopped = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  return size * n;
}

int StreamProgress(void* out, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<StreamState*>(out);
  if (state->cancel->load()) {
    state->stopped = true;
    return 1;  // aborts (CURLE_ABORTED_BY_CALLBACK)
  }
  return 0;
}

}  // namespace

Status HttpStream(const HttpRequest& request, std::string_view what,
                  const std::function<bool(std::string_view)>& on_data,
                  const std::atomic<bool>& cancel, Duration stall_timeout) {
  GlobalInitOnce();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Internal("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  Configure(curl.get(), request, headers);
  StreamState state{&on_data, &cancel};
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, StreamBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, StreamProgress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &state);
  if (stall_timeout.ns > 0) {
    // Fewer than 1 byte/s for stall_timeout: the server is gone.
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<int64_t>(1, stall_timeout.millis() / 1000)));
  }
  const CURLcode code = curl_easy_perform(curl.get());
  if (state.stopped || code == CURLE_OK) return Status();
  return TransportError(curl.get(), code, what, request);
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace simvus::real
