#include "scenarios/server/cluster_file.h"

#include <fstream>
#include <sstream>
#include <variant>

#include "real/endpoints.h"
#include "scenarios/runner.h"

namespace simvus::scenarios {

namespace {

std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ",") + name;
  return list;
}

using Config = roles::ClusterConfig;
using Member = std::variant<Duration Config::*, int64_t Config::*, int32_t Config::*,
                            double Config::*, std::string Config::*>;

// Every knob of ClusterConfig but the node names (cluster.*) and the injected bug, by its member
// name: a process builds its roles from exactly the config the writer had.
const std::vector<std::pair<std::string, Member>>& Knobs() {
  static const std::vector<std::pair<std::string, Member>> knobs = {
      {"dml_channel_num", &Config::dml_channel_num},
      {"cluster_prefix", &Config::cluster_prefix},
      {"tso_update_step", &Config::tso_update_step},
      {"tso_save_window", &Config::tso_save_window},
      {"time_tick_interval", &Config::time_tick_interval},
      {"session_ttl", &Config::session_ttl},
      {"graceful_time", &Config::graceful_time},
      {"max_timestamp_lag", &Config::max_timestamp_lag},
      {"rpc_deadline", &Config::rpc_deadline},
      {"dml_max_message_bytes", &Config::dml_max_message_bytes},
      {"read_wait_max", &Config::read_wait_max},
      {"segment_max_size_bytes", &Config::segment_max_size_bytes},
      {"seal_proportion", &Config::seal_proportion},
      {"assignment_expiration", &Config::assignment_expiration},
      {"segment_max_life", &Config::segment_max_life},
      {"segment_max_idle", &Config::segment_max_idle},
      {"min_size_from_idle_to_sealed", &Config::min_size_from_idle_to_sealed},
      {"channel_checkpoint_interval", &Config::channel_checkpoint_interval},
      {"delete_buffer_bytes", &Config::delete_buffer_bytes},
      {"sync_retry_max_backoff", &Config::sync_retry_max_backoff},
      {"object_store_root", &Config::object_store_root},
      {"l0_compaction_interval", &Config::l0_compaction_interval},
      {"mix_compaction_interval", &Config::mix_compaction_interval},
      {"small_proportion", &Config::small_proportion},
      {"gc_interval", &Config::gc_interval},
      {"gc_drop_tolerance", &Config::gc_drop_tolerance},
      {"index_task_timeout", &Config::index_task_timeout},
      {"index_build_cost_per_value", &Config::index_build_cost_per_value},
      {"dist_pull_interval", &Config::dist_pull_interval},
      {"next_target_interval", &Config::next_target_interval},
      {"balance_interval", &Config::balance_interval},
      {"shard_leader_cache_ttl", &Config::shard_leader_cache_ttl},
      {"read_retry_budget", &Config::read_retry_budget},
      {"segment_load_cost_per_row", &Config::segment_load_cost_per_row},
  };
  return knobs;
}

// Durations are written in nanoseconds ("200000000ns"), exactly.
std::string KnobText(const Config& config, const Member& member) {
  return std::visit(
      [&config](auto pointer) -> std::string {
        const auto& value = config.*pointer;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, Duration>) {
          return std::to_string(value.ns) + "ns";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return value;
        } else if constexpr (std::is_same_v<T, double>) {
          std::ostringstream out;
          out.precision(17);
          out << value;
          return out.str();
        } else {
          return std::to_string(value);
        }
      },
      member);
}

bool SetKnob(Config& config, const Member& member, const std::string& text) {
  return std::visit(
      [&config, &text](auto pointer) -> bool {
        auto& value = config.*pointer;
        using T = std::decay_t<decltype(value)>;
        size_t used = 0;
        try {
          if constexpr (std::is_same_v<T, Duration>) {
            if (text.size() < 3 || text.substr(text.size() - 2) != "ns") return false;
            value = Duration::Nanos(std::stoll(text, &used));
            return used == text.size() - 2;
          } else if constexpr (std::is_same_v<T, std::string>) {
            value = text;
            return true;
          } else if constexpr (std::is_same_v<T, double>) {
            value = std::stod(text, &used);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            value = std::stoll(text, &used);
          } else {
            value = static_cast<int32_t>(std::stol(text, &used));
          }
        } catch (const std::exception&) {
          return false;
        }
        return used == text.size();
      },
      member);
}

}  // namespace

Result<ClusterFile> ReadClusterFile(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) return NotFound("cannot read the cluster file " + path);
  ClusterFile file;
  for (const auto& [key, value] : real::ReadEnvFile(path)) {
    if (key.rfind("node.", 0) == 0) {
      file.nodes[key.substr(5)] = value;
    } else if (key == "cluster.proxies") {
      file.config.proxies = SplitNames(value);
    } else if (key == "cluster.data_nodes") {
      file.config.data_nodes = SplitNames(value);
    } else if (key == "cluster.index_nodes") {
      file.config.index_nodes = SplitNames(value);
    } else if (key == "cluster.query_nodes") {
      file.config.query_nodes = SplitNames(value);
    } else if (key == "milvus.address") {
      file.milvus_address = value;
    } else if (key == "config.injected_bug") {
      std::optional<Config::InjectedBug> bug = ParseInjectedBug(value);
      if (!bug)
        return InvalidArgument(path + ": config.injected_bug: no bug named '" + value + "'");
      file.config.injected_bug = *bug;
    } else if (key.rfind("config.", 0) == 0) {
      bool known = false;
      for (const auto& [name, member] : Knobs()) {
        if (key.substr(7) != name) continue;
        known = true;
        if (!SetKnob(file.config, member, value)) {
          return InvalidArgument(path + ": " + key + ": cannot read '" + value + "'");
        }
      }
      if (!known) return InvalidArgument(path + ": unknown key '" + key + "'");
    } else if (key.find('.') != std::string::npos) {
      return InvalidArgument(path + ": unknown key '" + key + "'");
    } else {
      file.backends[key] = value;
    }
  }
  if (file.config.proxies.empty() || file.config.data_nodes.empty() ||
      file.config.query_nodes.empty() || file.config.index_nodes.empty()) {
    return InvalidArgument(path +
                           ": cluster.proxies, .data_nodes, .index_nodes and .query_nodes "
                           "each name at least one node");
  }
  return file;
}

Status WriteClusterFile(const std::string& path, const ClusterFile& file) {
  std::ofstream out(path);
  if (!out) return InvalidArgument("cannot write " + path);
  out << "# simvus cluster file: written by `simvus up`, read by every `simvus serve`.\n";
  for (const auto& [key, value] : file.backends) out << key << "=" << value << "\n";
  out << "cluster.proxies=" << JoinNames(file.config.proxies) << "\n";
  out << "cluster.data_nodes=" << JoinNames(file.config.data_nodes) << "\n";
  out << "cluster.index_nodes=" << JoinNames(file.config.index_nodes) << "\n";
  out << "cluster.query_nodes=" << JoinNames(file.config.query_nodes) << "\n";
  for (const auto& [name, member] : Knobs()) {
    out << "config." << name << "=" << KnobText(file.config, member) << "\n";
  }
  if (file.config.injected_bug != Config::InjectedBug::kNone) {
    out << "config.injected_bug=" << InjectedBugName(file.config.injected_bug) << "\n";
  }
  for (const auto& [name, address] : file.nodes) out << "node." << name << "=" << address << "\n";
  if (!file.milvus_address.empty()) out << "milvus.address=" << file.milvus_address << "\n";
  out.close();
  if (!out) return Internal("writing " + path + " failed");
  return Status();
}

}  // namespace simvus::scenarios
