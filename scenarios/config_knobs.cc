#include "scenarios/config_knobs.h"

#include <cmath>
#include <sstream>

namespace simvus::scenarios {
namespace {

using Config = roles::ClusterConfig;

std::string Number(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

const char* UnitName(MilvusUnit unit) {
  switch (unit) {
    case MilvusUnit::kMegabytes:
      return "MB";
    case MilvusUnit::kBytes:
      return "bytes";
    case MilvusUnit::kMillis:
      return "ms";
    case MilvusUnit::kSeconds:
      return "s";
    case MilvusUnit::kRatio:
      return "";
    case MilvusUnit::kCount:
      return "";
  }
  return "";
}

std::string Expected(const MilvusParam& p) {
  std::string what;
  switch (p.unit) {
    case MilvusUnit::kMegabytes:
      what = "a size in MB (decimals allowed)";
      break;
    case MilvusUnit::kBytes:
      what = "a whole number of bytes";
      break;
    case MilvusUnit::kMillis:
      what = "a time in milliseconds";
      break;
    case MilvusUnit::kSeconds:
      what = "a time in seconds";
      break;
    case MilvusUnit::kRatio:
      what = "a ratio";
      break;
    case MilvusUnit::kCount:
      what = "a whole number";
      break;
  }
  return what + " in " + (p.min_exclusive ? "(" : "[") + Number(p.min) + ", " + Number(p.max) + "]";
}

// A plain decimal number ("12", "0.008", "-1" is refused by the range checks), no exponent, no
// trailing text.
std::optional<double> ParseDecimal(const std::string& text, bool whole) {
  if (text.empty() || text.size() > 24) return std::nullopt;
  bool digits = false, dot = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !whole) {
      dot = true;
    } else if (c == '-' && i == 0) {
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

const std::vector<ConfigKnob>& ConfigKnobs() {
  static const std::vector<ConfigKnob> knobs = {
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

const ConfigKnob* FindConfigKnob(const std::string& name) {
  for (const ConfigKnob& knob : ConfigKnobs()) {
    if (knob.name == name) return &knob;
  }
  return nullptr;
}

std::string KnobText(const Config& config, const ConfigMember& member) {
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

bool SetKnob(Config& config, const ConfigMember& member, const std::string& text) {
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

const std::vector<MilvusParam>& MilvusParams() {
  using U = MilvusUnit;
  static const std::vector<MilvusParam> params = {
      {"rootCoord.dmlChannelNum", "dml_channel_num", U::kCount, 1, 16, false,
       "how many pchannels (log topics) the cluster has"},
      {"proxy.timeTickInterval", "time_tick_interval", U::kMillis, 10, 10000, false,
       "how often a proxy reports its time tick to RootCoord (and RootCoord ticks the channels)"},
      {"common.session.ttl", "session_ttl", U::kSeconds, 1, 3600, false,
       "how long a node's session lease lives without a keep-alive"},
      {"common.gracefulTime", "graceful_time", U::kMillis, 0, 86400000, false,
       "how stale a Bounded read may be: guarantee ts = proxy clock - gracefulTime"},
      {"queryNode.gracefulTime", "graceful_time", U::kMillis, 0, 86400000, false,
       "the same as common.gracefulTime (simvus keeps one knob for both)"},
      {"queryNode.scheduler.maxTimestampLag", "max_timestamp_lag", U::kSeconds, 1, 86400 * 7, false,
       "a read whose guarantee ts is this far ahead of tSafe fails at once"},
      {"dataCoord.segment.maxSize", "segment_max_size_bytes", U::kMegabytes, 0, 65536, true,
       "a segment's maximum size; it seals at maxSize * sealProportion"},
      {"dataCoord.segment.sealProportion", "seal_proportion", U::kRatio, 0, 1, true,
       "the fraction of maxSize at which a growing segment seals"},
      {"dataCoord.segment.assignmentExpiration", "assignment_expiration", U::kMillis, 1, 600000,
       false, "how long a proxy's segment row allocation stays valid"},
      {"dataCoord.segment.maxLife", "segment_max_life", U::kSeconds, 1, 86400 * 30, false,
       "a growing segment older than this seals"},
      {"dataCoord.segment.maxIdleTime", "segment_max_idle", U::kSeconds, 1, 86400 * 30, false,
       "a growing segment without writes for this long seals (if big enough)"},
      {"dataCoord.segment.minSizeFromIdleToSealed", "min_size_from_idle_to_sealed", U::kMegabytes,
       0, 65536, false, "the size an idle segment needs before idleness seals it"},
      {"dataCoord.segment.smallProportion", "small_proportion", U::kRatio, 0, 1, true,
       "segments below this fraction of the maximum rows are small: mix compaction merges them"},
      {"dataCoord.compaction.levelzero.triggerInterval", "l0_compaction_interval", U::kSeconds,
       0.01, 86400, false, "how often DataCoord looks for L0 compactions"},
      {"dataCoord.compaction.mix.triggerInterval", "mix_compaction_interval", U::kSeconds, 0.01,
       86400, false, "how often DataCoord looks for mix compactions"},
      {"dataCoord.gc.interval", "gc_interval", U::kSeconds, 0.01, 86400, false,
       "how often DataCoord's GC runs"},
      {"dataCoord.gc.dropTolerance", "gc_drop_tolerance", U::kSeconds, 0, 86400 * 7, false,
       "how long a Dropped segment's files are kept before GC removes them"},
      {"dataNode.channel.updateChannelCheckpointInterval", "channel_checkpoint_interval",
       U::kSeconds, 0.01, 3600, false, "how often a data node reports its channel checkpoints"},
      {"dataNode.segment.deleteBufBytes", "delete_buffer_bytes", U::kBytes, 16,
       double(int64_t{1} << 32), false,
       "a channel's delete buffer size; full, it is written as an L0 segment (16 B a delete)"},
      {"queryCoord.distPullInterval", "dist_pull_interval", U::kMillis, 10, 60000, false,
       "how often QueryCoord pulls every query node's distribution and runs its checkers"},
      {"queryCoord.UpdateNextTargetInterval", "next_target_interval", U::kSeconds, 0.01, 3600,
       false, "how often QueryCoord refreshes the next target from DataCoord's meta"},
      {"queryCoord.balanceIntervalSeconds", "balance_interval", U::kSeconds, 0.01, 3600, false,
       "how often QueryCoord balances segments over query nodes"},
      {"proxy.shardLeaderCacheInterval", "shard_leader_cache_ttl", U::kSeconds, 0.01, 3600, false,
       "how long a proxy caches the shard leaders (delegators)"},
  };
  return params;
}

const MilvusParam* FindMilvusParam(const std::string& key) {
  for (const MilvusParam& p : MilvusParams()) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::string MilvusParamKeys() {
  std::string keys;
  for (const MilvusParam& p : MilvusParams()) keys += (keys.empty() ? "" : ", ") + p.key;
  return keys;
}

std::optional<std::string> SetMilvusParam(Config& config, const std::string& key,
                                          const std::string& value) {
  const MilvusParam* p = FindMilvusParam(key);
  if (p == nullptr) {
    return "--set: unknown parameter '" + key + "'; known parameters: " + MilvusParamKeys();
  }
  const ConfigKnob* knob = FindConfigKnob(p->member);
  if (knob == nullptr) return "--set " + key + ": no ClusterConfig field " + p->member;
  const bool whole = p->unit == MilvusUnit::kCount || p->unit == MilvusUnit::kBytes;
  const std::optional<double> v = ParseDecimal(value, whole);
  const bool in_range = v && (p->min_exclusive ? *v > p->min : *v >= p->min) && *v <= p->max;
  if (!in_range) {
    return "--set " + key + "='" + value + "': expected " + Expected(*p);
  }
  std::string text;
  switch (p->unit) {
    case MilvusUnit::kMegabytes:
      text = std::to_string(std::llround(*v * 1048576.0));
      if (text == "0") return "--set " + key + "='" + value + "': rounds to 0 bytes";
      break;
    case MilvusUnit::kBytes:
    case MilvusUnit::kCount:
      text = value;
      break;
    case MilvusUnit::kMillis:
      text = std::to_string(std::llround(*v * 1e6)) + "ns";
      break;
    case MilvusUnit::kSeconds:
      text = std::to_string(std::llround(*v * 1e9)) + "ns";
      break;
    case MilvusUnit::kRatio:
      text = value;
      break;
  }
  Config changed = config;
  if (!SetKnob(changed, knob->member, text)) {
    return "--set " + key + "='" + value + "': expected " + Expected(*p);
  }
  config = changed;
  return std::nullopt;
}

std::string MilvusParamText(const Config& config, const MilvusParam& param) {
  const ConfigKnob* knob = FindConfigKnob(param.member);
  if (knob == nullptr) return "?";
  const std::string raw = KnobText(config, knob->member);
  double v = std::strtod(raw.c_str(), nullptr);  // "<n>ns" parses as n
  switch (param.unit) {
    case MilvusUnit::kMegabytes: {
      // The shortest decimal that names the same number of bytes: 0.008 MB, not 0.00800037.
      const double bytes = v;
      for (int digits = 1; digits <= 12; ++digits) {
        std::ostringstream out;
        out.precision(digits);
        out << bytes / 1048576.0;
        if (std::llround(std::strtod(out.str().c_str(), nullptr) * 1048576.0) ==
            std::llround(bytes)) {
          return out.str() + " MB";
        }
      }
      v /= 1048576.0;
      break;
    }
    case MilvusUnit::kMillis:
      v /= 1e6;
      break;
    case MilvusUnit::kSeconds:
      v /= 1e9;
      break;
    default:
      break;
  }
  const std::string unit = UnitName(param.unit);
  return Number(v) + (unit.empty() ? "" : " " + unit);
}

}  // namespace simvus::scenarios
