#include "scenarios/server/cluster_file.h"

#include <fstream>
#include <sstream>

#include "real/endpoints.h"
#include "scenarios/config_knobs.h"
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
    } else if (key.rfind("metrics.", 0) == 0) {
      const size_t colon = value.rfind(':');
      const std::string port = colon == std::string::npos ? "" : value.substr(colon + 1);
      if (key.size() == 8 || colon == 0 || port.empty() ||
          port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
          std::stoi(port) > 65535) {
        return InvalidArgument(path + ": " + key + ": '" + value +
                               "', expected metrics.<process>=HOST:PORT");
      }
      file.metrics[key.substr(8)] = value;
    } else if (key == "config.injected_bug") {
      std::optional<Config::InjectedBug> bug = ParseInjectedBug(value);
      if (!bug)
        return InvalidArgument(path + ": config.injected_bug: no bug named '" + value + "'");
      file.config.injected_bug = *bug;
    } else if (key.rfind("config.", 0) == 0) {
      bool known = false;
      for (const ConfigKnob& knob : ConfigKnobs()) {
        if (key.substr(7) != knob.name) continue;
        known = true;
        if (!SetKnob(file.config, knob.member, value)) {
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
  for (const ConfigKnob& knob : ConfigKnobs()) {
    out << "config." << knob.name << "=" << KnobText(file.config, knob.member) << "\n";
  }
  if (file.config.injected_bug != Config::InjectedBug::kNone) {
    out << "config.injected_bug=" << InjectedBugName(file.config.injected_bug) << "\n";
  }
  for (const auto& [name, address] : file.nodes) out << "node." << name << "=" << address << "\n";
  if (!file.milvus_address.empty()) out << "milvus.address=" << file.milvus_address << "\n";
  for (const auto& [name, address] : file.metrics) {
    out << "metrics." << name << "=" << address << "\n";
  }
  out.close();
  if (!out) return Internal("writing " + path + " failed");
  return Status();
}

}  // namespace simvus::scenarios
