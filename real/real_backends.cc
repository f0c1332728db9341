#include "real/real_backends.h"

#include "components/env/meta_store.h"
#include "real/etcd/etcd_meta_store.h"
#include "real/http/http_client.h"
#include "real/kafka/kafka_log.h"
#include "real/s3/s3_object_store.h"

namespace simvus::real {

namespace {

std::string FirstEndpoint(const std::string& endpoints) {
  return endpoints.substr(0, endpoints.find(','));
}

}  // namespace

Status ProbeEtcd(const std::string& endpoints, const std::string& meta_prefix) {
  const std::string endpoint = FirstEndpoint(endpoints);
  const std::string what = "etcd at " + endpoint;
  // Joining a cluster: count under a prefix nobody writes, only to see etcd answer.
  const std::string probed = meta_prefix.empty() ? "simvus-probe/" : meta_prefix;
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint + "/v3/kv/range";
  request.headers = {"Content-Type: application/json"};
  request.body = "{\"key\":\"" + EtcdBase64(probed) + "\",\"range_end\":\"" +
                 EtcdBase64(PrefixEnd(probed)) + "\",\"count_only\":true}";
  request.timeout = Duration::Seconds(5);
  Result<HttpResponse> response = HttpPerform(request, what);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return Unavailable(what + ": range answered HTTP " + std::to_string(response->status));
  }
  // count_only answers {"header":...,"count":"N"}; an empty range omits count.
  const size_t at = response->body.find("\"count\":\"");
  if (at != std::string::npos) {
    const int64_t count = std::stoll(response->body.substr(at + 9));
    if (count > 0 && !meta_prefix.empty()) {
      return FailedPrecondition(what + " already holds " + std::to_string(count) + " keys under " +
                                meta_prefix +
                                " (another cluster's metadata?): point ETCD_ENDPOINTS at an empty "
                                "etcd, or unset it and simvus starts its own");
    }
  }
  return Status();
}

Status ProbeS3(const BackendEndpoints& endpoints) {
  const std::string what = "S3 at " + endpoints.s3_endpoint + " bucket " + endpoints.s3_bucket;
  HttpRequest request;
  request.method = "HEAD";
  request.url = endpoints.s3_endpoint + "/" + UriEncode(endpoints.s3_bucket, false);
  // SHA-256 of the empty body.
  request.headers = {
      "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"};
  request.timeout = Duration::Seconds(5);
  request.sigv4 =
      SigV4Credentials{endpoints.s3_region, "s3", endpoints.s3_access_key, endpoints.s3_secret_key};
  Result<HttpResponse> response = HttpPerform(request, what);
  if (!response.ok()) return response.status();
  if (response->status == 200) return Status();
  if (response->status == 404) return NotFound(what + ": no such bucket (create it first)");
  if (response->status == 403) {
    return PermissionDenied(what + ": access denied (check S3_ACCESS_KEY / S3_SECRET_KEY)");
  }
  return Unavailable(what + ": HEAD bucket answered HTTP " + std::to_string(response->status));
}

Result<std::unique_ptr<RealBackends>> RealBackends::Connect(const BackendEndpoints& endpoints,
                                                            const std::string& meta_prefix) {
  std::string missing;
  if (endpoints.kafka_bootstrap.empty()) missing += " KAFKA_BOOTSTRAP";
  if (endpoints.etcd_endpoints.empty()) missing += " ETCD_ENDPOINTS";
  if (endpoints.s3_endpoint.empty()) missing += " S3_ENDPOINT";
  if (!missing.empty()) return InvalidArgument("real backends not configured:" + missing);
  std::unique_ptr<RealBackends> backends(new RealBackends());
  backends->endpoints_ = endpoints;
  backends->io_ = std::make_unique<ThreadPool>("io", 8);
  KafkaOptions kafka;
  kafka.bootstrap = endpoints.kafka_bootstrap;
  kafka.mock_control = endpoints.kafka_mock_control;
  Result<std::unique_ptr<KafkaConnection>> connected = KafkaConnection::Connect(kafka);
  if (!connected.ok()) return connected.status();
  backends->kafka_ = std::move(*connected);
  Status etcd = ProbeEtcd(endpoints.etcd_endpoints, meta_prefix);
  if (!etcd.ok()) return etcd;
  Status s3 = ProbeS3(endpoints);
  if (!s3.ok()) return s3;
  return backends;
}

RealBackends::~RealBackends() {
  // Adapters are gone (their nodes stopped) before the backends: the connection, then the pool.
  kafka_.reset();
  io_.reset();
}

RealPortFactories RealBackends::Ports() {
  RealPortFactories ports;
  ports.log = [this](ExecutorRef executor) -> std::unique_ptr<Log> {
    return std::make_unique<KafkaLog>(std::move(executor), *io_, *kafka_);
  };
  ports.meta_store = [this](ExecutorRef executor) -> std::unique_ptr<MetaStore> {
    return std::make_unique<EtcdMetaStore>(std::move(executor), *io_, endpoints_.etcd_endpoints);
  };
  ports.object_store = [this](ExecutorRef executor) -> std::unique_ptr<ObjectStore> {
    S3Config config;
    config.endpoint = endpoints_.s3_endpoint;
    config.bucket = endpoints_.s3_bucket;
    config.region = endpoints_.s3_region;
    config.access_key = endpoints_.s3_access_key;
    config.secret_key = endpoints_.s3_secret_key;
    return std::make_unique<S3ObjectStore>(std::move(executor), *io_, config);
  };
  return ports;
}

}  // namespace simvus::real
