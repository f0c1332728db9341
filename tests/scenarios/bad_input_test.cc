#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace simvus::scenarios {
namespace {

TEST(BadInputScenario, RejectsMalformedRequestsAndKeepsAckedData) {
  const Scenario* scenario = FindScenario("bad-input");
  ASSERT_NE(scenario, nullptr);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport r = RunScenario(*scenario, options);
    ASSERT_TRUE(r.pass) << "seed " << seed << " " << r.invariant << ": " << r.detail;
    int rejected = 0;
    for (const reports::Operation& op : r.history.ops()) {
      if (op.outcome == reports::Outcome::kFail) {
        ++rejected;
        EXPECT_TRUE(op.error.rfind("INVALID_ARGUMENT", 0) == 0 ||
                    op.error.rfind("NOT_FOUND", 0) == 0 ||
                    op.error.rfind("FAILED_PRECONDITION: collection not loaded", 0) == 0)
            << op.label << ": " << op.error;
      }
    }
    // duplicate field, VARCHAR without max_length, bad field name (create); wrong dim, unknown
    // collection, duplicate field, wrong pk type (insert); unknown collection (flush); a
    // collection not loaded, unknown output field, filter syntax error, topk over the limit,
    // search param out of range (search); query vectors of mixed dims (one search of nq 2,
    // recorded as two operations); no filter and no limit (query)
    EXPECT_EQ(rejected, 16) << "seed " << seed;
  }
}

}  // namespace
}  // namespace simvus::scenarios
