// Value: the evaluator's runtime value and the comparison rules every evaluator shares (the
// row-at-a-time Eval in predicate.cc and the block evaluator in block_eval.cc), so that both
// answer exactly alike. Internal to components/expr.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "components/expr/expr.h"

namespace simvus::expr::internal {

inline ValueType LiteralType(const Literal& v) {
  if (std::holds_alternative<int64_t>(v)) return ValueType::kInt64;
  if (std::holds_alternative<double>(v)) return ValueType::kDouble;
  if (std::holds_alternative<bool>(v)) return ValueType::kBool;
  return ValueType::kString;
}

// A runtime value; strings are views into the column or the tree.
struct Value {
  ValueType type = ValueType::kBool;
  bool null = false;  // division by zero
  int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string_view s;

  double AsDouble() const { return type == ValueType::kDouble ? d : static_cast<double>(i); }
};

inline Value FromLiteral(const Literal& v) {
  Value out;
  out.type = LiteralType(v);
  if (const auto* i = std::get_if<int64_t>(&v)) out.i = *i;
  if (const auto* d = std::get_if<double>(&v)) out.d = *d;
  if (const auto* b = std::get_if<bool>(&v)) out.b = *b;
  if (const auto* s = std::get_if<std::string>(&v)) out.s = *s;
  return out;
}

template <typename T>
bool Compare(Op op, const T& a, const T& b) {
  switch (op) {
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    default:
      return false;
  }
}

// A comparison with a null operand (a division by zero below it) is false.
inline bool CompareValues(Op op, const Value& a, const Value& b) {
  if (a.null || b.null) return false;
  if (a.type == ValueType::kString) return Compare(op, a.s, b.s);
  if (a.type == ValueType::kBool) return Compare(op, a.b, b.b);
  if (a.type == ValueType::kInt64 && b.type == ValueType::kInt64) return Compare(op, a.i, b.i);
  return Compare(op, a.AsDouble(), b.AsDouble());
}

// Two's-complement wrapping, as Go's int64 in Milvus's planner: -INT64_MIN is INT64_MIN.
inline int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int64_t WrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
// Integer division and modulo are undefined (null) by zero and for INT64_MIN / -1.
inline bool DivisionUndefined(int64_t a, int64_t b) {
  return b == 0 || (a == INT64_MIN && b == -1);
}

}  // namespace simvus::expr::internal
