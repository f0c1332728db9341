// Scenarios of a segment's life (semantics §5, seed 1.1.3 steps 5-10):
//   flush                  several clients insert, upsert and delete while segments seal by
//                          capacity, deletes spill into L0 segments and S3 answers 503s; a Flush
//                          mid-way and one at the end. The storage audit then reads the object
//                          store and the MetaStore alone: every acked row and delete is in a
//                          flushed segment, nothing twice, every state change legal.
//   datanode-crash-replay  the same load while the data node crashes with unflushed rows and
//                          restarts: it replays its channels from the checkpoints, skipping what
//                          is persisted; the audit proves nothing was lost and nothing doubled.
//   index-build            CreateIndex(HNSW) while writes go on; an index node crashes mid-build
//                          and the other stalls past the task timeout: builds are retried with
//                          new versions, stale results are ignored, every flushed segment ends
//                          indexed by a file that loads and covers all its rows.
//   delete-compaction      many deletes and small segments: L0 compaction, mix compaction and GC
//                          run on a short clock; storage alone must answer the last flush's
//                          snapshot exactly as the history says (compaction is transparent).
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario FlushScenario();
Scenario DataNodeCrashReplayScenario();
Scenario IndexBuildScenario();
Scenario DeleteCompactionScenario();

}  // namespace simvus::scenarios
