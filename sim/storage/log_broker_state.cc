#include "sim/storage/log_broker_state.h"

#include <algorithm>

namespace simvus::sim {

namespace {
std::string Name(const TopicPartition& tp) { return tp.topic + "/" + std::to_string(tp.partition); }
}  // namespace

Status LogBrokerState::UnknownPartition(const TopicPartition& tp) {
  return NotFound("unknown topic or partition " + Name(tp));
}

Status LogBrokerState::CreateTopic(const std::string& topic, int32_t partitions) {
  if (topic.empty()) return InvalidArgument("topic name is empty");
  if (partitions < 1) {
    return InvalidArgument("topic " + topic + ": partitions " + std::to_string(partitions) +
                           ", expected at least 1");
  }
  auto it = topics_.find(topic);
  if (it != topics_.end()) {
    if (static_cast<int32_t>(it->second.size()) == partitions) return Status::Ok();
    return AlreadyExists("topic " + topic + " exists with " + std::to_string(it->second.size()) +
                         " partitions, not " + std::to_string(partitions));
  }
  topics_[topic].resize(static_cast<size_t>(partitions));
  return Status::Ok();
}

LogBrokerState::Partition* LogBrokerState::Find(const TopicPartition& tp) {
  auto it = topics_.find(tp.topic);
  if (it == topics_.end() || tp.partition < 0 ||
      tp.partition >= static_cast<int32_t>(it->second.size())) {
    return nullptr;
  }
  return &it->second[static_cast<size_t>(tp.partition)];
}

const LogBrokerState::Partition* LogBrokerState::Find(const TopicPartition& tp) const {
  return const_cast<LogBrokerState*>(this)->Find(tp);
}

bool LogBrokerState::HasPartition(const TopicPartition& tp) const { return Find(tp) != nullptr; }

void LogBrokerState::Enforce(Partition& p, Instant now) {
  auto pop = [&p] {
    p.bytes -= static_cast<int64_t>(p.records.front().payload.size());
    p.records.pop_front();
    p.low++;
  };
  if (retention_.time_max > Duration::Zero()) {
    while (!p.records.empty() && p.records.front().appended + retention_.time_max <= now) pop();
  }
  if (retention_.bytes_per_partition_max > 0) {
    while (!p.records.empty() && p.bytes > retention_.bytes_per_partition_max) pop();
  }
}

Result<LogPosition> LogBrokerState::Append(const TopicPartition& tp, Bytes payload, Instant now) {
  Partition* p = Find(tp);
  if (p == nullptr) return UnknownPartition(tp);
  const int64_t offset = p->high();
  p->bytes += static_cast<int64_t>(payload.size());
  p->records.push_back({std::move(payload), now});
  Enforce(*p, now);
  return LogPosition{tp, offset};
}

Result<Watermarks> LogBrokerState::GetWatermarks(const TopicPartition& tp, Instant now) {
  Partition* p = Find(tp);
  if (p == nullptr) return UnknownPartition(tp);
  Enforce(*p, now);
  return Watermarks{p->low, p->high()};
}

Result<std::vector<LogRecord>> LogBrokerState::Read(const TopicPartition& tp, int64_t offset,
                                                    int32_t max_records, Instant now) {
  Partition* p = Find(tp);
  if (p == nullptr) return UnknownPartition(tp);
  Enforce(*p, now);
  if (offset < p->low) {
    return OutOfRange("offset " + std::to_string(offset) + " of " + Name(tp) +
                      " was removed by retention; earliest is " + std::to_string(p->low));
  }
  if (offset > p->high()) {
    return OutOfRange("offset " + std::to_string(offset) + " of " + Name(tp) +
                      " is past the high watermark " + std::to_string(p->high()));
  }
  std::vector<LogRecord> out;
  const int64_t end = std::min(p->high(), offset + std::max<int64_t>(max_records, 0));
  out.reserve(static_cast<size_t>(end - offset));
  for (int64_t o = offset; o < end; ++o) {
    out.push_back({o, p->records[static_cast<size_t>(o - p->low)].payload});
  }
  return out;
}

Status LogBrokerState::Commit(const std::string& group, const TopicPartition& tp, int64_t offset) {
  if (Find(tp) == nullptr) return UnknownPartition(tp);
  if (offset < 0) return InvalidArgument("commit offset " + std::to_string(offset) + " < 0");
  committed_[{group, tp}] = offset;
  return Status::Ok();
}

Result<int64_t> LogBrokerState::FetchCommitted(const std::string& group,
                                               const TopicPartition& tp) const {
  if (Find(tp) == nullptr) return UnknownPartition(tp);
  auto it = committed_.find({group, tp});
  if (it == committed_.end()) {
    return NotFound("group " + group + " has committed nothing for " + Name(tp));
  }
  return it->second;
}

Result<int64_t> LogBrokerState::StartOffset(const std::string& group, const TopicPartition& tp,
                                            Instant now) {
  Partition* p = Find(tp);
  if (p == nullptr) return UnknownPartition(tp);
  Enforce(*p, now);
  auto it = committed_.find({group, tp});
  return it == committed_.end() ? p->low : it->second;
}

int64_t LogBrokerState::RemoveBefore(const TopicPartition& tp, int64_t offset) {
  Partition* p = Find(tp);
  if (p == nullptr) return 0;
  int64_t removed = 0;
  while (!p->records.empty() && p->low < offset) {
    p->bytes -= static_cast<int64_t>(p->records.front().payload.size());
    p->records.pop_front();
    p->low++;
    removed++;
  }
  return removed;
}

int64_t LogBrokerState::RemoveAppendedBefore(Instant cutoff) {
  int64_t removed = 0;
  for (auto& [topic, parts] : topics_) {
    for (Partition& p : parts) {
      while (!p.records.empty() && p.records.front().appended < cutoff) {
        p.bytes -= static_cast<int64_t>(p.records.front().payload.size());
        p.records.pop_front();
        p.low++;
        removed++;
      }
    }
  }
  return removed;
}

std::vector<TopicPartition> LogBrokerState::AllPartitions() const {
  std::vector<TopicPartition> out;
  for (const auto& [topic, parts] : topics_) {
    for (size_t i = 0; i < parts.size(); ++i) out.push_back({topic, static_cast<int32_t>(i)});
  }
  return out;
}

}  // namespace simvus::sim
