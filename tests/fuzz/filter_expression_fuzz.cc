// FuzzFilterExpression: the filter-expression parser, printer and binder on arbitrary text.
//
// Properties: Parse never crashes; a tree that parses prints to text that parses back to the same
// tree, literal types and values included (the printer and parser round-trip); binding to a fixed
// schema either fails with InvalidArgument or yields a bool predicate that evaluates on every row
// without crashing, and evaluated a block at a time gives the same answer for every row.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "components/env/check.h"
#include "components/expr/parser.h"
#include "components/expr/predicate.h"
#include "tests/fuzz/fuzz_targets.h"

namespace simvus::fuzz {
namespace {

const std::vector<expr::FieldInfo>& Fields() {
  static const std::vector<expr::FieldInfo> fields = {
      {"age", expr::ValueType::kInt64},    {"id", expr::ValueType::kInt64},
      {"score", expr::ValueType::kDouble}, {"flag", expr::ValueType::kBool},
      {"name", expr::ValueType::kString},
  };
  return fields;
}

// Four rows that reach the edges: zero, negative, the int64 extremes, NaN-free doubles.
struct Rows {
  std::vector<int64_t> age = {0, -1, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max()};
  std::vector<int64_t> id = {1, 2, -3, 0};
  std::vector<double> score = {0.0, -0.5, 1e300, -1e-300};
  std::vector<uint8_t> flag = {0, 1, 1, 0};
  std::vector<std::string> name = {"", "n1", "abc%_", std::string(70, 'x')};

  std::vector<expr::ColumnView> Views() const {
    return {
        {.type = expr::ValueType::kInt64, .int64s = age.data()},
        {.type = expr::ValueType::kInt64, .int64s = id.data()},
        {.type = expr::ValueType::kDouble, .doubles = score.data()},
        {.type = expr::ValueType::kBool, .bools = flag.data()},
        {.type = expr::ValueType::kString, .strings = name.data()},
    };
  }
};

// Structural equality, literal types included (an int64 1 is not a double 1.0).
bool SameTree(const expr::Node& a, const expr::Node& b) {
  if (a.kind != b.kind || a.literal.index() != b.literal.index() || a.field != b.field ||
      a.op != b.op || a.negated != b.negated || a.pattern != b.pattern ||
      a.list.size() != b.list.size() || a.children.size() != b.children.size()) {
    return false;
  }
  auto same_literal = [](const expr::Literal& x, const expr::Literal& y) {
    if (const auto* dx = std::get_if<double>(&x)) {
      const double dy = std::get<double>(y);
      return std::memcmp(dx, &dy, sizeof(double)) == 0;  // -0.0 is not 0.0; NaN is itself
    }
    return x == y;
  };
  if (!same_literal(a.literal, b.literal)) return false;
  for (size_t i = 0; i < a.list.size(); ++i) {
    if (a.list[i].index() != b.list[i].index() || !same_literal(a.list[i], b.list[i])) return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

}  // namespace

void FuzzFilterExpression(std::string_view data) {
  Result<expr::NodePtr> tree = expr::Parse(data);
  if (!tree.ok()) {
    SIMVUS_CHECK(tree.status().code() == StatusCode::kInvalidArgument,
                 "a parse error must be InvalidArgument: " + tree.status().ToString());
    return;
  }
  const std::string printed = expr::ToString(**tree);
  Result<expr::NodePtr> reparsed = expr::Parse(printed);
  SIMVUS_CHECK(reparsed.ok(),
               "printed tree does not parse: '" + printed + "': " + reparsed.status().ToString());
  SIMVUS_CHECK(SameTree(**tree, **reparsed),
               "print/parse round trip changed the tree of '" + std::string(data) + "': printed '" +
                   printed + "', read back as '" + expr::ToString(**reparsed) + "'");

  Result<expr::Predicate> predicate = expr::Predicate::Bind(*tree, Fields());
  if (!predicate.ok()) {
    SIMVUS_CHECK(predicate.status().code() == StatusCode::kInvalidArgument,
                 "a bind error must be InvalidArgument: " + predicate.status().ToString());
    return;
  }
  static const Rows rows;
  const std::vector<expr::ColumnView> views = rows.Views();
  const auto n = static_cast<int64_t>(rows.age.size());
  std::vector<uint8_t> block(static_cast<size_t>(n));
  predicate->EvaluateBlock(views, 0, n, block.data());
  for (int64_t row = 0; row < n; ++row) {
    const bool one = predicate->Evaluate(views, row);
    SIMVUS_CHECK(block[static_cast<size_t>(row)] == (one ? 1 : 0),
                 "EvaluateBlock and Evaluate disagree on row " + std::to_string(row) + " of '" +
                     printed + "'");
  }
  // A block that starts mid-column reads the same rows.
  predicate->EvaluateBlock(views, 1, n - 1, block.data());
  for (int64_t row = 1; row < n; ++row) {
    SIMVUS_CHECK(block[static_cast<size_t>(row - 1)] == (predicate->Evaluate(views, row) ? 1 : 0),
                 "EvaluateBlock from row 1 disagrees on row " + std::to_string(row) + " of '" +
                     printed + "'");
  }
}

}  // namespace simvus::fuzz
