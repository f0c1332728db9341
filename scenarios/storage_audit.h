// Storage audit: reads one collection's stored state from a running cluster — every Flushed
// segment's files from the object store (verified: magic, CRC-32C, headers), and the MetaStore's
// whole revision history of its segments and channel checkpoints — and judges it with
// reports::CheckFlushed against the History. Only storage is read: the log is not consulted, so
// a pass means the flushed data would survive the loss of the whole log.
#pragma once

#include <string>

#include "reports/flush_audit.h"
#include "reports/index_audit.h"
#include "scenarios/scenario.h"

namespace simvus::scenarios {

// Reads with `env`'s MetaStore and ObjectStore ports (retrying while they are unavailable).
Task<Result<reports::StoredCollection>> ReadStoredCollection(Env& env, std::string collection,
                                                             std::string object_store_root);

// The collection's index build tasks from the MetaStore, each Finished one's file loaded.
Task<Result<reports::StoredIndexes>> ReadStoredIndexes(Env& env, std::string collection,
                                                       std::string object_store_root);

// A Scenario::audit for `collection`: ReadStoredCollection from client-1, then CheckFlushed;
// with `indexes`, also ReadStoredIndexes and CheckIndexes.
std::function<Task<reports::CheckResult>(ScenarioContext&)> AuditFlushed(std::string collection,
                                                                         bool indexes = false);

}  // namespace simvus::scenarios
