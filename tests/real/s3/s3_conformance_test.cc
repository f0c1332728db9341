// The ObjectStore conformance suite against S3ObjectStore on s3rver (the server ctest's
// backend-s3rver fixture starts, or the one S3_ENDPOINT names), plus the adapter's own cases:
// keys that need %-encoding, a missing bucket, CreateBucketIfMissing.
//
// Run alone: `real/backends/start /tmp/s3 s3rver`, then
//   SIMVUS_BACKENDS_ENV=/tmp/s3/backends.env build/default/tests/real/s3/s3_conformance_test
// and `real/backends/stop /tmp/s3`.
#include <unistd.h>

#include <string>

#include "tests/conformance/object_store_conformance.h"
#include "tests/real/s3/s3_test_support.h"

namespace simvus::conformance {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<StorageHarness> MakeS3rverHarness() {
  return MakeS3HarnessOrSkip(S3ConfigFromEndpoints(), "S3_ENDPOINT");
}

INSTANTIATE_TEST_SUITE_P(S3rver, ObjectStoreConformance,
                         ::testing::Values(Backend{"S3rver", MakeS3rverHarness}), BackendName);

TEST(S3ObjectStoreOnS3rver, KeysThatNeedEncodingRoundTrip) {
  const real::S3Config config = S3ConfigFromEndpoints();
  RequireS3(config.endpoint, "S3_ENDPOINT");
  const std::string base = RunId() + "/enc/";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    co_await CheckKeysThatNeedEncoding(s, base);
  });
}

TEST(S3ObjectStoreOnS3rver, AMissingBucketIsAFailedPreconditionNamingIt) {
  real::S3Config config = S3ConfigFromEndpoints();
  RequireS3(config.endpoint, "S3_ENDPOINT");
  config.bucket = "simvus-missing-bucket";
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Status put = co_await s.Put("k", "x");
    EXPECT_EQ(put.code(), StatusCode::kFailedPrecondition) << put.ToString();
    EXPECT_THAT(put.message(),
                HasSubstr("'simvus-missing-bucket' does not exist at " + config.endpoint));
    Result<ObjectInfo> head = co_await s.Head("k");
    EXPECT_EQ(head.status().code(), StatusCode::kFailedPrecondition) << head.status().ToString();
    ListObjectsRequest everything;
    Result<ListObjectsPage> list = co_await s.List(everything);
    EXPECT_EQ(list.status().code(), StatusCode::kFailedPrecondition) << list.status().ToString();
  });
}

TEST(S3ObjectStoreOnS3rver, CreateBucketIfMissingCreatesOnceAndIsIdempotent) {
  real::S3Config config = S3ConfigFromEndpoints();
  RequireS3(config.endpoint, "S3_ENDPOINT");
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

}  // namespace
}  // namespace simvus::conformance
