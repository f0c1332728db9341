#include "real/s3/s3_object_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <functional>
#include <limits>
#include <utility>

#include "components/env/check.h"
#include "real/http/http_client.h"
#include "real/runtime/offload.h"
#include "real/s3/s3_xml.h"

namespace simvus::real {

namespace {

constexpr int32_t kMaxKeysMax = 1000;  // S3 clips max-keys to 1000
constexpr size_t kKeyBytesMax = 1024;  // S3's key length limit
// A list call that drops already-returned entries may need another round; bounded.
constexpr int kListRoundsMax = 8;

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const int ok = EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  SIMVUS_CHECK(ok == 1 && size == 32, "EVP_Digest(SHA-256) failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

Status BadKey(const std::string& key) {
  return InvalidArgument("object key '" + key.substr(0, 64) + (key.size() > 64 ? "..." : "") +
                         "' (" + std::to_string(key.size()) + " bytes): expected 1 to 1024 bytes");
}
bool KeyOk(const std::string& key) { return !key.empty() && key.size() <= kKeyBytesMax; }

std::string Quoted(std::string_view key) { return "'" + std::string(key) + "'"; }

// One list entry, object or common prefix, for merging the two in key order.
struct ListEntry {
  std::string key;
  bool is_prefix = false;
  ObjectInfo object;
};

}  // namespace

class S3ObjectStore::Client {
 public:
  explicit Client(S3Config config) : config_(std::move(config)) {
    while (!config_.endpoint.empty() && config_.endpoint.back() == '/') config_.endpoint.pop_back();
    SIMVUS_CHECK(!config_.endpoint.empty(), "S3Config.endpoint is empty");
    SIMVUS_CHECK(!config_.bucket.empty(), "S3Config.bucket is empty");
    name_ = "S3 at " + config_.endpoint + " bucket " + config_.bucket;
  }

  const std::string& name() const { return name_; }

  Status Put(const std::string& key, const Bytes& data) const {
    if (!KeyOk(key)) return BadKey(key);
    Result<HttpResponse> response = Send("PUT", ObjectPath(key), {}, data, "key " + Quoted(key));
    if (!response.ok()) return response.status();
    if (response->status != 200) return ErrorOf(*response, "PUT", key);
    bucket_seen_ = true;
    return Status::Ok();
  }

  // The whole object if length < 0, else bytes [offset, offset + length) clipped to its end.
  Result<Bytes> Get(const std::string& key, int64_t offset, int64_t length) const {
    if (!KeyOk(key)) return BadKey(key);
    std::vector<std::string> headers;
    const bool ranged = length >= 0;
    if (ranged) {
      if (offset < 0 || length == 0) {
        return InvalidArgument("range offset " + std::to_string(offset) + " length " +
                               std::to_string(length) + ": expected offset >= 0 and length > 0");
      }
      const int64_t last = length > std::numeric_limits<int64_t>::max() - offset
                               ? std::numeric_limits<int64_t>::max()
                               : offset + length - 1;
      headers.push_back("Range: bytes=" + std::to_string(offset) + "-" + std::to_string(last));
    }
    Result<HttpResponse> response = Send("GET", ObjectPath(key), headers, "", "key " + Quoted(key));
    if (!response.ok()) return response.status();
    const long status = response->status;
    if (status != 200 && status != 206) return ErrorOf(*response, "GET", key);
    bucket_seen_ = true;
    Bytes body = std::move(response->body);
    if (ranged && status == 200) {  // the server ignored Range: clip here
      const int64_t size = static_cast<int64_t>(body.size());
      if (offset >= size) {
        return OutOfRange(name_ + ": GET " + Quoted(key) + ": range offset " +
                          std::to_string(offset) + " is past its size " + std::to_string(size));
      }
      body = body.substr(static_cast<size_t>(offset),
                         static_cast<size_t>(std::min(length, size - offset)));
    }
    return body;
  }

  Result<ObjectInfo> Head(const std::string& key) const {
    if (!KeyOk(key)) return BadKey(key);
    Result<HttpResponse> response = Send("HEAD", ObjectPath(key), {}, "", "key " + Quoted(key));
    if (!response.ok()) return response.status();
    if (response->status == 404 && !bucket_seen_) {
      // No body to tell NoSuchKey from NoSuchBucket: ask about the bucket.
      Status bucket = CheckBucket();
      if (!bucket.ok()) return bucket;
    }
    if (response->status != 200) return ErrorOf(*response, "HEAD", key);
    bucket_seen_ = true;
    ObjectInfo info;
    info.key = key;
    const auto length = response->headers.find("content-length");
    if (length == response->headers.end()) {
      return DataLoss(name_ + ": HEAD " + Quoted(key) + ": answer without Content-Length");
    }
    const std::string& text = length->second;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), info.size_bytes);
    if (error != std::errc() || end != text.data() + text.size()) {
      return DataLoss(name_ + ": HEAD " + Quoted(key) + ": Content-Length '" + text + "'");
    }
    const auto etag = response->headers.find("etag");
    if (etag != response->headers.end()) info.etag = etag->second;
    return info;
  }

  Result<ListObjectsPage> List(const ListObjectsRequest& request) const {
    if (request.max_keys < 1) {
      return InvalidArgument("max_keys " + std::to_string(request.max_keys) +
                             ": expected at least 1");
    }
    const int32_t max_keys = std::min(request.max_keys, kMaxKeysMax);
    std::string server_token;
    std::string after;  // entries at or before it were returned already
    const std::string& token = request.continuation_token;
    if (!token.empty()) {
      if (token[0] == 'c') {
        server_token = token.substr(1);
      } else if (token[0] == 'a') {
        after = token.substr(1);
      } else {
        return InvalidArgument("continuation token '" + token + "' was not issued by " + name_);
      }
    }
    const std::string what = "prefix " + Quoted(request.prefix);
    for (int round = 0; round < kListRoundsMax; ++round) {
      Result<HttpResponse> response =
          Send("GET", ListPath(request, max_keys, server_token, after), {}, "", what);
      if (!response.ok()) return response.status();
      if (response->status != 200) return ErrorOf(*response, "LIST", request.prefix);
      bucket_seen_ = true;
      Result<ListObjectsPage> server = ParseListBucketResult(response->body);
      if (!server.ok())
        return Status(server.status().code(), name_ + ": " + server.status().message());
      const bool server_truncated = server->truncated;
      const std::string server_next = server->next_continuation_token;
      std::vector<ListEntry> entries = Merge(std::move(*server), after);
      ListObjectsPage page;
      if (entries.size() > static_cast<size_t>(max_keys)) {
        entries.resize(static_cast<size_t>(max_keys));
        page.truncated = true;
        page.next_continuation_token = "a" + entries.back().key;
      } else if (server_truncated) {
        if (server_next.empty()) {
          return DataLoss(name_ + ": LIST " + Quoted(request.prefix) +
                          ": truncated page without NextContinuationToken");
        }
        page.truncated = true;
        page.next_continuation_token = "c" + server_next;
      }
      for (ListEntry& entry : entries) {
        if (entry.is_prefix) {
          page.common_prefixes.push_back(std::move(entry.key));
        } else {
          page.objects.push_back(std::move(entry.object));
        }
      }
      if (!entries.empty() || !page.truncated) return page;
      // Every entry was returned before: go on from the server's token.
      server_token = page.next_continuation_token.substr(1);
      if (round == kListRoundsMax - 1) return page;  // an empty page, still truncated: legal
    }
    return Internal("unreachable");
  }

  Status Delete(const std::string& key) const {
    if (!KeyOk(key)) return BadKey(key);
    Result<HttpResponse> response = Send("DELETE", ObjectPath(key), {}, "", "key " + Quoted(key));
    if (!response.ok()) return response.status();
    const long status = response->status;
    if (status == 200 || status == 204) return Status::Ok();
    // Deleting a missing key succeeds (S3 answers 204; some servers say NoSuchKey).
    if (status == 404 && ParseS3Error(response->body).code == "NoSuchKey") return Status::Ok();
    return ErrorOf(*response, "DELETE", key);
  }

  Status DeleteMany(const std::vector<std::string>& keys) const {
    Status first;
    for (const std::string& key : keys) {
      Status status = Delete(key);
      if (!status.ok() && first.ok()) first = std::move(status);
    }
    return first;
  }

  Status CreateBucket() const {
    std::string body;
    if (config_.region != "us-east-1") {
      body =
          "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          "<LocationConstraint>" +
          config_.region + "</LocationConstraint></CreateBucketConfiguration>";
    }
    Result<HttpResponse> response = Send("PUT", BucketPath(), {}, body, "(create bucket)");
    if (!response.ok()) return response.status();
    if (response->status == 200) return Status::Ok();
    const std::string code = ParseS3Error(response->body).code;
    if (response->status == 409 && code == "BucketAlreadyOwnedByYou") return Status::Ok();
    if (response->status == 409 && code == "BucketAlreadyExists" && CheckBucket().ok()) {
      return Status::Ok();  // s3rver says so for its own buckets; the HEAD shows we may use it
    }
    return ErrorOf(*response, "CREATE BUCKET", "");
  }

 private:
  std::string BucketPath() const { return "/" + UriEncode(config_.bucket, false); }
  std::string ObjectPath(const std::string& key) const {
    return BucketPath() + "/" + UriEncode(key, true);
  }

  // ListObjectsV2's query: names sorted, values %-encoded, every name with '=' (SigV4 needs all
  // three; libcurl signs the query as given).
  std::string ListPath(const ListObjectsRequest& request, int32_t max_keys,
                       const std::string& server_token, const std::string& after) const {
    std::vector<std::pair<std::string, std::string>> params;
    if (!server_token.empty()) params.emplace_back("continuation-token", server_token);
    if (!request.delimiter.empty()) params.emplace_back("delimiter", request.delimiter);
    params.emplace_back("list-type", "2");
    params.emplace_back("max-keys", std::to_string(max_keys));
    params.emplace_back("prefix", request.prefix);
    if (server_token.empty() && !after.empty()) params.emplace_back("start-after", after);
    SIMVUS_CHECK(std::is_sorted(params.begin(), params.end()), "S3 query parameters not sorted");
    std::string path = BucketPath() + "?";
    for (size_t i = 0; i < params.size(); ++i) {
      if (i > 0) path += "&";
      path += params[i].first + "=" + UriEncode(params[i].second, false);
    }
    return path;
  }

  // Objects and common prefixes in key order, without those at or before `after`.
  static std::vector<ListEntry> Merge(ListObjectsPage server, const std::string& after) {
    std::vector<ListEntry> entries;
    entries.reserve(server.objects.size() + server.common_prefixes.size());
    for (ObjectInfo& object : server.objects) {
      if (!after.empty() && object.key <= after) continue;
      ListEntry entry;
      entry.key = object.key;
      entry.object = std::move(object);
      entries.push_back(std::move(entry));
    }
    for (std::string& prefix : server.common_prefixes) {
      if (!after.empty() && prefix <= after) continue;
      ListEntry entry;
      entry.key = std::move(prefix);
      entry.is_prefix = true;
      entries.push_back(std::move(entry));
    }
    std::sort(entries.begin(), entries.end(),
              [](const ListEntry& a, const ListEntry& b) { return a.key < b.key; });
    return entries;
  }

  // HEAD of the bucket: OK if it exists, kFailedPrecondition naming it if not.
  Status CheckBucket() const {
    Result<HttpResponse> response = Send("HEAD", BucketPath(), {}, "", "(bucket)");
    if (!response.ok()) return response.status();
    if (response->status == 200) {
      bucket_seen_ = true;
      return Status::Ok();
    }
    if (response->status == 404) return MissingBucket("HEAD");
    return ErrorOf(*response, "HEAD BUCKET", "");
  }

  Status MissingBucket(std::string_view op) const {
    return FailedPrecondition(name_ + ": " + std::string(op) + ": NoSuchBucket: bucket '" +
                              config_.bucket + "' does not exist at " + config_.endpoint +
                              " (create it, or point S3_BUCKET at an existing bucket)");
  }

  Result<HttpResponse> Send(const std::string& method, const std::string& path,
                            const std::vector<std::string>& headers, const std::string& body,
                            const std::string& what) const {
    HttpRequest request;
    request.method = method;
    request.url = config_.endpoint + path;
    request.headers = headers;
    request.headers.push_back("x-amz-content-sha256: " + Sha256Hex(body));
    request.body = body;
    request.connect_timeout = config_.connect_timeout;
    request.timeout = config_.timeout;
    if (!config_.access_key.empty()) {
      SigV4Credentials credentials;
      credentials.region = config_.region;
      credentials.service = "s3";
      credentials.access_key = config_.access_key;
      credentials.secret_key = config_.secret_key;
      request.sigv4 = std::move(credentials);
    }
    Result<HttpResponse> response = HttpPerform(request, name_ + " " + what);
    if (!response.ok()) return Scrub(response.status());
    return response;
  }

  Status ErrorOf(const HttpResponse& response, std::string_view op, const std::string& key) const {
    const S3ErrorBody error = ParseS3Error(response.body);
    const long status = response.status;
    if (status == 404 && error.code == "NoSuchBucket") return MissingBucket(op);
    std::string what = name_ + ": " + std::string(op);
    if (!key.empty() || op == "LIST") what += " " + Quoted(key);
    what += ": HTTP " + std::to_string(status);
    if (!error.code.empty()) what += " " + error.code;
    if (status == 404 && error.code.empty()) what += " (no such key)";  // a HEAD: no body
    if (!error.message.empty()) what += ": " + error.message;
    Status mapped;
    if (status == 404) {
      mapped = NotFound(what);
    } else if (status == 403) {
      mapped = PermissionDenied(what + " (check the access key and secret: S3_ACCESS_KEY, " +
                                "S3_SECRET_KEY; and the region, " + config_.region + ")");
    } else if (status == 416) {
      mapped = OutOfRange(what);
    } else if (status == 503 && error.code == "SlowDown") {
      mapped = ResourceExhausted(what);
    } else if (status >= 500) {
      mapped = Unavailable(what);
    } else if (status == 400) {
      mapped = InvalidArgument(what);
    } else if (status == 301 || status == 307 || status == 409) {
      mapped = FailedPrecondition(what + " (region " + config_.region + ")");
    } else {
      mapped = Internal(what + " (unexpected answer)");
    }
    return Scrub(std::move(mapped));
  }

  // Belt and braces: a server echoing the secret must not put it into a message.
  Status Scrub(Status status) const {
    const std::string& secret = config_.secret_key;
    if (secret.empty() || status.message().find(secret) == std::string::npos) return status;
    std::string message = status.message();
    for (size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at)) {
      message.replace(at, secret.size(), "(secret)");
    }
    return Status(status.code(), std::move(message));
  }

  S3Config config_;
  std::string name_;
  // Set once any request has shown the bucket exists (see Head).
  mutable std::atomic<bool> bucket_seen_{false};
};

S3ObjectStore::S3ObjectStore(ExecutorRef executor, ThreadPool& io, S3Config config)
    : executor_(std::move(executor)),
      io_(io),
      client_(std::make_shared<const Client>(std::move(config))) {}

S3ObjectStore::~S3ObjectStore() = default;

const std::string& S3ObjectStore::name() const { return client_->name(); }

// Each method binds its blocking call to a named std::function before co_await (GCC 12: see
// components/env/task.h). The call holds the Client by shared_ptr, not the store.
Task<Status> S3ObjectStore::Put(std::string key, Bytes data) {
  std::function<Status()> call = [client = client_, key = std::move(key), data = std::move(data)] {
    return client->Put(key, data);
  };
  Status status = co_await Offload<Status>(executor_, io_, std::move(call));
  co_return status;
}

Task<Result<Bytes>> S3ObjectStore::Get(std::string key) {
  std::function<Result<Bytes>()> call = [client = client_, key = std::move(key)] {
    return client->Get(key, 0, -1);
  };
  Result<Bytes> got = co_await Offload<Result<Bytes>>(executor_, io_, std::move(call));
  co_return got;
}

Task<Result<Bytes>> S3ObjectStore::GetRange(std::string key, int64_t offset, int64_t length) {
  if (length <= 0) {
    co_return InvalidArgument("range offset " + std::to_string(offset) + " length " +
                              std::to_string(length) + ": expected offset >= 0 and length > 0");
  }
  std::function<Result<Bytes>()> call = [client = client_, key = std::move(key), offset, length] {
    return client->Get(key, offset, length);
  };
  Result<Bytes> got = co_await Offload<Result<Bytes>>(executor_, io_, std::move(call));
  co_return got;
}

Task<Result<ObjectInfo>> S3ObjectStore::Head(std::string key) {
  std::function<Result<ObjectInfo>()> call = [client = client_, key = std::move(key)] {
    return client->Head(key);
  };
  Result<ObjectInfo> info = co_await Offload<Result<ObjectInfo>>(executor_, io_, std::move(call));
  co_return info;
}

Task<Result<ListObjectsPage>> S3ObjectStore::List(ListObjectsRequest request) {
  std::function<Result<ListObjectsPage>()> call = [client = client_, request = std::move(request)] {
    return client->List(request);
  };
  Result<ListObjectsPage> page =
      co_await Offload<Result<ListObjectsPage>>(executor_, io_, std::move(call));
  co_return page;
}

Task<Status> S3ObjectStore::Delete(std::string key) {
  std::function<Status()> call = [client = client_, key = std::move(key)] {
    return client->Delete(key);
  };
  Status status = co_await Offload<Status>(executor_, io_, std::move(call));
  co_return status;
}

Task<Status> S3ObjectStore::DeleteMany(std::vector<std::string> keys) {
  std::function<Status()> call = [client = client_, keys = std::move(keys)] {
    return client->DeleteMany(keys);
  };
  Status status = co_await Offload<Status>(executor_, io_, std::move(call));
  co_return status;
}

Task<Status> S3ObjectStore::CreateBucketIfMissing() {
  std::function<Status()> call = [client = client_] { return client->CreateBucket(); };
  Status status = co_await Offload<Status>(executor_, io_, std::move(call));
  co_return status;
}

}  // namespace simvus::real
