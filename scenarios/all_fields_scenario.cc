#include "scenarios/all_fields_scenario.h"

#include <string>
#include <vector>

#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "all_fields";
constexpr int32_t kDim = 4;
constexpr int kBatches = 4;
constexpr int kRowsPerBatch = 6;

proto::CollectionSchema AllFieldsSchema(proto::MetricType metric) {
  return roles::WithEveryScalarField(PkVectorSchema(kCollection, kDim, 2, metric), 16);
}

// Rows [first, first + n): no vector is zero (COSINE needs a norm) and no two are parallel.
proto::InsertRequest Batch(int64_t first, int n) {
  proto::InsertRequest request;
  request.set_collection(kCollection);
  proto::FieldData* pk = request.add_fields();
  pk->set_name("pk");
  proto::FieldData* vec = request.add_fields();
  vec->set_name("vec");
  vec->set_dim(kDim);
  proto::FieldData* age = request.add_fields();
  age->set_name("age");
  proto::FieldData* score = request.add_fields();
  score->set_name("score");
  proto::FieldData* flag = request.add_fields();
  flag->set_name("flag");
  proto::FieldData* name = request.add_fields();
  name->set_name("name");
  for (int64_t p = first; p < first + n; ++p) {
    pk->add_int64_data(p);
    vec->add_float_vector(static_cast<float>(p % 3 + 1));
    vec->add_float_vector(static_cast<float>(p % 5) - 2.0f);
    vec->add_float_vector(0.5f + static_cast<float>(p) / 8);
    vec->add_float_vector(static_cast<float>(p % 7) / 3);
    age->add_int64_data(20 + p);
    score->add_double_data(static_cast<double>(p) / 4);
    flag->add_bool_data(p % 2 == 0);
    name->add_string_data("row-" + std::to_string(p));
  }
  return request;
}

Task<Status> AllFieldsWorkload(Client& client, ScenarioContext& ctx) {
  Rng rng = ctx.ForkRng("scenario/all-fields/metric");
  const proto::MetricType metric = static_cast<proto::MetricType>(rng.UniformInt(0, 2));
  ctx.say("collection with pk, vec, age, score, flag and name; metric " +
          proto::MetricType_Name(metric));
  Result<proto::CollectionInfo> created = co_await client.CreateCollection(AllFieldsSchema(metric));
  if (!created.ok()) co_return created.status();
  Status loaded = co_await client.LoadCollection(kCollection);
  if (!loaded.ok()) co_return loaded;

  const std::vector<float> query = {1.0f, -1.0f, 1.0f, 0.5f};
  for (int b = 0; b < kBatches; ++b) {
    const int64_t first = 1 + b * kRowsPerBatch;
    proto::InsertRequest batch = Batch(first, kRowsPerBatch);
    Result<proto::MutationResult> inserted = co_await client.InsertRaw(
        "insert rows " + std::to_string(first) + ".." + std::to_string(first + kRowsPerBatch - 1),
        std::move(batch));
    if (!inserted.ok()) co_return inserted.status();
    ctx.say("insert of " + std::to_string(kRowsPerBatch) +
            " rows with every field -> acked at ts " + ToString(Timestamp{inserted->timestamp()}));
    if (b % 2 == 1) {
      const std::vector<int64_t> victims = {first, first + 2};
      Result<proto::MutationResult> deleted =
          co_await client.Delete("delete " + std::to_string(first), kCollection, victims);
      if (!deleted.ok()) co_return deleted.status();
    }
    Result<proto::SearchResults> read =
        co_await client.Search("Q" + std::to_string(b + 1), kCollection, query, 5, proto::STRONG);
    if (!read.ok()) co_return read.status();
    std::string hits;
    for (const proto::Hit& h : read->hits()) {
      hits += (hits.empty() ? "" : ", ") + std::to_string(h.pk()) + ":" +
              std::to_string(h.distance()).substr(0, 6);
    }
    ctx.say("Strong search Q" + std::to_string(b + 1) + " -> {" + hits + "}");
  }
  co_return Status::Ok();
}

}  // namespace

Scenario AllFieldsScenario() {
  Scenario s;
  s.name = "all-fields";
  s.description =
      "rows with INT64, DOUBLE, BOOL and VARCHAR fields beside the vector, scored by the "
      "schema's metric (L2, IP or COSINE per seed), each write cut into messages of 64 bytes "
      "of rows; every Strong search checked";
  s.setup = [](sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng) {
    RandomLatency(world, config, rng);
    // Every write cut into one InsertMsg per row or two: the checker then holds the proxy's
    // cutting (every row in exactly one message, all at the write's ts).
    config.dml_max_message_bytes = 64;
  };
  s.workload = AllFieldsWorkload;
  s.real_backends = true;
  return s;
}

}  // namespace simvus::scenarios
