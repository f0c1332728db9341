// The seed's own timeline (chapter 1.1.1, "快照隔离效果" / snapshot isolation):
//   t0 insert A   t1 insert B   t2 Strong search Q1 -> sees {A, B}
//   t3 delete A   t4 Strong search Q2 -> sees {B}
// Q1 runs after both inserts were acknowledged, so its TSO guarantee ts is above theirs and the
// query node waits until its tSafe covers it; Q2 likewise sees the delete of A.
#include "scenarios/timeline_scenario.h"

#include <map>
#include <set>

#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "seed_timeline";
constexpr int64_t kPkA = 1;
constexpr int64_t kPkB = 2;

std::string Names(const proto::SearchResults& results) {
  std::string out = "{";
  for (const proto::Hit& hit : results.hits()) {
    if (out.size() > 1) out += ", ";
    out += hit.pk() == kPkA ? "A" : hit.pk() == kPkB ? "B" : std::to_string(hit.pk());
  }
  return out + "}";
}

Task<Status> TimelineWorkload(Client& client, ScenarioContext& ctx) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 1);
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(std::move(schema));
  if (!created.ok()) co_return created.status();
  Status loaded = co_await client.LoadCollection(kCollection);
  if (!loaded.ok()) co_return loaded;

  // Arguments are built as named values first: GCC 12 miscompiles braced initializer lists
  // inside co_await expressions (see components/env/task.h).
  const std::vector<int64_t> pk_a = {kPkA}, pk_b = {kPkB};
  const std::vector<std::vector<float>> vec_a = {{1, 0, 0, 0}}, vec_b = {{0, 1, 0, 0}};
  const std::vector<float> query = {0.5f, 0.5f, 0, 0};
  Result<proto::MutationResult> a = co_await client.Insert("insert A", kCollection, pk_a, vec_a);
  if (!a.ok()) co_return a.status();
  ctx.say("t0  insert A        -> acked at ts " + ToString(Timestamp{a->timestamp()}));
  Result<proto::MutationResult> b = co_await client.Insert("insert B", kCollection, pk_b, vec_b);
  if (!b.ok()) co_return b.status();
  ctx.say("t1  insert B        -> acked at ts " + ToString(Timestamp{b->timestamp()}));
  Result<proto::SearchResults> q1 =
      co_await client.Search("Q1", kCollection, query, 10, proto::STRONG);
  if (!q1.ok()) co_return q1.status();
  ctx.say("t2  Strong search Q1 -> sees " + Names(*q1) + " (guarantee ts " +
          ToString(Timestamp{q1->guarantee_ts()}) + ")");
  Result<proto::MutationResult> d = co_await client.Delete("delete A", kCollection, pk_a);
  if (!d.ok()) co_return d.status();
  ctx.say("t3  delete A        -> acked at ts " + ToString(Timestamp{d->timestamp()}));
  Result<proto::SearchResults> q2 =
      co_await client.Search("Q2", kCollection, query, 10, proto::STRONG);
  if (!q2.ok()) co_return q2.status();
  ctx.say("t4  Strong search Q2 -> sees " + Names(*q2) + " (guarantee ts " +
          ToString(Timestamp{q2->guarantee_ts()}) + ")");
  co_return Status::Ok();
}

reports::CheckResult CheckTimeline(const reports::History& history) {
  // The seed's expectation, stated directly: Q1 sees exactly {A, B}, Q2 exactly {B}.
  const std::map<std::string, std::set<int64_t>> expected = {{"Q1", {kPkA, kPkB}}, {"Q2", {kPkB}}};
  reports::CheckResult result;
  for (const reports::Operation& op : history.ops()) {
    auto it = expected.find(op.label);
    if (it == expected.end()) continue;
    std::set<int64_t> seen;
    for (const reports::SearchHit& hit : op.hits) seen.insert(hit.pk);
    if (op.outcome != reports::Outcome::kOk || seen != it->second) {
      result.ok = false;
      result.invariant = "timeline-snapshot";
      result.detail = op.label + " saw " + std::to_string(seen.size()) + " row(s), outcome " +
                      std::string(reports::OutcomeName(op.outcome)) + " " + op.error +
                      "; the seed's timeline expects " + std::to_string(it->second.size());
      return result;
    }
  }
  return result;
}

}  // namespace

Scenario TimelineScenario() {
  Scenario s;
  s.name = "timeline";
  s.description =
      "the seed's timeline (1.1.1): insert A, insert B, Strong Q1 sees {A,B}, delete A, "
      "Strong Q2 sees {B}";
  s.setup = RandomLatency;
  s.workload = TimelineWorkload;
  s.real_backends = true;
  s.check = CheckTimeline;
  return s;
}

}  // namespace simvus::scenarios
