// Expr: the syntax tree of a Milvus boolean filter expression, and its values.
//
// A tree comes from Parse (parser.h) with field names unresolved; Bind (binder.h) resolves names
// against the collection's scalar fields, checks types and annotates every node with its result
// type; only a bound tree can be evaluated (evaluator.h). Trees are plain values: deterministic,
// printable (ToString, fully parenthesised) and cheap to copy by sharing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace simvus::expr {

enum class ValueType { kInt64, kDouble, kBool, kString };
std::string_view ValueTypeName(ValueType type);

// A literal (the parser's output); strings are owned.
using Literal = std::variant<int64_t, double, bool, std::string>;

enum class Op {
  // arithmetic
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kNeg,
  // comparison
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  // logic
  kAnd,
  kOr,
  kNot,
};
std::string_view OpText(Op op);

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind {
    kLiteral,  // literal
    kField,    // field (name), field_index after Bind
    kUnary,    // op in {kNeg, kNot}, children[0]
    kBinary,   // op, children[0], children[1]
    kIn,       // children[0] in / not in (negated) list
    kLike,     // children[0] like pattern
  };
  Kind kind = Kind::kLiteral;
  int position = 0;  // byte offset in the source text, for error messages
  int height = 1;    // levels down to the deepest leaf (set by the parser, <= kMaxExpressionDepth)
  Literal literal;
  std::string field;
  int field_index = -1;
  Op op = Op::kAnd;
  bool negated = false;       // kIn: "not in"
  std::vector<Literal> list;  // kIn
  std::string pattern;        // kLike
  std::vector<NodePtr> children;
  ValueType type = ValueType::kBool;  // set by Bind
};

// Fully parenthesised rendering, e.g. "((1 < x) and (x <= 5))".
std::string ToString(const Node& node);

}  // namespace simvus::expr
