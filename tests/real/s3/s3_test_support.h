// Shared by the S3 integration tests: where the servers are (s3rver as S3_*, Swift's s3api as
// SWIFT_S3_*, from the environment or the SIMVUS_BACKENDS_ENV file), a harness per test, a way to
// run a body against a store with a chosen config, and the checks both servers must pass for keys
// and prefixes that need %-encoding (which also exercise the SigV4 canonical path and query).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "real/endpoints.h"
#include "real/s3/s3_object_store.h"
#include "tests/conformance/real_storage_harness.h"

namespace simvus::conformance {

// One I/O pool per test binary, as one process has in real mode; never destroyed, so it outlives
// every harness.
inline real::ThreadPool& S3Io() {
  static real::ThreadPool* io = new real::ThreadPool("s3-io", 4);
  return *io;
}

// The S3_* settings (s3rver under ctest) as real::LoadEndpoints reads them.
inline real::S3Config S3ConfigFromEndpoints() {
  const real::BackendEndpoints e = real::LoadEndpoints();
  real::S3Config config;
  config.endpoint = e.s3_endpoint;
  config.bucket = e.s3_bucket;
  config.region = e.s3_region;
  config.access_key = e.s3_access_key;
  config.secret_key = e.s3_secret_key;
  return config;
}

// PREFIX + ENDPOINT, BUCKET, REGION, ACCESS_KEY, SECRET_KEY: the environment first, then the
// SIMVUS_BACKENDS_ENV file (Swift's settings are SWIFT_S3_*, so they never clash with s3rver's).
inline real::S3Config S3ConfigFromSettings(const std::string& prefix) {
  std::map<std::string, std::string> settings;
  if (const char* file = std::getenv("SIMVUS_BACKENDS_ENV"); file != nullptr && *file != 0) {
    settings = real::ReadEnvFile(file);
  }
  auto get = [&](const std::string& name, std::string& into) {
    const std::string key = prefix + name;
    if (const char* value = std::getenv(key.c_str()); value != nullptr && *value != 0) {
      into = value;
    } else if (auto it = settings.find(key); it != settings.end() && !it->second.empty()) {
      into = it->second;
    }
  };
  real::S3Config config;
  config.bucket = "simvus";
  get("ENDPOINT", config.endpoint);
  get("BUCKET", config.bucket);
  get("REGION", config.region);
  get("ACCESS_KEY", config.access_key);
  get("SECRET_KEY", config.secret_key);
  return config;
}

inline void RequireS3(const std::string& endpoint, const char* variable) {
  SIMVUS_REQUIRE_BACKEND(endpoint, variable);
}

inline std::unique_ptr<RealStorageHarness> MakeS3HarnessOn(const real::S3Config& config) {
  real::RealPortFactories ports;
  ports.object_store = [config](ExecutorRef executor) -> std::unique_ptr<ObjectStore> {
    return std::make_unique<real::S3ObjectStore>(executor, S3Io(), config);
  };
  return std::make_unique<RealStorageHarness>(std::move(ports));
}

// A harness for the conformance suite; without a configured server the skip is recorded here
// (gtest skips the body after SetUp) and the harness has no object store.
inline std::unique_ptr<StorageHarness> MakeS3HarnessOrSkip(const real::S3Config& config,
                                                           const char* variable) {
  if (config.endpoint.empty()) {
    RequireS3(config.endpoint, variable);
    return std::make_unique<RealStorageHarness>(real::RealPortFactories{});
  }
  return MakeS3HarnessOn(config);
}

// Runs `body` on a client strand against a store built from `config` (which may be wrong on
// purpose: a bad secret, a missing bucket, a closed port).
inline void RunWithStore(const real::S3Config& config,
                         std::function<Task<void>(real::S3ObjectStore&)> body) {
  RealStorageHarness h{real::RealPortFactories{}};
  h.Run([&]() -> Task<void> {
    real::S3ObjectStore store(h.env()->executor, S3Io(), config);
    co_await body(store);
  });
}

inline std::string RunId() {
  RealStorageHarness h{real::RealPortFactories{}};
  return h.Unique("s3");
}

// Keys with bytes that need %-encoding in the path, and a listing whose prefix and delimiter need
// it in the query: on a verifying server (Swift) a wrong canonical form is a 403.
inline Task<void> CheckKeysThatNeedEncoding(ObjectStore& s, std::string base) {
  const std::vector<std::string> names = {
      "space in name",          "plus+sign",    "eq=amp&q?",   "pct%41",
      "tilde~dash-dot.",        "star*(paren)", "colon:semi;", "comma,'quote'",
      "utf8-\xc3\xbcn\xc3\xaf", "x/y/z"};
  for (const std::string& name : names) {
    const std::string key = base + name;
    CO_ASSERT_OK(co_await s.Put(key, name));
    Result<Bytes> got = co_await s.Get(key);
    CO_ASSERT_OK(got);
    EXPECT_EQ(*got, name);
    Result<ObjectInfo> head = co_await s.Head(key);
    CO_ASSERT_OK(head);
    EXPECT_EQ(head->size_bytes, static_cast<int64_t>(name.size()));
  }
  ListObjectsRequest request;
  request.prefix = base;
  request.delimiter = "/";
  Result<ListObjectsPage> page = co_await s.List(request);
  CO_ASSERT_OK(page);
  std::vector<std::string> keys;
  for (const ObjectInfo& o : page->objects) keys.push_back(o.key.substr(base.size()));
  std::vector<std::string> expected;
  for (const std::string& name : names) {
    if (name.find('/') == std::string::npos) expected.push_back(name);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{base + "x/"});
  // A prefix that itself needs encoding.
  ListObjectsRequest spaced;
  spaced.prefix = base + "space in";
  Result<ListObjectsPage> one = co_await s.List(spaced);
  CO_ASSERT_OK(one);
  CO_ASSERT_TRUE(one->objects.size() == 1);
  EXPECT_EQ(one->objects[0].key, base + "space in name");
  std::vector<std::string> all;
  for (const std::string& name : names) all.push_back(base + name);
  CO_ASSERT_OK(co_await s.DeleteMany(all));
}

}  // namespace simvus::conformance
