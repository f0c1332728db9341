#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {

proto::CollectionSchema PkVectorSchema(const std::string& name, int32_t dim, int32_t shards) {
  proto::CollectionSchema schema;
  schema.set_name(name);
  schema.set_shards_num(shards);
  proto::FieldSchema* pk = schema.add_fields();
  pk->set_name("pk");
  pk->set_type(proto::INT64);
  pk->set_is_primary_key(true);
  proto::FieldSchema* vec = schema.add_fields();
  vec->set_name("vec");
  vec->set_type(proto::FLOAT_VECTOR);
  vec->set_dim(dim);
  return schema;
}

void RandomLatency(sim::WorldOptions& world, roles::ClusterConfig&, Rng& rng) {
  world.link.latency_base = Duration::Micros(rng.UniformInt(100, 2000));
  world.link.latency_jitter_mean = Duration::Micros(rng.UniformInt(0, 1000));
}

}  // namespace simvus::scenarios
