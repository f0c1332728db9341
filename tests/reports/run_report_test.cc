// The report's pure parts: fault windows from a trace, the failed event, report.json's shape,
// the HTML page's inlining and the metric sampler's change-only points.
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <nlohmann/json.hpp>

#include "reports/metric_sampler.h"
#include "reports/report_html.h"
#include "reports/report_json.h"
#include "reports/run_record.h"

namespace simvus::reports {
namespace {

TimedEvent Event(uint64_t i, int64_t ms, std::string node, std::string kind, std::string text = "",
                 TraceLevel level = TraceLevel::kStep) {
  return {
      i, Duration::Millis(ms), {level, std::move(node), std::move(kind), "", "", std::move(text)}};
}

TEST(FaultWindows, PairsEveryOpeningWithItsClosing) {
  const std::vector<TimedEvent> events = {
      Event(0, 10, "querynode-1", "node.pause"),
      Event(1, 20, "nemesis", "fault", "network split proxy-1 | querynode-1,querynode-2"),
      Event(2, 30, "querynode-1", "node.resume"),
      Event(3, 40, "nemesis", "fault", "network heals"),
      Event(4, 50, "datanode-1", "node.crash"),
      Event(5, 60, "nemesis", "fault", "link delay +20ms at proxy-1 for 1s"),
      Event(6, 70, "nemesis", "fault", "link faults end"),
      Event(7, 80, "kafka", "fault.kafka-down", "the broker is down"),
      Event(8, 85, "s3", "fault.s3-outage", "s3 unavailable for 0.010000s"),
      Event(9, 90, "etcd", "fault.etcd-leader-loss", "etcd leader loss for 500ms"),
  };
  const std::vector<FaultWindow> w = FaultWindows(events, Duration::Millis(100));
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0].kind, "node.pause");
  EXPECT_EQ(w[0].end, Duration::Millis(30));
  EXPECT_EQ(w[0].end_event, 2);
  EXPECT_EQ(w[1].kind, "network.split");
  EXPECT_EQ(w[1].nodes, (std::vector<std::string>{"proxy-1", "querynode-1", "querynode-2"}));
  EXPECT_EQ(w[1].end, Duration::Millis(40));
  EXPECT_EQ(w[2].kind, "node.crash");  // never restarted: open to the run's end
  EXPECT_EQ(w[2].end, Duration::Millis(100));
  EXPECT_EQ(w[2].end_event, -1);
  EXPECT_EQ(w[3].kind, "network.link");
  EXPECT_EQ(w[3].nodes, std::vector<std::string>{"proxy-1"});
  EXPECT_EQ(w[3].end, Duration::Millis(70));
  EXPECT_EQ(w[4].kind, "storage.kafka-down");
  EXPECT_EQ(w[4].start, w[4].end);  // no length in its text: a moment
  EXPECT_EQ(w[5].end, Duration::Millis(95));
  EXPECT_EQ(w[6].end, Duration::Millis(100));  // 500 ms, cut at the run's end
}

TEST(FaultWindows, ARestartOfALiveNodeIsACrashAndAStartAtOnce) {
  const std::vector<FaultWindow> w =
      FaultWindows({Event(0, 10, "rootcoord", "node.restart")}, Duration::Millis(100));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, "node.crash");
  EXPECT_EQ(w[0].start, w[0].end);
}

TEST(LaneOrder, MessageEndsAreLanesButAChannelNamedByAStepIsNot) {
  TimedEvent step = Event(0, 0, "proxy-1", "log.produce");
  step.event.to = "by-dev-rootcoord-dml_0";
  TimedEvent send = Event(1, 0, "proxy-1", "net.send", "", TraceLevel::kDetail);
  send.event.from = "proxy-1";
  send.event.to = "kafka";
  EXPECT_EQ(LaneOrder({step, send}), (std::vector<std::string>{"proxy-1", "kafka"}));
}

TEST(LaneOrder, CoordinatorsThenProxiesThenWorkersThenClients) {
  const std::vector<std::string> lanes =
      LaneOrder({Event(0, 0, "client-1", "x"), Event(1, 0, "querynode-1", "x"),
                 Event(2, 0, "proxy-1", "x"), Event(3, 0, "rootcoord", "x")});
  EXPECT_EQ(lanes, (std::vector<std::string>{"rootcoord", "proxy-1", "querynode-1", "client-1"}));
}

RunRecord FailedRecord(History& history) {
  Operation op;
  op.client = "client-1";
  op.type = OpType::kSearch;
  op.label = "Q2";
  op.invoke_at = Duration::Millis(40);
  op.complete_at = Duration::Millis(55);
  history.Invoke(op);  // op #0
  history.at(0).outcome = Outcome::kOk;
  RunRecord r;
  r.scenario = "timeline";
  r.seed = 1;
  r.reproduce = "simvus run timeline --seed 1 --inject-bug ignore-deletes";
  r.pass = false;
  r.invariant = "deleted-row-returned";
  r.detail = "op #0 (Q2, search by client-1) returned pk 1 </script> after its delete";
  r.end = Duration::Millis(100);
  r.events = {Event(0, 10, "proxy-1", "proxy.insert"), Event(1, 50, "querynode-1", "query.search"),
              Event(2, 60, "proxy-1", "proxy.search"), Event(3, 90, "proxy-1", "proxy.search")};
  r.history = &history;
  r.judges = {{"liveness", "pass", "", "", JudgeCovers(0)},
              {"consistency-checker", "fail", r.invariant, r.detail, JudgeCovers(1)}};
  return r;
}

TEST(FailedEvent, IsTheFirstEventAtTheFailedOperationsCompletion) {
  History history;
  RunRecord r = FailedRecord(history);
  EXPECT_EQ(FailedEvent(r), 2);
  r.detail = "no operation named";
  EXPECT_EQ(FailedEvent(r), 3);  // the last step event
  r.pass = true;
  EXPECT_EQ(FailedEvent(r), -1);
}

TEST(ReportJson, CarriesTheVerdictJudgesEventsOperationsAndMetrics) {
  History history;
  RunRecord r = FailedRecord(history);
  r.metrics = {{"milvus_querynode_consume_tt_lag_ms",
                "gauge",
                {{"channel", "dml_0"}, {"node", "querynode-1"}},
                {{Duration::Millis(0), 0}, {Duration::Millis(200), 12}}}};
  const nlohmann::json j = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(j["schema"], "simvus.report/1");
  EXPECT_FALSE(j["verdict"]["pass"].get<bool>());
  EXPECT_EQ(j["verdict"]["invariant"], "deleted-row-returned");
  EXPECT_EQ(j["verdict"]["failed_event"], 2);
  EXPECT_EQ(j["judges"][1]["result"], "fail");
  EXPECT_EQ(j["events"].size(), 4u);
  EXPECT_EQ(j["events"][1]["t_ns"], 50000000);
  EXPECT_EQ(j["nodes"], nlohmann::json::array({"proxy-1", "querynode-1"}));
  EXPECT_EQ(j["operations"][0]["label"], "Q2");
  EXPECT_EQ(j["operations"][0]["consistency"], "strong");
  EXPECT_EQ(j["metrics"][0]["labels"]["channel"], "dml_0");
  EXPECT_EQ(j["metrics"][0]["points"][1][1], 12);
  EXPECT_EQ(j["figures"]["step_events"], 4);
}

TEST(ReportJson, InvalidUtf8InATraceIsReplacedNotFatal) {
  const std::string line = EventJson(Event(0, 0, "proxy-1", "x", std::string("bad \xff byte")));
  EXPECT_NE(line.find("bad"), std::string::npos);
}

TEST(ReportMarkdown, NamesTheFailureAndTheReproduceCommand) {
  History history;
  const std::string md = ReportMarkdown(FailedRecord(history));
  EXPECT_NE(md.find("FAIL"), std::string::npos);
  EXPECT_NE(md.find("`deleted-row-returned`"), std::string::npos);
  EXPECT_NE(md.find("simvus run timeline --seed 1 --inject-bug ignore-deletes"), std::string::npos);
}

TEST(ReportHtml, InlinesEverythingAndKeepsTheJsonInsideItsScript) {
  History history;
  const std::string json = ReportJson(FailedRecord(history));
  const std::string page = ReportHtml(json);
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a marker was left in the page";
  EXPECT_EQ(page.find("</script> after"), std::string::npos) << "'</' must be escaped";
  EXPECT_NE(page.find("<\\/script> after"), std::string::npos);
  EXPECT_NE(page.find("uPlot"), std::string::npos) << "the charting library is inlined";
  // Self-contained: no external script, style or font.
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
}

TEST(MetricSampler, KeepsAPointOnlyWhereAValueChanged) {
  prometheus::Registry registry;
  auto& gauge = prometheus::BuildGauge()
                    .Name("simvus_test_tsafe_ms")
                    .Register(registry)
                    .Add({{"node", "querynode-1"}, {"channel", "dml_0"}});
  auto& counter =
      prometheus::BuildCounter().Name("simvus_test_total").Register(registry).Add({{"node", "p"}});
  MetricSampler sampler(registry);
  sampler.Sample(Duration::Millis(0));
  gauge.Set(5);
  sampler.Sample(Duration::Millis(10));
  sampler.Sample(Duration::Millis(20));  // nothing changed
  counter.Increment();
  gauge.Set(7);
  gauge.Set(9);
  sampler.Sample(Duration::Millis(30));
  const std::vector<MetricSeries> series = sampler.Take();
  ASSERT_EQ(series.size(), 2u);
  const MetricSeries& tsafe = series[0].name == "simvus_test_tsafe_ms" ? series[0] : series[1];
  EXPECT_EQ(tsafe.type, "gauge");
  EXPECT_EQ(tsafe.labels, (std::vector<std::pair<std::string, std::string>>{
                              {"channel", "dml_0"}, {"node", "querynode-1"}}));
  ASSERT_EQ(tsafe.points.size(), 3u);
  EXPECT_EQ(tsafe.points[1], std::make_pair(Duration::Millis(10), 5.0));
  EXPECT_EQ(tsafe.points[2], std::make_pair(Duration::Millis(30), 9.0));
}

}  // namespace
}  // namespace simvus::reports
