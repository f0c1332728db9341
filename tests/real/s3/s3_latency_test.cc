// Round-trip figures for S3ObjectStore on loopback s3rver: 200 Puts, then 200 Gets, of a 64 KiB
// object, each timed on the client strand (Offload to the I/O pool, one libcurl transfer with a
// fresh connection, the SHA-256 of the body). Printed, never asserted: timing claims belong in
// benchmarks. Rerun:
//   cd build/default && ctest -L integration -R S3Latency -V   (the fixture starts s3rver)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/real/s3/s3_test_support.h"

namespace simvus::conformance {
namespace {

constexpr int kRoundTrips = 200;
constexpr size_t kObjectBytes = 64 * 1024;

double PercentileMs(std::vector<double> samples_ms, double q) {
  std::sort(samples_ms.begin(), samples_ms.end());
  const size_t at = static_cast<size_t>(q * static_cast<double>(samples_ms.size() - 1));
  return samples_ms[at];
}

TEST(S3Latency, PutAndGetOf64KiBOnLoopbackS3rver) {
  const real::S3Config config = S3ConfigFromEndpoints();
  RequireS3(config.endpoint, "S3_ENDPOINT");
  const std::string base = RunId() + "/latency/";
  std::vector<double> put_ms, get_ms;
  RunWithStore(config, [&](real::S3ObjectStore& s) -> Task<void> {
    Bytes data(kObjectBytes, '\0');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 131) ^ (i >> 7));
    std::vector<std::string> keys;
    for (int i = 0; i < kRoundTrips; ++i) {
      keys.push_back(base + std::to_string(i));
      const auto start = std::chrono::steady_clock::now();
      Status put = co_await s.Put(keys.back(), data);
      put_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      CO_ASSERT_OK(put);
    }
    for (const std::string& key : keys) {
      const auto start = std::chrono::steady_clock::now();
      Result<Bytes> got = co_await s.Get(key);
      get_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      CO_ASSERT_OK(got);
      CO_ASSERT_TRUE(*got == data);
    }
    CO_ASSERT_OK(co_await s.DeleteMany(keys));
  });
  ASSERT_EQ(put_ms.size(), static_cast<size_t>(kRoundTrips));
  ASSERT_EQ(get_ms.size(), static_cast<size_t>(kRoundTrips));
  std::printf(
      "S3ObjectStore on s3rver, %d x 64 KiB: put median %.2f ms p90 %.2f ms; "
      "get median %.2f ms p90 %.2f ms\n",
      kRoundTrips, PercentileMs(put_ms, 0.5), PercentileMs(put_ms, 0.9), PercentileMs(get_ms, 0.5),
      PercentileMs(get_ms, 0.9));
}

}  // namespace
}  // namespace simvus::conformance
