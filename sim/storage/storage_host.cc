#include "sim/storage/storage_host.h"

#include <utility>

namespace simvus::sim {

StorageHost::StorageHost(SimWorld& world, NodeId host, std::string service, SimServiceFaults faults)
    : world_(world),
      host_(host),
      service_(std::move(service)),
      faults_(faults),
      rng_(world.ForkRng("storage/" + service_ + "/faults")) {}

void StorageHost::AddOutage(Instant start, Instant end, Status status) {
  SIMVUS_CHECK(!status.ok(), "an outage needs a failing status");
  outages_.push_back({start, end, std::move(status)});
}

Status StorageHost::OutageAt(Instant now) const {
  for (const OutageWindow& w : outages_) {
    if (w.start <= now && now < w.end) return w.status;
  }
  return Status::Ok();
}

bool StorageHost::Serving() const {
  return world_.Status(host_) == NodeStatus::kUp && OutageAt(world_.scheduler().now()).ok();
}

void StorageHost::Note(std::string kind, std::string text) {
  world_.trace().Record(
      {TraceLevel::kDetail, world_.NodeName(host_), std::move(kind), {}, {}, std::move(text)});
}

Task<void> StorageHost::Sleep(Duration d) {
  Signal woke(world_.ExecutorOf(host_));
  world_.scheduler().After(d, [woke] { woke.Set(Unit{}); });
  co_await woke;
}

Signal StorageHost::MakeHostSignal() { return Signal(world_.ExecutorOf(host_)); }

StorageHost::Draw StorageHost::DrawFaults() {
  Draw draw;
  Status outage = OutageAt(world_.scheduler().now());
  if (!outage.ok()) {
    counters_.refused_by_outage++;
    draw.refusal = outage;
    return draw;
  }
  auto hit = [this](double p) { return p > 0 && rng_.Bernoulli(p); };
  if (hit(faults_.unavailable_probability)) {
    counters_.refused++;
    draw.refusal = Unavailable(service_ + ": service unavailable (injected)");
    return draw;
  }
  if (hit(faults_.throttle_probability)) {
    counters_.throttled++;
    draw.refusal = ResourceExhausted(service_ + ": 503 SlowDown, reduce your request rate");
    return draw;
  }
  if (hit(faults_.lost_request_probability)) {
    counters_.lost_requests++;
    draw.lose_request = true;
    return draw;
  }
  if (hit(faults_.slow_probability)) {
    counters_.slowed++;
    draw.extra_delay = Duration::Nanos(rng_.UniformInt(0, faults_.slow_delay_max.ns));
  }
  if (hit(faults_.lost_reply_probability)) {
    counters_.lost_replies++;
    draw.lose_reply = true;
  }
  return draw;
}

}  // namespace simvus::sim
