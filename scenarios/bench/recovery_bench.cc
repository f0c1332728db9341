// `simvus bench recovery`: how long the cluster takes to serve again after a crash. A collection
// of N flushed, HNSW-indexed rows is loaded on 2 query nodes; then
//  1. querynode-1 (shard 0's delegator and a worker of sealed segments) crashes and stays down:
//     the time until a Strong count(*) answers N again — QueryCoord notices the lost session when
//     its lease expires (30 s after the last keep-alive, sent every 10 s) and moves the shard and
//     the segments to querynode-2 — and the reads that failed meanwhile;
//  2. datanode-1 crashes, 1,000 rows are inserted while it is down (they wait in the log), and it
//     restarts 2 s later: the time from the restart until a Flush of those rows completes (the
//     data node replays its channels from their checkpoints first), and until a Strong count(*)
//     sees them.
#include <optional>

#include "scenarios/bench/macro_bench.h"
#include "scenarios/workload_helpers.h"

namespace simvus::scenarios::bench {
namespace {

constexpr Duration kPoll = Duration::Millis(100);
constexpr Duration kGiveUp = Duration::Seconds(600);
constexpr Duration kDataNodeDown = Duration::Seconds(2);
constexpr int64_t kRowsWhileDown = 1000;

struct Served {
  Duration after;
  int64_t failed_reads = 0;
};

// Strong count(*) every 100 ms until it answers `rows`; the time from `since` and the reads that
// failed or answered otherwise.
Task<Result<Served>> WaitServing(Client& client, int64_t rows, Instant since) {
  Served served;
  for (;;) {
    Result<proto::QueryResults> counted = co_await client.Query("recovery count", kCollection, "",
                                                                proto::STRONG, /*count_only=*/true);
    const Instant now = client.env().clock->Now();
    if (counted.ok() && counted->count() == rows) {
      served.after = now - since;
      co_return served;
    }
    ++served.failed_reads;
    if (now - since > kGiveUp) {
      co_return DeadlineExceeded("count(*) did not answer " + std::to_string(rows) + " within " +
                                 ToString(kGiveUp) + " of the crash");
    }
    co_await client.env().clock->Sleep(kPoll);
  }
}

}  // namespace

std::optional<BenchResult> RunRecovery(const BenchSpec& spec) {
  const Rng seed_rng(static_cast<uint64_t>(spec.seed));
  const std::vector<std::vector<float>> data =
      UniformVectors(seed_rng.Fork("bench-data"), spec.rows, spec.dim);
  const std::vector<std::vector<float>> more =
      UniformVectors(seed_rng.Fork("bench-data-while-down"), kRowsWhileDown, spec.dim);
  struct Marks {
    Served querynode;
    Duration datanode_flush, datanode_count;
  } marks;
  Scenario scenario = BenchScenario("bench-recovery", 1, 2, spec.rows / 4, spec.dim);
  scenario.workload = [&](Client& client, ScenarioContext& ctx) -> Task<Status> {
    SIMVUS_CO_RETURN_IF_ERROR(co_await LoadFlushedAndIndexed(client, &data));
    Result<Served> before = co_await WaitServing(client, spec.rows, client.env().clock->Now());
    if (!before.ok()) co_return before.status();

    if (!ctx.crash_node || !ctx.start_node) {
      co_return FailedPrecondition("recovery crashes nodes: it needs roles in this process");
    }
    const Instant qn_crash = client.env().clock->Now();
    ctx.say("bench: crash querynode-1 (shard 0's delegator); it stays down");
    std::string query_node = "querynode-1";
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.crash_node(query_node));
    Result<Served> qn = co_await WaitServing(client, spec.rows, qn_crash);
    if (!qn.ok()) co_return qn.status();
    marks.querynode = *qn;

    ctx.say("bench: crash datanode-1; insert while it is down; restart it 2 s later");
    std::string data_node = "datanode-1";
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.crash_node(data_node));
    const Instant dn_crash = client.env().clock->Now();
    SIMVUS_CO_RETURN_IF_ERROR(co_await InsertAll(client, &more, spec.rows));
    const Instant restart_at = dn_crash + kDataNodeDown;
    const Instant now = client.env().clock->Now();
    if (now < restart_at) co_await client.env().clock->Sleep(restart_at - now);
    const Instant restarted = client.env().clock->Now();
    SIMVUS_CO_RETURN_IF_ERROR(co_await ctx.start_node(data_node));
    Result<proto::FlushResponse> flushed =
        co_await client.Flush("flush after restart", kCollection, kGiveUp);
    if (!flushed.ok()) co_return flushed.status();
    marks.datanode_flush = client.env().clock->Now() - restarted;
    Result<Served> dn = co_await WaitServing(client, spec.rows + kRowsWhileDown, restarted);
    if (!dn.ok()) co_return dn.status();
    marks.datanode_count = dn->after;
    co_return Status::Ok();
  };
  BenchResult result;
  std::optional<RunReport> report = RunBench(scenario, spec, result);
  if (!report) return std::nullopt;
  result.name = BenchName("recovery", spec, {"rows", "dim"});
  result.figures = {
      {"det_querynode_serving_ms", Ms(marks.querynode.after)},
      {"det_querynode_failed_reads", static_cast<double>(marks.querynode.failed_reads)},
      {"det_datanode_flush_ms", Ms(marks.datanode_flush)},
      {"det_datanode_count_ms", Ms(marks.datanode_count)},
      {"trace_events", static_cast<double>(report->events)},
  };
  return result;
}

}  // namespace simvus::scenarios::bench
