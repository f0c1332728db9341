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
  // Bad reads: each refused with a status naming the problem, nothing else changes.
  proto::CollectionSchema idle = PkVectorSchema("not_loaded", 4, 1);
  Result<proto::CollectionInfo> idle_created = co_await client.CreateCollection(idle);
  if (!idle_created.ok()) co_return idle_created.status();
  struct BadRead {
    std::string label;
    std::string collection;
    int32_t topk;
    Client::ReadOptions options;
  };
  std::vector<BadRead> bad_reads = {
      {"bad read: search of a collection not loaded", "not_loaded", 10, {}},
      {"bad read: unknown output field", kCollection, 10, {}},
      {"bad read: filter syntax error", kCollection, 10, {}},
      {"bad read: topk over the limit", kCollection, 20000, {}},
      {"bad read: search param out of range", kCollection, 10, {}}};
  bad_reads[1].options.output_fields = {"colour"};
  bad_reads[2].options.filter = "pk > ";
  bad_reads[4].options.params = {{"nprobe", "0"}};
  for (const BadRead& r : bad_reads) {
    Result<proto::SearchResults> refused =
        co_await client.Search(r.label, r.collection, query, r.topk, proto::STRONG, r.options);
    ctx.say(r.label + " -> " + refused.status().ToString());
  }
  // Ragged query vectors in one request (nq 2): the proxy counts nq x dim floats.
  std::vector<std::vector<float>> ragged_queries(2, query);
  ragged_queries[1].pop_back();
  Client::ReadOptions no_options;
  Result<proto::SearchResults> ragged =
      co_await client.SearchBatch("bad read: query vectors of mixed dims", kCollection,
                                  std::move(ragged_queries), 10, proto::STRONG, no_options);
  ctx.say("bad read: query vectors of mixed dims -> " + ragged.status().ToString());
  Result<proto::QueryResults> unbounded =
      co_await client.Query("bad read: query without filter or limit", kCollection, "",
                            proto::STRONG, /*count_only=*/false);
  ctx.say("bad read: query without filter or limit -> " + unbounded.status().ToString());

  Client::ReadOptions with_fields;
  with_fields.output_fields = {"pk", "vec"};
  Result<proto::SearchResults> read = co_await client.Search("read back", kCollection, query, 10,
                                                             proto::STRONG, std::move(with_fields));
  if (!read.ok()) co_return read.status();
  if (read->fields_size() != 2 || read->fields(0).int64_data_size() != read->hits_size() ||
      read->fields(1).float_vector_size() != 4 * read->hits_size()) {
    co_return Internal("search with output fields pk, vec: " + std::to_string(read->fields_size()) +
                       " field(s) for " + std::to_string(read->hits_size()) + " hit(s)");
  }
  ctx.say("Strong search after the bad requests -> " + std::to_string(read->hits_size()) +
          " row(s) with output fields pk and vec: the acknowledged insert is intact");
  co_return Status::Ok();
}

// What each bad read's status must say.
const std::vector<std::pair<std::string, std::string>>& BadReadExpectations() {
  static const std::vector<std::pair<std::string, std::string>> expected = {
      {"bad read: search of a collection not loaded", "collection not loaded: not_loaded"},
      {"bad read: unknown output field", "output field 'colour'"},
      {"bad read: filter syntax error", "position"},
      {"bad read: topk over the limit", "topk 20000"},
      {"bad read: search param out of range", "nprobe='0'"},
      {"bad read: query vectors of mixed dims", "7 floats for nq 2, expected nq x dim = 8"},
      {"bad read: query without filter or limit", "a filter or a limit is required"}};
  return expected;
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
    // A search of several query vectors is one operation per query, labelled "label[q]".
    const std::string request_label =
        op.nq > 1 ? op.label.substr(0, op.label.rfind('[')) : op.label;
    for (const auto& [label, says] : BadReadExpectations()) {
      if (request_label == label &&
          (op.outcome != reports::Outcome::kFail || op.error.find(says) == std::string::npos)) {
        result.ok = false;
        result.invariant = "bad-input-accepted";
        result.detail = label + ": expected a failure saying '" + says + "', got " +
                        std::string(reports::OutcomeName(op.outcome)) + " " + op.error;
        return result;
      }
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
      "dim, unknown collection, wrong pk type; a search of a collection not loaded, an unknown "
      "output field, a filter syntax error, topk over the limit, a search param out of range, "
      "query vectors of mixed dims, a query without filter or limit) are rejected with a clear "
      "status; acknowledged data stays";
  s.setup = RandomLatency;
  s.workload = BadInputWorkload;
  s.real_backends = true;
  s.check = CheckBadInput;
  return s;
}

}  // namespace simvus::scenarios
