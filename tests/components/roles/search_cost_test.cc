#include <gtest/gtest.h>

#include "components/roles/segment_reads.h"

namespace simvus::roles {
namespace {

// The charge is the model's sum over the work, term by term.
TEST(SearchCost, ChargesEachKindOfWork) {
  const SearchCostModel model{.request_ns = 1000,
                              .segment_ns = 100,
                              .scanned_float_ns = 0.5,
                              .batched_float_ns = 0.25,
                              .graph_hop_ns = 20,
                              .row_filter_ns = 2};
  SearchWork work{.dim = 10,
                  .segments = 2,
                  .scanned_distances = 100,
                  .batched_distances = 40,
                  .graph_distances = 10,
                  .rows_filtered = 50};
  // 1000 + 2 x 100 + 100 x 10 x 0.5 + 40 x 10 x 0.25 + 10 x (10 x 0.5 + 20) + 50 x 2
  EXPECT_EQ(SearchCost(work, model).ns, 2150);
  EXPECT_EQ(SearchCost(SearchWork{}, model).ns, 1000);
}

// The compiled-in constants are the calibrated ones (bench_cost_model): a graph distance costs
// more than its floats scanned in order, and more work never costs less.
TEST(SearchCost, DefaultModelIsMonotone) {
  const SearchCostModel& model = DefaultSearchCostModel();
  EXPECT_GT(model.graph_hop_ns, 0);
  EXPECT_GT(model.scanned_float_ns, 0);
  SearchWork small{.dim = 128, .segments = 1, .graph_distances = 500};
  SearchWork large = small;
  large.graph_distances = 5000;
  EXPECT_LT(SearchCost(small).ns, SearchCost(large).ns);
  SearchWork flat{.dim = 128, .segments = 1, .scanned_distances = 500};
  EXPECT_LT(SearchCost(flat).ns, SearchCost(small).ns);
  // A distance scored in a batch costs something, and never more than one scanned alone (its
  // rows are read once for the batch).
  EXPECT_GT(model.batched_float_ns, 0);
  EXPECT_LE(model.batched_float_ns, model.scanned_float_ns);
}

}  // namespace
}  // namespace simvus::roles
