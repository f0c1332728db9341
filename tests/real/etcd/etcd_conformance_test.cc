// The MetaStore conformance suite against a real etcd 3.4 through its v3 JSON gateway, plus the
// etcd-specific cases that need a server: endpoint failover and a compare-and-swap round-trip
// figure (printed, never asserted: timing claims belong in benchmarks).
//
// Run alone: `real/backends/start /tmp/etcd etcd`, then
//   SIMVUS_BACKENDS_ENV=/tmp/etcd/backends.env build/default/tests/real/etcd/etcd_conformance_test
// and `real/backends/stop /tmp/etcd`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "real/endpoints.h"
#include "real/etcd/etcd_meta_store.h"
#include "tests/conformance/meta_store_conformance.h"
#include "tests/conformance/real_storage_harness.h"

namespace simvus::conformance {
namespace {

// One I/O pool per test binary, as one process has in real mode; never destroyed, so it
// outlives every harness.
real::ThreadPool& EtcdIo() {
  static real::ThreadPool* io = new real::ThreadPool("etcd-io", 4);
  return *io;
}

// Records the skip in a fixture's SetUp (which calls the harness factory); gtest then skips the
// test body.
void RequireEtcd(const std::string& endpoints) {
  SIMVUS_REQUIRE_BACKEND(endpoints, "ETCD_ENDPOINTS");
}

std::unique_ptr<RealStorageHarness> MakeHarnessOn(const std::string& endpoints) {
  real::RealPortFactories ports;
  ports.meta_store = [endpoints](ExecutorRef executor) -> std::unique_ptr<MetaStore> {
    return std::make_unique<real::EtcdMetaStore>(executor, EtcdIo(), endpoints);
  };
  return std::make_unique<RealStorageHarness>(std::move(ports));
}

// Without a server the harness has no meta store and the test is skipped before its body.
std::unique_ptr<StorageHarness> MakeEtcdHarness() {
  const std::string endpoints = real::LoadEndpoints().etcd_endpoints;
  if (endpoints.empty()) {
    RequireEtcd(endpoints);
    return std::make_unique<RealStorageHarness>(real::RealPortFactories{});
  }
  return MakeHarnessOn(endpoints);
}

INSTANTIATE_TEST_SUITE_P(Etcd, MetaStoreConformance,
                         ::testing::Values(Backend{"Etcd", MakeEtcdHarness}), BackendName);

// A closed port first in the list: requests and watches move on to the member that answers.
TEST(EtcdMetaStore, FailsOverFromAnUnreachableEndpoint) {
  const std::string endpoints = real::LoadEndpoints().etcd_endpoints;
  SIMVUS_REQUIRE_BACKEND(endpoints, "ETCD_ENDPOINTS");
  // Port 1 on loopback: nothing listens there (a privileged port no test server takes).
  auto h = MakeHarnessOn("http://127.0.0.1:1," + endpoints);
  const std::string k = h->Unique("/failover") + "/k";
  h->Run([&]() -> Task<void> {
    MetaStore& m = h->meta_store();
    Result<PutResult> put = co_await m.Put(k, "v");
    CO_ASSERT_OK(put);
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch(k, {}, put->revision);
    CO_ASSERT_OK(watch);
    Result<std::vector<WatchEvent>> events = co_await (*watch)->Next();
    CO_ASSERT_OK(events);
    CO_ASSERT_TRUE(events->size() == 1);
    EXPECT_EQ((*events)[0].kv.value, "v");
  });
}

// Prints the median of 200 compare-and-swap transactions (value == i ? put i+1), each one
// request to etcd and one fsync'ed raft write.
TEST(EtcdMetaStore, TxnCompareAndSwapRoundTrips) {
  const std::string endpoints = real::LoadEndpoints().etcd_endpoints;
  SIMVUS_REQUIRE_BACKEND(endpoints, "ETCD_ENDPOINTS");
  auto h = MakeHarnessOn(endpoints);
  const std::string k = h->Unique("/cas") + "/k";
  constexpr int kRounds = 200;
  std::vector<double> micros;
  h->Run([&]() -> Task<void> {
    MetaStore& m = h->meta_store();
    CO_ASSERT_OK(co_await m.Put(k, "0"));
    for (int i = 0; i < kRounds; ++i) {
      Compare is_current{k, Compare::Target::kValue, Compare::Op::kEqual, std::to_string(i), 0};
      TxnOp next{TxnOp::Kind::kPut, k, {}, std::to_string(i + 1), 0};
      std::vector<Compare> compares{is_current};
      std::vector<TxnOp> success{next};
      std::vector<TxnOp> failure;
      const auto start = std::chrono::steady_clock::now();
      Result<TxnResult> txn = co_await m.Txn(compares, success, failure);
      const auto took = std::chrono::steady_clock::now() - start;
      CO_ASSERT_OK(txn);
      CO_ASSERT_TRUE(txn->succeeded);
      micros.push_back(std::chrono::duration<double, std::micro>(took).count());
    }
  });
  ASSERT_EQ(micros.size(), static_cast<size_t>(kRounds));
  std::sort(micros.begin(), micros.end());
  std::printf(
      "etcd txn compare-and-swap over %d rounds: median %.0f us, p90 %.0f us, max %.0f us\n",
      kRounds, micros[kRounds / 2], micros[kRounds * 9 / 10], micros.back());
}

}  // namespace
}  // namespace simvus::conformance
