// S3ObjectStore against OpenStack Swift's s3api (ctest's backend-swift fixture, or the server
// SWIFT_S3_ENDPOINT names), which verifies SigV4 signatures where s3rver does not: the
// conformance suite proves requests are signed right (paths, sorted and %-encoded queries,
// x-amz-content-sha256), and a wrong secret must be refused. Also the failures a user meets
// first: a missing bucket, an unreachable endpoint, a server that never answers.
//
// Run alone: `real/backends/start /tmp/s3 swift`, then
//   SIMVUS_BACKENDS_ENV=/tmp/s3/backends.env build/default/tests/real/s3/s3_signature_test
// and `real/backends/stop /tmp/s3`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "tests/conformance/object_store_conformance.h"
#include "tests/real/s3/s3_test_support.h"

namespace simvus::conformance {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

real::S3Config SwiftConfig() { return S3ConfigFromSettings("SWIFT_S3_"); }

std::unique_ptr<StorageHarness> MakeSwiftHarness() {
  return MakeS3HarnessOrSkip(SwiftConfig(), "SWIFT_S3_ENDPOINT");
}

INSTANTIATE_TEST_SUITE_P(Swift, ObjectStoreConformance,
                         ::testing::Values(Backend{"Swift", MakeSwiftHarness}), BackendName);

TEST(S3ObjectStoreOnSwift, KeysThatNeedEncodingAreSignedRight) {
  const real::S3Config config = SwiftConfig();
  RequireS3(config.endpoint, "SWIFT_S3_ENDPOINT");
  const std::string base = RunId() + "/enc/";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    co_await CheckKeysThatNeedEncoding(s, base);
  });
}

// Every status must be kPermissionDenied, name the endpoint, and never show the secret.
void ExpectRefused(const Status& status, const real::S3Config& config, const char* op) {
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << op << ": " << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(config.endpoint)) << op;
  EXPECT_THAT(status.message(), Not(HasSubstr(config.secret_key))) << op;
}

TEST(S3ObjectStoreOnSwift, AWrongSecretIsPermissionDeniedAndNeverPrinted) {
  real::S3Config config = SwiftConfig();
  RequireS3(config.endpoint, "SWIFT_S3_ENDPOINT");
  const std::string key = RunId() + "/wrong-secret";
  // The object exists, so a Get or Head that ignored the signature would succeed.
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    CO_ASSERT_OK(co_await s.Put(key, "x"));
  });
  config.secret_key = "not-the-secret-7f3a9c";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put(key, "y");
    ExpectRefused(put, config, "Put");
    Result<Bytes> got = co_await s.Get(key);
    ExpectRefused(got.status(), config, "Get");
    Result<Bytes> range = co_await s.GetRange(key, 0, 1);
    ExpectRefused(range.status(), config, "GetRange");
    Result<ObjectInfo> head = co_await s.Head(key);
    ExpectRefused(head.status(), config, "Head");
    ListObjectsRequest request;
    request.prefix = key;
    Result<ListObjectsPage> list = co_await s.List(request);
    ExpectRefused(list.status(), config, "List");
    Status deleted = co_await s.Delete(key);
    ExpectRefused(deleted, config, "Delete");
  });
}

TEST(S3ObjectStoreOnSwift, AnUnknownAccessKeyIsPermissionDenied) {
  real::S3Config config = SwiftConfig();
  RequireS3(config.endpoint, "SWIFT_S3_ENDPOINT");
  config.access_key = "nobody:here";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put("k", "x");
    ExpectRefused(put, config, "Put");
  });
}

TEST(S3ObjectStoreOnSwift, AMissingBucketIsAFailedPreconditionNamingBucketAndEndpoint) {
  real::S3Config config = SwiftConfig();
  RequireS3(config.endpoint, "SWIFT_S3_ENDPOINT");
  config.bucket = "simvus-missing-bucket";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put("k", "x");
    Result<Bytes> got = co_await s.Get("k");
    Result<ObjectInfo> head = co_await s.Head("k");
    ListObjectsRequest everything;
    Result<ListObjectsPage> list = co_await s.List(everything);
    Status deleted = co_await s.Delete("k");
    const std::string expected = "'simvus-missing-bucket' does not exist at " + config.endpoint;
    for (const Status& status : {put, got.status(), head.status(), list.status(), deleted}) {
      EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
      EXPECT_THAT(status.message(), HasSubstr(expected));
    }
  });
}

TEST(S3ObjectStoreOnSwift, CreateBucketIfMissingCreatesOnceAndIsIdempotent) {
  real::S3Config config = SwiftConfig();
  RequireS3(config.endpoint, "SWIFT_S3_ENDPOINT");
  config.bucket = "simvus-created-" + std::to_string(::getpid());
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    CO_ASSERT_OK(co_await s.CreateBucketIfMissing());
    CO_ASSERT_OK(co_await s.Put("k", "in the new bucket"));
    Result<Bytes> got = co_await s.Get("k");
    CO_ASSERT_OK(got);
    EXPECT_EQ(*got, "in the new bucket");
    CO_ASSERT_OK(co_await s.CreateBucketIfMissing());
    CO_ASSERT_OK(co_await s.Delete("k"));
  });
}

// Needs no server: a closed loopback port is refused at once, so nothing was sent: kUnavailable,
// not a hang. (Addresses off the host cannot stand in for a silent one here: the build machines'
// network answers every outbound connection.)
TEST(S3ObjectStore, AClosedPortIsUnavailableWithinSeconds) {
  real::S3Config config;
  config.endpoint = "http://127.0.0.1:1";  // privileged: no test server takes it
  config.bucket = "simvus";
  config.access_key = "key";
  config.secret_key = "secret-never-shown";
  config.connect_timeout = Duration::Seconds(1);
  const auto start = std::chrono::steady_clock::now();
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put("k", "x");
    EXPECT_EQ(put.code(), StatusCode::kUnavailable) << put.ToString();
    EXPECT_THAT(put.message(), HasSubstr(config.endpoint));
    EXPECT_THAT(put.message(), Not(HasSubstr(config.secret_key)));
    Result<Bytes> got = co_await s.Get("k");
    EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
}

// A server that accepts the connection and never answers: the request went out, so the outcome
// of a Put is unknown (kDeadlineExceeded), reported when the request timeout passes.
TEST(S3ObjectStore, ASilentServerIsDeadlineExceededAfterTheTimeout) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 8), 0);  // the kernel completes handshakes; nobody reads
  socklen_t size = sizeof(address);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size), 0);
  real::S3Config config;
  config.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  config.bucket = "simvus";
  config.access_key = "key";
  config.secret_key = "secret-never-shown";
  config.timeout = Duration::Seconds(1);
  const auto start = std::chrono::steady_clock::now();
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put("k", "x");
    EXPECT_EQ(put.code(), StatusCode::kDeadlineExceeded) << put.ToString();
    EXPECT_THAT(put.message(), HasSubstr(config.endpoint));
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
  ::close(listener);
}

}  // namespace
}  // namespace simvus::conformance
