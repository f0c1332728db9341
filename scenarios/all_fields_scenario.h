// all-fields: rows carry every field of the schema, and searches score by the schema's metric.
//
// A two-shard collection with an INT64 primary key, a 4-dim vector and one scalar field of each
// supported type (INT64 age, DOUBLE score, BOOL flag, VARCHAR name); the metric (L2, IP or
// COSINE) is drawn per seed. Batches of rows go in through the proxy, some are deleted, and
// Strong searches are checked by the consistency checker with that metric's exact scores and
// order. Before rows carried every field, the first insert into such a schema aborted the query
// node; with the metric ignored anywhere on the path, an IP or COSINE seed fails wrong-distance.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario AllFieldsScenario();

}  // namespace simvus::scenarios
