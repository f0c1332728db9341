// Predicate: a filter expression bound to a collection's scalar fields, ready to evaluate per row.
//
// Bind resolves field names and checks types (every node gets its result type; the root must be
// bool). Type rules: arithmetic on int64/double (int64 op int64 stays int64, "/" truncates, "%"
// needs int64, "**" gives double); comparisons between two numbers, two strings, or two bools
// (== and != only); "in" lists of the operand's kind; "like" on varchar; and/or/not on bools.
// Errors name the field or operator, the types involved and what was expected.
//
// Evaluation reads columns through ColumnView (no copies) and is a pure function of the row:
// deterministic, no allocation for numeric expressions (row at a time), or of the block. Division
// or modulo by zero makes the enclosing comparison false rather than failing the whole query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "components/env/result.h"
#include "components/expr/expr.h"

namespace simvus::expr {

struct FieldInfo {
  std::string name;
  ValueType type = ValueType::kInt64;
};

// One column of one segment. Exactly the pointer for `type` is set; bools are one byte per row.
struct ColumnView {
  ValueType type = ValueType::kInt64;
  const int64_t* int64s = nullptr;
  const double* doubles = nullptr;
  const uint8_t* bools = nullptr;
  const std::string* strings = nullptr;
};

class Predicate {
 public:
  // Parse and Bind in one step.
  static Result<Predicate> Compile(std::string_view text, const std::vector<FieldInfo>& fields);
  static Result<Predicate> Bind(const NodePtr& tree, const std::vector<FieldInfo>& fields);

  // REQUIRES: columns[i] is the column of fields[i] as given to Bind; row in range.
  bool Evaluate(const std::vector<ColumnView>& columns, int64_t row) const;
  // out[r] = Evaluate(columns, begin + r) as 0 / 1 for r < count, a node at a time over the
  // whole block (block_eval.cc): tens of times faster per row than Evaluate. Allocates per node;
  // blocks of a few thousand rows amortise it. REQUIRES: rows [begin, begin + count) in range.
  void EvaluateBlock(const std::vector<ColumnView>& columns, int64_t begin, int64_t count,
                     uint8_t* out) const;

  const Node& tree() const { return *root_; }
  std::string ToString() const { return expr::ToString(*root_); }

 private:
  explicit Predicate(NodePtr root) : root_(std::move(root)) {}
  NodePtr root_;
};

// SQL-style pattern match: '%' any run of characters, '_' exactly one character.
bool LikeMatch(std::string_view text, std::string_view pattern);

}  // namespace simvus::expr
