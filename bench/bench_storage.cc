// bench_storage: the cost of the simulated storage services, so that it stays small next to the
// work of the roles. Two layers:
//   - the data structures alone (LogBrokerState, MvccStore, ObjectStoreState): host CPU per op;
//   - a whole request through SimWorld (network, scheduler, host node, fault checks): host CPU
//     per round trip, with the simulated latency of that round trip as the counter sim_us.
// Run: build/<dir>/bench/bench_storage [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/storage/sim_storage.h"

namespace simvus::sim {
namespace {

const Instant kT0{1'767'225'600'000'000'000};

void BM_LogState_Append(benchmark::State& state) {
  LogBrokerState log;
  (void)log.CreateTopic("t", 1);
  const TopicPartition tp{"t", 0};
  const Bytes payload(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(log.Append(tp, payload, kT0));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LogState_Append)->Arg(128)->Arg(4096);

void BM_LogState_Read100(benchmark::State& state) {
  LogBrokerState log;
  (void)log.CreateTopic("t", 1);
  const TopicPartition tp{"t", 0};
  for (int i = 0; i < 10'000; ++i) (void)log.Append(tp, Bytes(128, 'x'), kT0);
  int64_t offset = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(log.Read(tp, offset, 100, kT0));
    offset = (offset + 100) % 9'900;
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_LogState_Read100);

void BM_Mvcc_Put(benchmark::State& state) {
  MvccStore store;
  const int64_t keys = state.range(0);
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(store.Put("/meta/key/" + std::to_string(i % keys), "value", 0));
    ++i;
  }
}
BENCHMARK(BM_Mvcc_Put)->Arg(100)->Arg(10'000);

void BM_Mvcc_RangePrefix(benchmark::State& state) {
  MvccStore store;
  for (int64_t i = 0; i < state.range(0); ++i) {
    (void)store.Put("/meta/seg/" + std::to_string(i), "value", 0);
  }
  RangeRequest request{"/meta/seg/", PrefixEnd("/meta/seg/"), 0, 0};
  for (auto _ : state) benchmark::DoNotOptimize(store.Range(request));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Mvcc_RangePrefix)->Arg(100)->Arg(1'000);

void BM_Mvcc_TxnCas(benchmark::State& state) {
  MvccStore store;
  (void)store.Put("/tso", "0", 0);
  int64_t i = 0;
  for (auto _ : state) {
    const int64_t mod = store.revision();
    Compare c{"/tso", Compare::Target::kModRevision, Compare::Op::kEqual, {}, mod};
    TxnOp put{TxnOp::Kind::kPut, "/tso", {}, std::to_string(++i), 0};
    benchmark::DoNotOptimize(store.Txn({c}, {put}, {}));
  }
}
BENCHMARK(BM_Mvcc_TxnCas);

void BM_ObjectState_List(benchmark::State& state) {
  ObjectStoreState s;
  for (int i = 0; i < 10'000; ++i) {
    (void)s.Put("seg/" + std::to_string(i % 100) + "/binlog/" + std::to_string(i), "x");
  }
  ListObjectsRequest request;
  request.prefix = "seg/42/";
  request.max_keys = static_cast<int32_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(s.List(request));
}
BENCHMARK(BM_ObjectState_List)->Arg(10)->Arg(1000);

// A world with SimStorage and one client node; Run drives one request to completion.
struct World {
  SimWorld world{WorldOptions{}};
  std::unique_ptr<SimStorage> storage = SimStorage::Install(world, {});
  NodeId client = -1;
  World() {
    client = world.AddNode("client", nullptr);
    world.Start(client);
  }
  ~World() { world.Shutdown(); }
  Env& env() { return *world.EnvOf(client); }
  // Runs `body` to completion; returns the simulated time it took.
  Duration Run(std::function<Task<void>()> body) {
    bool done = false;
    const Instant start = world.scheduler().now();
    env().Spawn([](std::function<Task<void>()> fn, bool* finished) -> Task<void> {
      co_await fn();
      *finished = true;
    }(std::move(body), &done));
    world.scheduler().RunUntilDone([&done] { return done; }, start + Duration::Seconds(60));
    return world.scheduler().now() - start;
  }
};

void ReportSimTime(benchmark::State& state, Duration total) {
  state.counters["sim_us"] = benchmark::Counter(static_cast<double>(total.ns) / 1e3 /
                                                static_cast<double>(state.iterations()));
}

void BM_SimLog_Produce(benchmark::State& state) {
  World w;
  const TopicPartition tp{"ch", 0};
  w.Run([&]() -> Task<void> { (void)co_await w.env().log->CreateTopic("ch", 1); });
  const Bytes payload(static_cast<size_t>(state.range(0)), 'x');
  Duration total;
  for (auto _ : state) {
    total += w.Run([&]() -> Task<void> { (void)co_await w.env().log->Produce(tp, payload); });
  }
  ReportSimTime(state, total);
}
BENCHMARK(BM_SimLog_Produce)->Arg(128)->Arg(65536);

void BM_SimLog_ProducePoll(benchmark::State& state) {
  World w;
  const TopicPartition tp{"ch", 0};
  std::unique_ptr<LogConsumer> consumer;
  w.Run([&]() -> Task<void> {
    (void)co_await w.env().log->CreateTopic("ch", 1);
    Result<std::unique_ptr<LogConsumer>> c = co_await w.env().log->Subscribe(tp, "g");
    if (c.ok()) consumer = std::move(*c);
  });
  Duration total;
  for (auto _ : state) {
    total += w.Run([&]() -> Task<void> {
      (void)co_await w.env().log->Produce(tp, "record");
      benchmark::DoNotOptimize(co_await consumer->Poll(10, Duration::Seconds(1)));
    });
  }
  ReportSimTime(state, total);
}
BENCHMARK(BM_SimLog_ProducePoll);

void BM_SimMeta_Put(benchmark::State& state) {
  World w;
  int64_t i = 0;
  Duration total;
  for (auto _ : state) {
    const std::string key = "/meta/k/" + std::to_string(i++ % 1000);
    total += w.Run([&]() -> Task<void> { (void)co_await w.env().meta_store->Put(key, "v"); });
  }
  ReportSimTime(state, total);
}
BENCHMARK(BM_SimMeta_Put);

void BM_SimMeta_PutWatch(benchmark::State& state) {
  World w;
  std::unique_ptr<MetaWatch> watch;
  w.Run([&]() -> Task<void> {
    Result<std::unique_ptr<MetaWatch>> r = co_await w.env().meta_store->Watch("/w", "", 0);
    if (r.ok()) watch = std::move(*r);
  });
  Duration total;
  for (auto _ : state) {
    total += w.Run([&]() -> Task<void> {
      (void)co_await w.env().meta_store->Put("/w", "v");
      benchmark::DoNotOptimize(co_await watch->Next());
    });
  }
  ReportSimTime(state, total);
}
BENCHMARK(BM_SimMeta_PutWatch);

void BM_SimObject_PutGet(benchmark::State& state) {
  World w;
  const Bytes data(static_cast<size_t>(state.range(0)), 'x');
  Duration total;
  for (auto _ : state) {
    total += w.Run([&]() -> Task<void> {
      (void)co_await w.env().object_store->Put("seg/1/binlog", data);
      benchmark::DoNotOptimize(co_await w.env().object_store->Get("seg/1/binlog"));
    });
  }
  state.SetBytesProcessed(state.iterations() * state.range(0) * 2);
  ReportSimTime(state, total);
}
BENCHMARK(BM_SimObject_PutGet)->Arg(1024)->Arg(1 << 20);

}  // namespace
}  // namespace simvus::sim

BENCHMARK_MAIN();
