// ConfigKnobs: the knobs of roles::ClusterConfig by name, in two vocabularies.
//
// - By member name ("segment_max_size_bytes"), exact text values (durations in ns, "200000000ns"):
//   what a cluster file carries so that every process builds its roles from the same config.
// - By Milvus parameter name ("dataCoord.segment.maxSize"), in Milvus's own units (MB, ms, s, a
//   ratio): what a learner types (`simvus tour write-path --set dataCoord.segment.maxSize=0.008`).
//   Each parameter maps to one ClusterConfig field; cluster_config.h names the key beside it.
//
// Pure functions of their arguments: nothing here touches a simulated path's clock or randomness.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "components/roles/cluster_config.h"

namespace simvus::scenarios {

using ConfigMember = std::variant<Duration roles::ClusterConfig::*, int64_t roles::ClusterConfig::*,
                                  int32_t roles::ClusterConfig::*, double roles::ClusterConfig::*,
                                  std::string roles::ClusterConfig::*>;

struct ConfigKnob {
  std::string name;  // the member's name
  ConfigMember member;
};

// Every knob of ClusterConfig but the node names and the injected bug.
const std::vector<ConfigKnob>& ConfigKnobs();
const ConfigKnob* FindConfigKnob(const std::string& name);

// Exact text of a knob's value (durations "<n>ns") and its inverse; false if `text` is not a
// value of the knob's type.
std::string KnobText(const roles::ClusterConfig& config, const ConfigMember& member);
bool SetKnob(roles::ClusterConfig& config, const ConfigMember& member, const std::string& text);

// A Milvus parameter's unit, as milvus.yaml states it.
enum class MilvusUnit { kMegabytes, kBytes, kMillis, kSeconds, kRatio, kCount };

struct MilvusParam {
  std::string key;     // "dataCoord.segment.maxSize"
  std::string member;  // the ClusterConfig member it sets
  MilvusUnit unit;
  double min = 0;  // allowed range, in `unit`
  double max = 0;
  bool min_exclusive = false;  // (min, max] instead of [min, max]
  std::string meaning;         // one line: what it changes
};

// Every Milvus parameter a learner may set, in a fixed order.
const std::vector<MilvusParam>& MilvusParams();
const MilvusParam* FindMilvusParam(const std::string& key);
// "common.gracefulTime, dataCoord.segment.maxSize, ..." for error messages.
std::string MilvusParamKeys();

// Sets `key` to `value` (in the parameter's Milvus unit). nullopt when done; else what was wrong,
// naming the key, the value and what was expected. `config` is unchanged on error.
std::optional<std::string> SetMilvusParam(roles::ClusterConfig& config, const std::string& key,
                                          const std::string& value);
// The parameter's value in `config`, in its Milvus unit with the unit named ("0.015625 MB",
// "200 ms", "0.12").
std::string MilvusParamText(const roles::ClusterConfig& config, const MilvusParam& param);

}  // namespace simvus::scenarios
