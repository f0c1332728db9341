#include "real/etcd/etcd_meta_store.h"

#include <atomic>
#include <charconv>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

#include "components/env/check.h"
#include "components/env/completion.h"
#include "real/http/http_client.h"
#include "real/runtime/offload.h"

namespace simvus::real {

using Json = nlohmann::json;

struct EtcdMetaStore::Connection {
  std::vector<std::string> endpoints;
  EtcdMetaStoreOptions options;
  std::atomic<size_t> current{0};  // the endpoint that answered last
};

namespace {

// Thrown by the decoders below and caught at this adapter's edge (Call, the watch thread).
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Encoding ----------------------------------------------------------------------------------

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string FromEtcdBase64(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* at = std::char_traits<char>::find(kBase64, 64, c);
    if (at == nullptr) throw DecodeError("invalid base64 character in '" + std::string(in) + "'");
    bits = (bits << 6) | static_cast<uint32_t>(at - kBase64);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  if (count == 1) throw DecodeError("truncated base64 '" + std::string(in) + "'");
  if (count == 2) out.push_back(static_cast<char>((bits >> 4) & 0xff));
  if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

// int64 fields go out as JSON strings, as the gateway writes them (a JSON number loses precision
// above 2^53, and lease ids are that large).
std::string Int64(int64_t n) { return std::to_string(n); }

Json EncodeRange(const std::string& key, const std::string& range_end) {
  Json j = {{"key", EtcdBase64(key)}};
  if (!range_end.empty()) j["range_end"] = EtcdBase64(range_end);
  return j;
}

Json EncodeRange(const RangeRequest& r) {
  Json j = EncodeRange(r.key, r.range_end);
  if (r.revision != 0) j["revision"] = Int64(r.revision);
  if (r.limit != 0) j["limit"] = Int64(r.limit);
  return j;
}

Json EncodePut(const std::string& key, const Bytes& value, LeaseId lease) {
  Json j = {{"key", EtcdBase64(key)}, {"value", EtcdBase64(value)}, {"prev_kv", true}};
  if (lease != 0) j["lease"] = Int64(lease);
  return j;
}

Json EncodeDelete(const std::string& key, const std::string& range_end) {
  Json j = EncodeRange(key, range_end);
  j["prev_kv"] = true;
  return j;
}

Json EncodeCompare(const Compare& c) {
  static constexpr const char* kResult[] = {"EQUAL", "NOT_EQUAL", "LESS", "GREATER"};
  Json j = {{"key", EtcdBase64(c.key)}, {"result", kResult[static_cast<int>(c.op)]}};
  switch (c.target) {
    case Compare::Target::kValue:
      j["target"] = "VALUE";
      j["value"] = EtcdBase64(c.value);
      break;
    case Compare::Target::kVersion:
      j["target"] = "VERSION";
      j["version"] = Int64(c.number);
      break;
    case Compare::Target::kCreateRevision:
      j["target"] = "CREATE";
      j["create_revision"] = Int64(c.number);
      break;
    case Compare::Target::kModRevision:
      j["target"] = "MOD";
      j["mod_revision"] = Int64(c.number);
      break;
    case Compare::Target::kLease:
      j["target"] = "LEASE";
      j["lease"] = Int64(c.number);
      break;
  }
  return j;
}

Json EncodeOp(const TxnOp& op) {
  switch (op.kind) {
    case TxnOp::Kind::kRange:
      return Json{{"request_range", EncodeRange(op.key, op.range_end)}};
    case TxnOp::Kind::kPut:
      return Json{{"request_put", EncodePut(op.key, op.value, op.lease)}};
    case TxnOp::Kind::kDelete:
      return Json{{"request_delete_range", EncodeDelete(op.key, op.range_end)}};
  }
  return Json::object();
}

Json EncodeTxn(const std::vector<Compare>& compares, const std::vector<TxnOp>& success,
               const std::vector<TxnOp>& failure) {
  Json j = Json::object();
  Json& c = j["compare"] = Json::array();
  for (const Compare& compare : compares) c.push_back(EncodeCompare(compare));
  Json& s = j["success"] = Json::array();
  for (const TxnOp& op : success) s.push_back(EncodeOp(op));
  Json& f = j["failure"] = Json::array();
  for (const TxnOp& op : failure) f.push_back(EncodeOp(op));
  return j;
}

// ---- Decoding: the gateway omits zero, false and empty fields ----------------------------------

int64_t Int(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    int64_t n = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error == std::errc() && end == text.data() + text.size()) return n;
  }
  throw DecodeError(std::string("field '") + name + "' is not an int64: " + it->dump());
}

bool Bool(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw DecodeError(std::string("field '") + name + "' is not a bool");
  return it->get<bool>();
}

std::string Text(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string Bytes64(const Json& object, const char* name) {
  return FromEtcdBase64(Text(object, name));
}

int64_t HeaderRevision(const Json& j) {
  auto it = j.find("header");
  return it == j.end() ? 0 : Int(*it, "revision");
}

KeyValue DecodeKv(const Json& j) {
  KeyValue kv;
  kv.key = Bytes64(j, "key");
  kv.value = Bytes64(j, "value");
  kv.create_revision = Int(j, "create_revision");
  kv.mod_revision = Int(j, "mod_revision");
  kv.version = Int(j, "version");
  kv.lease = Int(j, "lease");
  return kv;
}

std::vector<KeyValue> DecodeKvs(const Json& j, const char* name) {
  std::vector<KeyValue> kvs;
  auto it = j.find(name);
  if (it == j.end()) return kvs;
  if (!it->is_array()) throw DecodeError(std::string("field '") + name + "' is not an array");
  for (const Json& kv : *it) kvs.push_back(DecodeKv(kv));
  return kvs;
}

RangeResult DecodeRange(const Json& j) {
  RangeResult r;
  r.revision = HeaderRevision(j);
  r.kvs = DecodeKvs(j, "kvs");
  r.count = Int(j, "count");
  r.more = Bool(j, "more");
  return r;
}

PutResult DecodePut(const Json& j) {
  PutResult r;
  r.revision = HeaderRevision(j);
  auto prev = j.find("prev_kv");
  if (prev != j.end()) r.prev = DecodeKv(*prev);
  return r;
}

DeleteResult DecodeDelete(const Json& j) {
  DeleteResult r;
  r.revision = HeaderRevision(j);
  r.deleted = Int(j, "deleted");
  r.prev = DecodeKvs(j, "prev_kvs");
  return r;
}

TxnResult DecodeTxn(const Json& j) {
  TxnResult r;
  r.succeeded = Bool(j, "succeeded");
  r.revision = HeaderRevision(j);
  auto responses = j.find("responses");
  if (responses == j.end()) return r;
  for (const Json& response : *responses) {
    TxnOpResult op;
    if (auto it = response.find("response_range"); it != response.end()) {
      op.range = DecodeRange(*it);
      if (op.range.revision == 0) op.range.revision = r.revision;
    } else if (auto put = response.find("response_put"); put != response.end()) {
      op.put = DecodePut(*put);
      if (op.put.revision == 0) op.put.revision = r.revision;
    } else if (auto del = response.find("response_delete_range"); del != response.end()) {
      op.del = DecodeDelete(*del);
      if (op.del.revision == 0) op.del.revision = r.revision;
    } else {
      throw DecodeError("txn response without a known op: " + response.dump());
    }
    r.results.push_back(std::move(op));
  }
  return r;
}

WatchEvent DecodeEvent(const Json& j) {
  WatchEvent e;
  e.type = Text(j, "type") == "DELETE" ? WatchEvent::Type::kDelete : WatchEvent::Type::kPut;
  auto kv = j.find("kv");
  if (kv == j.end()) throw DecodeError("watch event without kv: " + j.dump());
  e.kv = DecodeKv(*kv);
  auto prev = j.find("prev_kv");
  if (prev != j.end()) e.prev = DecodeKv(*prev);
  return e;
}

// ---- Errors ------------------------------------------------------------------------------------

std::string Snippet(std::string_view text) {
  constexpr size_t kMax = 300;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

void ExtractError(const Json& j, std::string* message, int64_t* code) {
  if (j.is_object()) {
    auto error = j.find("error");
    if (error != j.end() && error->is_object()) {
      *message = Text(*error, "message");
      if (error->contains("grpc_code")) *code = Int(*error, "grpc_code");
    } else {
      *message = Text(j, "message");
      if (message->empty()) *message = Text(j, "error");
      if (j.contains("code")) *code = Int(j, "code");
    }
  }
}

// etcd's error text and gRPC code, from a unary error body ({"error","message","code"}) or a
// streamed one ({"error":{"grpc_code","message",...}}).
Status ErrorStatus(const Json& j, std::string_view raw, const std::string& what,
                   std::string_view path, long http_status) {
  std::string message;
  int64_t code = -1;
  try {
    ExtractError(j, &message, &code);
  } catch (const std::exception&) {  // a malformed error body: fall back to its text
  }
  if (message.empty()) message = Snippet(raw);
  std::string text = what + ": " + std::string(path) + ": " + message;
  if (http_status != 200) text += " (HTTP " + std::to_string(http_status) + ")";
  auto has = [&message](std::string_view s) { return message.find(s) != std::string::npos; };
  if (has("required revision has been compacted") || has("required revision is a future")) {
    return OutOfRange(text);
  }
  if (has("requested lease not found")) return NotFound(text);
  if (has("request timed out")) return DeadlineExceeded(text);  // a write may have happened
  switch (code) {
    case 1:  // CANCELLED
      return {StatusCode::kCancelled, text};
    case 3:
      return InvalidArgument(text);
    case 4:
      return DeadlineExceeded(text);
    case 5:
      return NotFound(text);
    case 6:
      return AlreadyExists(text);
    case 7:
    case 16:  // UNAUTHENTICATED
      return PermissionDenied(text);
    case 8:
      return ResourceExhausted(text);
    case 9:
      return FailedPrecondition(text);
    case 10:  // ABORTED
    case 14:
      return Unavailable(text);
    case 11:
      return OutOfRange(text);
    case 15:
      return DataLoss(text);
    default:
      break;
  }
  if (http_status == 502 || http_status == 503 || http_status == 504 || http_status == 429) {
    return Unavailable(text);
  }
  return Internal(text);
}

// The answer's JSON object: the whole body, or its first line (a streamed answer such as
// lease/keepalive's is one object per line). Discarded if neither parses to an object.
Json ParseAnswer(std::string_view body) {
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) return j;
  const size_t newline = body.find('\n');
  if (newline == std::string_view::npos) return Json(Json::value_t::discarded);
  j = Json::parse(body.substr(0, newline), nullptr, false);
  return j.is_object() ? j : Json(Json::value_t::discarded);
}

HttpRequest EtcdRequest(const EtcdMetaStore::Connection& c, size_t index, std::string_view path,
                        const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.url = c.endpoints[index] + std::string(path);
  request.headers.push_back("Content-Type: application/json");
  request.body = body;
  request.connect_timeout = c.options.connect_timeout;
  request.timeout = c.options.request_timeout;
  return request;
}

template <typename T>
using Decoder = std::function<Result<T>(const Json&, const std::string& what)>;

// One POST of `body` to `path`, its answer decoded. Runs on an I/O thread. Tries the endpoints
// in turn from the one that answered last while they cannot be reached.
template <typename T>
Result<T> Call(EtcdMetaStore::Connection& c, std::string_view path, const std::string& body,
               const Decoder<T>& decode) {
  const size_t n = c.endpoints.size();
  const size_t first = c.current.load();
  for (size_t i = 0;; ++i) {
    const size_t index = (first + i) % n;
    const std::string what = "etcd at " + c.endpoints[index];
    Result<HttpResponse> response = HttpPerform(EtcdRequest(c, index, path, body), what);
    if (!response.ok()) {
      // kUnavailable from HttpPerform: nothing was sent, so another member may take it.
      if (response.status().code() == StatusCode::kUnavailable && i + 1 < n) continue;
      return response.status();
    }
    c.current.store(index);
    const Json j = ParseAnswer(response->body);
    try {
      if (response->status != 200 || (j.is_object() && j.contains("error"))) {
        return ErrorStatus(j, response->body, what, path, response->status);
      }
      if (j.is_discarded()) {
        return Internal(what + ": " + std::string(path) +
                        ": the answer is not a JSON object: " + Snippet(response->body));
      }
      return decode(j, what);
    } catch (const std::exception& e) {  // DecodeError, nlohmann::json::exception
      return Internal(what + ": " + std::string(path) + ": cannot decode the answer (" + e.what() +
                      "): " + Snippet(response->body));
    }
  }
}

// Adapts a plain decoder (one that only throws) to a Decoder.
template <typename T>
Decoder<T> Plain(T (*decode)(const Json&)) {
  return [decode](const Json& j, const std::string&) -> Result<T> { return decode(j); };
}

// ---- Watch -------------------------------------------------------------------------------------

// What the stream thread and the node share. The thread appends events and ends the watch; the
// node's Next takes them. Wake-ups go through the node's executor.
struct WatchShared {
  explicit WatchShared(ExecutorRef e) : executor(std::move(e)) {}

  // Called on the stream thread.
  void Push(std::vector<WatchEvent> batch) {
    std::lock_guard<std::mutex> lock(mutex);
    for (WatchEvent& e : batch) events.push_back(std::move(e));
    WakeLocked();
  }
  void End(Status status) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!ended) ended = std::move(status);
    WakeLocked();
  }
  void WakeLocked() {
    if (!waiter) return;
    SetFromAnyThread(executor, *waiter, Unit{});
    waiter.reset();
  }

  ExecutorRef executor;
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::vector<WatchEvent> events;  // arrived, not yet taken by Next
  std::optional<Status> ended;     // the stream is over: kOutOfRange or kUnavailable
  std::optional<Signal> waiter;    // a Next waiting for events
};

class EtcdWatch : public MetaWatch {
 public:
  EtcdWatch(std::shared_ptr<WatchShared> shared, std::thread thread, ThreadPool& io)
      : shared_(std::move(shared)), thread_(std::move(thread)), io_(io) {}
  // The stream thread notices the cancel flag at libcurl's next progress callback, up to about a
  // second on an idle stream (libcurl 7.88): an I/O thread joins it rather than the node's
  // strand. The stream thread holds only shared state, so it may outlive this object.
  ~EtcdWatch() override {
    shared_->cancel.store(true);
    if (!thread_.joinable()) return;
    auto thread = std::make_shared<std::thread>(std::move(thread_));
    io_.Submit([thread] { thread->join(); });
  }

  Task<Result<std::vector<WatchEvent>>> Next() override {
    std::shared_ptr<WatchShared> s = shared_;
    for (;;) {
      std::vector<WatchEvent> batch;
      std::optional<Status> ended;
      std::optional<Signal> wait;
      {
        std::lock_guard<std::mutex> lock(s->mutex);
        if (!s->events.empty()) {
          batch.swap(s->events);
        } else if (s->ended) {
          ended = s->ended;
        } else {
          wait.emplace(s->executor);
          s->waiter = *wait;
        }
      }
      if (!batch.empty()) co_return std::move(batch);
      if (ended) co_return *ended;
      co_await *wait;
    }
  }

 private:
  std::shared_ptr<WatchShared> shared_;
  std::thread thread_;
  ThreadPool& io_;
};

// The body of a watch's thread: streams /v3/watch until cancelled or the stream ends. `created`
// is set once: OK when etcd has registered the watch, or the error that prevented it.
void RunWatchStream(std::shared_ptr<EtcdMetaStore::Connection> c,
                    std::shared_ptr<WatchShared> shared, std::string body, std::string probe_body,
                    Completion<Status> created, int64_t start_revision) {
  bool answered = false;  // `created` has been set
  bool over = false;      // a terminal message arrived
  int64_t next_revision = start_revision;
  std::string what;
  auto fail = [&](Status status) {
    over = true;
    if (!answered) {
      answered = true;
      SetFromAnyThread(shared->executor, created, std::move(status));
    } else {
      shared->End(std::move(status));
    }
  };
  // One message; false when the stream is over.
  auto handle = [&](std::string_view line) -> bool {
    const Json j = Json::parse(line, nullptr, false);
    try {
      if (!j.is_object()) throw DecodeError("not a JSON object");
      if (j.contains("error")) {
        fail(ErrorStatus(j, line, what, "/v3/watch", 200));
        return false;
      }
      auto result = j.find("result");
      if (result == j.end()) throw DecodeError("no 'result'");
      if (Bool(*result, "created") && !answered) {
        answered = true;
        if (next_revision <= 0) next_revision = HeaderRevision(*result) + 1;
        SetFromAnyThread(shared->executor, created, Status::Ok());
      }
      if (Bool(*result, "canceled")) {
        const int64_t compacted = Int(*result, "compact_revision");
        if (compacted != 0) {
          fail(OutOfRange(what + ": mvcc: required revision has been compacted (watch from " +
                          std::to_string(start_revision) + ", compacted at " +
                          std::to_string(compacted) + ")"));
        } else {
          fail(Unavailable(what + ": watch canceled by etcd: " + Text(*result, "cancel_reason") +
                           "; re-establish the watch from revision " +
                           std::to_string(next_revision)));
        }
        return false;
      }
      std::vector<WatchEvent> batch;
      if (auto events = result->find("events"); events != result->end()) {
        for (const Json& e : *events) batch.push_back(DecodeEvent(e));
      }
      if (!batch.empty()) {
        next_revision = batch.back().kv.mod_revision + 1;
        shared->Push(std::move(batch));
      }
      return true;
    } catch (const std::exception& e) {
      fail(Unavailable(what + ": undecodable watch message (" + e.what() + "): " + Snippet(line) +
                       "; re-establish the watch from revision " + std::to_string(next_revision)));
      return false;
    }
  };
  std::string buffer;
  std::function<bool(std::string_view)> on_data = [&](std::string_view data) {
    buffer.append(data);
    size_t start = 0;
    for (size_t nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n', start)) {
      const std::string_view line(buffer.data() + start, nl - start);
      start = nl + 1;
      if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
      if (!handle(line)) return false;
    }
    buffer.erase(0, start);
    return true;
  };

  const size_t n = c->endpoints.size();
  const size_t first = c->current.load();
  Status status;
  for (size_t i = 0; i < n; ++i) {
    const size_t index = (first + i) % n;
    what = "etcd at " + c->endpoints[index];
    // A streamed answer has no total timeout, and etcd sends nothing on an idle watch: a quick
    // range first proves the member answers, so a hung server fails here instead of stalling
    // Watch() forever.
    Result<HttpResponse> probe =
        HttpPerform(EtcdRequest(*c, index, "/v3/kv/range", probe_body), what);
    if (!probe.ok()) {
      status = probe.status();
      if (status.code() == StatusCode::kUnavailable) continue;
      break;
    }
    if (probe->status != 200) {
      fail(ErrorStatus(ParseAnswer(probe->body), probe->body, what, "/v3/kv/range", probe->status));
      return;
    }
    HttpRequest request = EtcdRequest(*c, index, "/v3/watch", body);
    status = HttpStream(request, what, on_data, shared->cancel);
    // Another member only if this one could not be reached before it registered the watch.
    if (answered || over || shared->cancel.load() || status.code() != StatusCode::kUnavailable) {
      break;
    }
  }
  if (over || shared->cancel.load()) return;
  if (status.ok()) {
    status = Unavailable(what + ": the watch stream ended");
  }
  fail(Unavailable(status.message() + "; re-establish the watch from revision " +
                   std::to_string(next_revision)));
}

std::vector<std::string> SplitEndpoints(const std::string& endpoints) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= endpoints.size()) {
    size_t comma = endpoints.find(',', start);
    if (comma == std::string::npos) comma = endpoints.size();
    std::string one = endpoints.substr(start, comma - start);
    while (!one.empty() && one.front() == ' ') one.erase(0, 1);
    while (!one.empty() && (one.back() == ' ' || one.back() == '/')) one.pop_back();
    if (!one.empty()) out.push_back(std::move(one));
    start = comma + 1;
  }
  return out;
}

}  // namespace

EtcdMetaStore::EtcdMetaStore(ExecutorRef node_executor, ThreadPool& io, std::string endpoints,
                             EtcdMetaStoreOptions options)
    : executor_(std::move(node_executor)), io_(io), connection_(std::make_shared<Connection>()) {
  connection_->endpoints = SplitEndpoints(endpoints);
  SIMVUS_CHECK(!connection_->endpoints.empty(),
               "EtcdMetaStore: no endpoint in '" + endpoints + "', expected http://HOST:PORT");
  connection_->options = options;
}

EtcdMetaStore::~EtcdMetaStore() = default;

Task<Result<RangeResult>> EtcdMetaStore::Range(RangeRequest request) {
  std::shared_ptr<Connection> c = connection_;
  std::function<Result<RangeResult>()> call = [c, body = EncodeRange(request).dump()] {
    return Call<RangeResult>(*c, "/v3/kv/range", body, Plain(&DecodeRange));
  };
  Result<RangeResult> result = co_await Offload<Result<RangeResult>>(executor_, io_, call);
  co_return result;
}

Task<Result<PutResult>> EtcdMetaStore::Put(std::string key, Bytes value, LeaseId lease) {
  std::shared_ptr<Connection> c = connection_;
  std::function<Result<PutResult>()> call = [c, body = EncodePut(key, value, lease).dump()] {
    return Call<PutResult>(*c, "/v3/kv/put", body, Plain(&DecodePut));
  };
  Result<PutResult> result = co_await Offload<Result<PutResult>>(executor_, io_, call);
  co_return result;
}

Task<Result<DeleteResult>> EtcdMetaStore::Delete(std::string key, std::string range_end) {
  std::shared_ptr<Connection> c = connection_;
  std::function<Result<DeleteResult>()> call = [c, body = EncodeDelete(key, range_end).dump()] {
    return Call<DeleteResult>(*c, "/v3/kv/deleterange", body, Plain(&DecodeDelete));
  };
  Result<DeleteResult> result = co_await Offload<Result<DeleteResult>>(executor_, io_, call);
  co_return result;
}

Task<Result<TxnResult>> EtcdMetaStore::Txn(std::vector<Compare> compares,
                                           std::vector<TxnOp> success, std::vector<TxnOp> failure) {
  std::shared_ptr<Connection> c = connection_;
  std::function<Result<TxnResult>()> call = [c,
                                             body = EncodeTxn(compares, success, failure).dump()] {
    return Call<TxnResult>(*c, "/v3/kv/txn", body, Plain(&DecodeTxn));
  };
  Result<TxnResult> result = co_await Offload<Result<TxnResult>>(executor_, io_, call);
  co_return result;
}

Task<Result<std::unique_ptr<MetaWatch>>> EtcdMetaStore::Watch(std::string key,
                                                              std::string range_end,
                                                              int64_t start_revision) {
  Json probe = EncodeRange(key, range_end);
  probe["count_only"] = true;
  Json create = EncodeRange(key, range_end);
  create["prev_kv"] = true;
  if (start_revision > 0) create["start_revision"] = Int64(start_revision);
  Json request = Json::object();
  request["create_request"] = std::move(create);
  auto shared = std::make_shared<WatchShared>(executor_);
  Completion<Status> created(executor_);
  std::thread thread(RunWatchStream, connection_, shared, request.dump(), probe.dump(), created,
                     start_revision);
  auto watch = std::make_unique<EtcdWatch>(shared, std::move(thread), io_);
  Status status = co_await created;
  if (!status.ok()) co_return status;
  co_return std::unique_ptr<MetaWatch>(std::move(watch));
}

Task<Result<LeaseId>> EtcdMetaStore::LeaseGrant(Duration ttl) {
  if (ttl <= Duration::Zero()) {
    co_return InvalidArgument("lease ttl " + std::to_string(ttl.millis()) + " ms, expected > 0");
  }
  // etcd counts TTLs in whole seconds; round up so a lease never lives shorter than asked.
  const int64_t seconds = (ttl.ns + Duration::Seconds(1).ns - 1) / Duration::Seconds(1).ns;
  std::shared_ptr<Connection> c = connection_;
  Json body = {{"TTL", Int64(seconds)}, {"ID", "0"}};
  std::function<Result<LeaseId>()> call = [c, body = body.dump()] {
    Decoder<LeaseId> decode = [](const Json& j, const std::string& what) -> Result<LeaseId> {
      const std::string error = Text(j, "error");
      if (!error.empty()) return Unavailable(what + ": lease grant: " + error);
      const LeaseId id = Int(j, "ID");
      if (id == 0) return Internal(what + ": lease grant answered without an ID: " + j.dump());
      return id;
    };
    return Call<LeaseId>(*c, "/v3/lease/grant", body, decode);
  };
  Result<LeaseId> result = co_await Offload<Result<LeaseId>>(executor_, io_, call);
  co_return result;
}

Task<Result<Duration>> EtcdMetaStore::LeaseKeepAlive(LeaseId lease) {
  std::shared_ptr<Connection> c = connection_;
  Json body = {{"ID", Int64(lease)}};
  std::function<Result<Duration>()> call = [c, lease, body = body.dump()] {
    Decoder<Duration> decode = [lease](const Json& j, const std::string& what) -> Result<Duration> {
      auto result = j.find("result");
      if (result == j.end()) throw DecodeError("no 'result'");
      // etcd answers an unknown (expired, revoked) lease with TTL 0, which the gateway omits.
      const int64_t ttl = Int(*result, "TTL");
      if (ttl <= 0) {
        return NotFound(what + ": requested lease not found (lease " + std::to_string(lease) +
                        " has expired or was revoked)");
      }
      return Duration::Seconds(ttl);
    };
    return Call<Duration>(*c, "/v3/lease/keepalive", body, decode);
  };
  Result<Duration> result = co_await Offload<Result<Duration>>(executor_, io_, call);
  co_return result;
}

Task<Status> EtcdMetaStore::LeaseRevoke(LeaseId lease) {
  std::shared_ptr<Connection> c = connection_;
  Json body = {{"ID", Int64(lease)}};
  std::function<Result<Unit>()> call = [c, body = body.dump()] {
    Decoder<Unit> decode = [](const Json&, const std::string&) -> Result<Unit> { return Unit{}; };
    return Call<Unit>(*c, "/v3/lease/revoke", body, decode);
  };
  Result<Unit> result = co_await Offload<Result<Unit>>(executor_, io_, call);
  co_return result.status();
}

Task<Status> EtcdMetaStore::Compact(int64_t revision) {
  std::shared_ptr<Connection> c = connection_;
  Json body = {{"revision", Int64(revision)}};
  std::function<Result<Unit>()> call = [c, body = body.dump()] {
    Decoder<Unit> decode = [](const Json&, const std::string&) -> Result<Unit> { return Unit{}; };
    return Call<Unit>(*c, "/v3/kv/compaction", body, decode);
  };
  Result<Unit> result = co_await Offload<Result<Unit>>(executor_, io_, call);
  co_return result.status();
}

std::string EtcdBase64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(kBase64[(n >> 6) & 63]);
    out.push_back(kBase64[n & 63]);
  }
  if (i + 1 == in.size()) {
    const uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(kBase64[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

}  // namespace simvus::real
