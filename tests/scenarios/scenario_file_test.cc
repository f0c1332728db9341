#include "scenarios/scenario_file.h"

#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

std::string ErrorOf(const std::string& text) {
  Result<scenario::ScenarioFile> parsed = ParseScenarioFile(text, "t.textproto");
  return parsed.ok() ? "OK" : parsed.status().message();
}

constexpr char kMinimal[] = "workload { steps { insert { pks: [1] } } }\n";

TEST(ScenarioFile, ExampleFilesPassForTwentySeeds) {
  for (const char* name : {"querynode-pause", "proxy-split", "read-path-cluster"}) {
    const std::string path =
        std::string(SIMVUS_SOURCE_DIR) + "/scenarios/files/" + name + ".textproto";
    Result<Scenario> scenario = LoadScenarioFile(path);
    ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
    EXPECT_EQ(scenario->name, path);
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      RunOptions options;
      options.seed = seed;
      RunReport r = RunScenario(*scenario, options);
      ASSERT_TRUE(r.pass) << name << " seed " << seed << " " << r.invariant << ": " << r.detail;
      EXPECT_GE(r.checked_reads, 2) << name << " seed " << seed;
    }
    EXPECT_EQ(ReproCommand(scenario->name, 7), "simvus run " + path + " --seed 7");
  }
}

// Cluster sizes out of range are rejected naming the field and the range.
TEST(ScenarioFile, ClusterSizesOutOfRangeNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cluster { query_nodes: 9 }", "cluster.query_nodes: is 9, expected 1..8"},
      {"cluster { proxies: 5 }", "cluster.proxies: is 5, expected 1..4"},
      {"cluster { query_nodes: 2 replicas: 3 }", "cluster.replicas: is 3, expected 1..2"},
      {"cluster { data_nodes: 5 }", "cluster.data_nodes: is 5, expected 1..4"},
      {"cluster { index_nodes: -1 }", "cluster.index_nodes: is -1, expected 1..4"}};
  for (const auto& [cluster, says] : cases) {
    Result<scenario::ScenarioFile> parsed =
        ParseScenarioFile(cluster + "\n" + kMinimal, "sizes.textproto");
    ASSERT_FALSE(parsed.ok()) << cluster;
    EXPECT_NE(parsed.status().message().find(says), std::string::npos)
        << cluster << ": " << parsed.status().ToString();
  }
  Result<scenario::ScenarioFile> bad_filter = ParseScenarioFile(
      "workload { steps { count { filter: \"age > 3\" } } }\n", "filter.textproto");
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_NE(bad_filter.status().message().find("filters may name the primary key pk only"),
            std::string::npos)
      << bad_filter.status().ToString();
}

TEST(ScenarioFile, SyntaxErrorsNameTheLineAndColumn) {
  EXPECT_EQ(ErrorOf("workload {\n  steps { insert { pks: [1, } }\n}\n").rfind("t.textproto:2:", 0),
            0u)
      << ErrorOf("workload {\n  steps { insert { pks: [1, } }\n}\n");
  const std::string unknown = ErrorOf("cluster { shard: 2 }\n" + std::string(kMinimal));
  EXPECT_EQ(unknown.rfind("t.textproto:1:16:", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("shard"), std::string::npos) << unknown;
}

TEST(ScenarioFile, BadValuesNameTheFileLineColumnAndField) {
  EXPECT_EQ(ErrorOf(kMinimal), "OK");
  EXPECT_EQ(ErrorOf("cluster {\n  dim: 0\n  shards: 17\n}\n" + std::string(kMinimal)),
            "t.textproto:3:3: cluster.shards: is 17, expected 1..16 (0: 1)");
  EXPECT_EQ(ErrorOf("workload {\n  steps { insert { pks: [1] } }\n  steps { delete { } }\n}\n"),
            "t.textproto:3:11: workload.steps[1].delete: must list at least one primary key");
  EXPECT_EQ(ErrorOf("cluster { metric: \"HAMMING\" }\n" + std::string(kMinimal)),
            "t.textproto:1:11: cluster.metric: is 'HAMMING', expected L2, IP or COSINE");
  const std::string node = ErrorOf(std::string(kMinimal) +
                                   "nemesis {\n  faults { kind: \"crash\" nodes: \"qn-9\" }\n}\n");
  EXPECT_EQ(node.rfind("t.textproto:3:26: nemesis.faults[0].nodes[0]: no node 'qn-9'", 0), 0u)
      << node;
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "nemesis { faults { kind: \"explode\" } }")
                .find("nemesis.faults[0].kind: is 'explode', expected one of split"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string(kMinimal) + "nemesis { faults { kind: \"split\" nodes: \"proxy-1\" } }")
          .find("needs the other side"),
      std::string::npos);
  EXPECT_NE(
      ErrorOf("description: \"nothing to do\"\n").find("workload: must have at least one step"),
      std::string::npos);
  EXPECT_NE(ErrorOf("workload { steps { label: \"idle\" } }").find("has no operation"),
            std::string::npos);
}

TEST(ScenarioFile, FaultParametersAreCheckedAgainstTheCatalogue) {
  auto fault = [](const std::string& body) {
    return ErrorOf(std::string(kMinimal) + "nemesis {\n  faults { " + body + " }\n}\n");
  };
  EXPECT_EQ(fault("kind: \"link-loss\" nodes: \"kafka\" duration_ms: 100 probability: 0.2"), "OK");
  EXPECT_EQ(fault("kind: \"link-loss\" nodes: \"kafka\" duration_ms: 100 probability: 1.5"),
            "t.textproto:3:62: nemesis.faults[0].probability: is 1.500000, expected a value in "
            "(0, 1]");
  EXPECT_NE(fault("kind: \"link-delay\" nodes: \"kafka\" duration_ms: 100")
                .find("delay_ms: is 0, expected 1..60000"),
            std::string::npos);
  EXPECT_NE(fault("kind: \"clock-jump\" nodes: \"rootcoord\"").find("jump_ms: is 0"),
            std::string::npos);
  EXPECT_NE(fault("kind: \"clock-skew\" nodes: \"rootcoord\" jump_ms: 5")
                .find("jump_ms: is for clock-jump only"),
            std::string::npos);
  EXPECT_EQ(fault("kind: \"crash-at\" nodes: \"datanode-1\" duration_ms: 100 point: "
                  "\"datanode/sync:after-binlogs\""),
            "OK");
  const std::string point =
      fault("kind: \"crash-at\" nodes: \"datanode-1\" duration_ms: 100 point: \"datanode/sync\"");
  EXPECT_NE(point.find("nemesis.faults[0].point: no crash point 'datanode/sync'; the points are "
                       "datanode/sync:after-binlogs"),
            std::string::npos)
      << point;
  EXPECT_NE(fault("kind: \"hold\" nodes: \"querynode-1\" probability: 0.5")
                .find("'hold' takes no probability"),
            std::string::npos);
  EXPECT_NE(fault("kind: \"kafka-down\" nodes: \"kafka\" duration_ms: 5").find("takes no nodes"),
            std::string::npos);
  EXPECT_NE(fault("kind: \"isolate\" nodes: \"proxy-1\" at_ms: -5")
                .find("at_ms: is -5, expected 0..3600000"),
            std::string::npos);
}

TEST(ScenarioFile, MissingFileIsNotFound) {
  Result<Scenario> missing = LoadScenarioFile("/no/such/dir/x.textproto");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/no/such/dir/x.textproto"), std::string::npos);
}

}  // namespace
}  // namespace simvus::scenarios
