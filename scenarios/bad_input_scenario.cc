#include "scenarios/bad_input_scenario.h"

#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {
namespace {

constexpr char kCollection[] = "bad_input";

proto::InsertRequest Request(const std::string& collection, int32_t dim) {
  proto::InsertRequest request;
  request.set_collection(collection);
  proto::FieldData* pk = request.add_fields();
  pk->set_name("pk");
  pk->add_int64_data(7);
  proto::FieldData* vec = request.add_fields();
  vec->set_name("vec");
  vec->set_dim(dim);
  for (int32_t d = 0; d < dim; ++d) vec->add_float_vector(0.25f);
  return request;
}

Task<Status> BadInputWorkload(Client& client, ScenarioContext& ctx) {
  proto::CollectionSchema schema = PkVectorSchema(kCollection, 4, 1);

  proto::CollectionSchema duplicate = schema;
  *duplicate.add_fields() = schema.fields(1);
  duplicate.set_name("dup_fields");
  Result<proto::CollectionInfo> rejected = co_await client.CreateCollection(duplicate);
  ctx.say("create with a duplicate field -> " + rejected.status().ToString());

  // A VARCHAR field without max_length, and a field name the segments reject (that one passed
  // validation once, and then failed the load on every query node).
  proto::CollectionSchema no_max_length = schema;
  no_max_length.set_name("no_max_length");
  proto::FieldSchema* name = no_max_length.add_fields();
  name->set_name("name");
  name->set_type(proto::VARCHAR);
  rejected = co_await client.CreateCollection(no_max_length);
  ctx.say("create with a VARCHAR field without max_length -> " + rejected.status().ToString());
  proto::CollectionSchema bad_name = schema;
  bad_name.set_name("bad_field_name");
  bad_name.mutable_fields(1)->set_name("`k");
  rejected = co_await client.CreateCollection(bad_name);
  ctx.say("create with field name '`k' -> " + rejected.status().ToString());

  Result<proto::CollectionInfo> created = co_await client.CreateCollection(schema);
  if (!created.ok()) co_return created.status();
  Status loaded = co_await client.LoadCollection(kCollection);
  if (!loaded.ok()) co_return loaded;
  const std::vector<int64_t> pks = {1};
  const std::vector<std::vector<float>> vectors = {{1, 0, 0, 0}};
  Result<proto::MutationResult> good =
      co_await client.Insert("insert A", kCollection, pks, vectors);
  if (!good.ok()) co_return good.status();
  ctx.say("insert A -> acked at ts " + ToString(Timestamp{good->timestamp()}));

  proto::InsertRequest wrong_dim = Request(kCollection, 3);
  proto::InsertRequest unknown = Request("no_such_collection", 4);
  proto::InsertRequest dup_field = Request(kCollection, 4);
  *dup_field.add_fields() = dup_field.fields(0);
  proto::InsertRequest wrong_pk = Request(kCollection, 4);
  wrong_pk.mutable_fields(0)->clear_int64_data();
  wrong_pk.mutable_fields(0)->add_string_data("seven");
  const std::vector<std::pair<std::string, proto::InsertRequest>> bad = {
      {"wrong vector dimension", wrong_dim},
      {"unknown collection", unknown},
      {"duplicate field", dup_field},
      {"wrong primary key type", wrong_pk}};
  for (const auto& [label, request] : bad) {
    Result<proto::MutationResult> r = co_await client.InsertRaw(label, request);
    ctx.say(label + " -> " + r.status().ToString());
  }
  Result<proto::FlushResponse> flushed =
      co_await client.Flush("flush of an unknown collection", "no_such_collection");
  ctx.say("flush of an unknown collection -> " + flushed.status().ToString());
  const std::vector<float> query = {1, 0, 0, 0};
  Result<proto::SearchResults> read =
      co_await client.Search("read back", kCollection, query, 10, proto::STRONG);
  if (!read.ok()) co_return read.status();
  ctx.say("Strong search after the bad requests -> " + std::to_string(read->hits_size()) +
          " row(s): the acknowledged insert is intact");
  co_return Status::Ok();
}

reports::CheckResult CheckBadInput(const reports::History& history) {
  reports::CheckResult result;
  for (const reports::Operation& op : history.ops()) {
    const bool should_fail = op.label.find("wrong") != std::string::npos ||
                             op.label.find("unknown") != std::string::npos ||
                             op.label.find("duplicate") != std::string::npos ||
                             op.label == "create dup_fields" || op.label == "create with_scalar" ||
                             op.label == "create bad_field_name";
    if (should_fail && op.outcome != reports::Outcome::kFail) {
      result.ok = false;
      result.invariant = "bad-input-accepted";
      result.detail = op.label + " was not rejected (outcome " +
                      std::string(reports::OutcomeName(op.outcome)) + ")";
      return result;
    }
    if (op.label == "flush of an unknown collection" &&
        op.error.find("\"no_such_collection\" does not exist") == std::string::npos) {
      result.ok = false;
      result.invariant = "bad-input-accepted";
      result.detail = "the flush of an unknown collection did not say which: " + op.error;
      return result;
    }
    if (op.label == "read back" && op.hits.size() != 1) {
      result.ok = false;
      result.invariant = "acked-write-lost";
      result.detail = "after the bad requests the acked row is not readable";
      return result;
    }
  }
  return result;
}

}  // namespace

Scenario BadInputScenario() {
  Scenario s;
  s.name = "bad-input";
  s.description =
      "malformed requests (duplicate field, VARCHAR without max_length, bad field name, wrong "
      "dim, unknown collection, wrong pk type) are rejected with a clear status; acknowledged "
      "data stays";
  s.setup = RandomLatency;
  s.workload = BadInputWorkload;
  s.check = CheckBadInput;
  return s;
}

}  // namespace simvus::scenarios
