// The cluster file carries the whole config to every process: what `simvus up` or a
// `--processes` run writes, each `simvus serve` reads back unchanged (so a process builds its
// roles from exactly the writer's config), and a damaged file is refused naming the key.
#include "scenarios/server/cluster_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace simvus::scenarios {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + std::to_string(getpid()))).string();
}

std::string Text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ClusterFileTest, EveryKnobAndNameSurvivesTheRoundTrip) {
  ClusterFile file;
  file.backends = {{"ETCD_ENDPOINTS", "http://127.0.0.1:2379"}, {"S3_BUCKET", "simvus"}};
  file.nodes = {{"proxy-1", "127.0.0.1:4001"}, {"querynode-2", "127.0.0.1:4002"}};
  file.milvus_address = "127.0.0.1:19530";
  file.metrics = {{"proxy-1", "127.0.0.1:9101"}, {"all", "127.0.0.1:9100"}};
  file.config.query_nodes = {"querynode-1", "querynode-2"};
  file.config.proxies = {"proxy-1", "proxy-2"};
  file.config.index_nodes = {"indexnode-1"};
  file.config.session_ttl = Duration::Seconds(5);
  file.config.segment_max_size_bytes = 16 << 10;
  file.config.seal_proportion = 0.37;
  file.config.index_build_cost_per_value = Duration::Nanos(3);
  file.config.cluster_prefix = "simvus-77";
  file.config.dml_channel_num = 3;
  file.config.injected_bug = roles::ClusterConfig::InjectedBug::kIgnoreDeletes;
  const std::string path = TempPath("cluster-file-");
  ASSERT_TRUE(WriteClusterFile(path, file).ok());
  Result<ClusterFile> read = ReadClusterFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->backends, file.backends);
  EXPECT_EQ(read->nodes, file.nodes);
  EXPECT_EQ(read->milvus_address, file.milvus_address);
  EXPECT_EQ(read->metrics, file.metrics);
  EXPECT_EQ(read->config.query_nodes, file.config.query_nodes);
  EXPECT_EQ(read->config.proxies, file.config.proxies);
  EXPECT_EQ(read->config.index_nodes, file.config.index_nodes);
  EXPECT_EQ(read->config.session_ttl.ns, Duration::Seconds(5).ns);
  EXPECT_EQ(read->config.segment_max_size_bytes, 16 << 10);
  EXPECT_DOUBLE_EQ(read->config.seal_proportion, 0.37);
  EXPECT_EQ(read->config.index_build_cost_per_value.ns, 3);
  EXPECT_EQ(read->config.cluster_prefix, "simvus-77");
  EXPECT_EQ(read->config.dml_channel_num, 3);
  EXPECT_EQ(read->config.injected_bug, roles::ClusterConfig::InjectedBug::kIgnoreDeletes);
  // Whatever the file holds is read back whole: writing what was read gives the same text.
  const std::string again = TempPath("cluster-file-again-");
  ASSERT_TRUE(WriteClusterFile(again, *read).ok());
  EXPECT_EQ(Text(path), Text(again));
  std::filesystem::remove(path);
  std::filesystem::remove(again);
}

TEST(ClusterFileTest, ADamagedFileIsRefusedNamingTheKey) {
  const std::string path = TempPath("cluster-file-bad-");
  ClusterFile file;
  ASSERT_TRUE(WriteClusterFile(path, file).ok());
  const std::string good = Text(path);
  const std::vector<std::pair<std::string, std::string>> damages = {
      {"config.session_ttl=soon\n", "config.session_ttl"},
      {"config.no_such_knob=1\n", "config.no_such_knob"},
      {"config.injected_bug=teleport\n", "teleport"},
      {"cluster.query_nodes=\n", "each name at least one node"},
      {"milvus.adress=127.0.0.1:1\n", "milvus.adress"},
      {"metrics.proxy-1=127.0.0.1\n", "expected metrics.<process>=HOST:PORT"},
      {"metrics.proxy-1=127.0.0.1:http\n", "metrics.proxy-1"},
      {"metrics.=127.0.0.1:9100\n", "metrics."},
  };
  for (const auto& [line, named] : damages) {
    std::ofstream(path) << good << line;
    Result<ClusterFile> read = ReadClusterFile(path);
    ASSERT_FALSE(read.ok()) << line;
    EXPECT_NE(read.status().message().find(named), std::string::npos) << read.status().message();
  }
  std::filesystem::remove(path);
  EXPECT_EQ(ReadClusterFile(path).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace simvus::scenarios
