// Predicate::EvaluateBlock: a bound expression over a block of rows, a node at a time.
//
// Each node is evaluated for every row of the block into a column of its type (int64, double,
// bool as one byte, string views) with a null mask where a division by zero can make it
// undefined, so that the per-row work is a tight loop over plain arrays that the compiler
// vectorises, instead of a walk of the tree per row. Every rule is the row evaluator's (value.h):
// the same types, the same wrapping arithmetic, the same null rule (a comparison with a null
// operand is false), so the answer is bitwise Evaluate's for every row. `and` / `or` evaluate
// their right side only when the left does not already decide the whole block.
#include <algorithm>
#include <cmath>
#include <functional>

#include "components/expr/predicate.h"
#include "components/expr/value.h"

namespace simvus::expr {
namespace {

using internal::CompareValues;
using internal::DivisionUndefined;
using internal::FromLiteral;
using internal::Value;

// One node's values over the block: the vector of its type is filled; `null` is empty when no
// row can be null.
struct Column {
  ValueType type = ValueType::kBool;
  std::vector<int64_t> i;
  std::vector<double> d;
  std::vector<uint8_t> b;
  std::vector<std::string_view> s;
  std::vector<uint8_t> null;

  bool IsNull(size_t r) const { return !null.empty() && null[r] != 0; }
  Value At(size_t r) const {
    Value v;
    v.type = type;
    v.null = IsNull(r);
    if (type == ValueType::kInt64) v.i = i[r];
    if (type == ValueType::kDouble) v.d = d[r];
    if (type == ValueType::kBool) v.b = b[r] != 0;
    if (type == ValueType::kString) v.s = s[r];
    return v;
  }
  // The values as doubles (Value::AsDouble).
  std::vector<double> Doubles() const {
    if (type == ValueType::kDouble) return d;
    return std::vector<double>(i.begin(), i.end());
  }
};

// null = a.null | b.null (empty when neither can be null).
std::vector<uint8_t> EitherNull(const Column& a, const Column& b, size_t n) {
  if (a.null.empty()) return b.null;
  if (b.null.empty()) return a.null;
  std::vector<uint8_t> out(n);
  for (size_t r = 0; r < n; ++r) out[r] = a.null[r] | b.null[r];
  return out;
}

template <typename T, typename Cmp>
void CompareInto(const T* x, const T* y, size_t n, uint8_t* out, Cmp cmp) {
  for (size_t r = 0; r < n; ++r) out[r] = cmp(x[r], y[r]) ? 1 : 0;
}

template <typename T>
void CompareOp(Op op, const T* x, const T* y, size_t n, uint8_t* out) {
  switch (op) {
    case Op::kLt:
      return CompareInto(x, y, n, out, std::less<T>());
    case Op::kLe:
      return CompareInto(x, y, n, out, std::less_equal<T>());
    case Op::kGt:
      return CompareInto(x, y, n, out, std::greater<T>());
    case Op::kGe:
      return CompareInto(x, y, n, out, std::greater_equal<T>());
    case Op::kEq:
      return CompareInto(x, y, n, out, std::equal_to<T>());
    case Op::kNe:
      return CompareInto(x, y, n, out, std::not_equal_to<T>());
    default:
      std::fill(out, out + n, 0);
  }
}

Column EvalBlock(const Node& n, const std::vector<ColumnView>& cols, int64_t begin, size_t size);

Column Comparison(const Node& n, const Column& a, const Column& b, size_t size) {
  Column v;
  v.b.resize(size);
  if (a.type == ValueType::kString) {
    for (size_t r = 0; r < size; ++r) v.b[r] = internal::Compare(n.op, a.s[r], b.s[r]) ? 1 : 0;
  } else if (a.type == ValueType::kBool) {
    CompareOp(n.op, a.b.data(), b.b.data(), size, v.b.data());
  } else if (a.type == ValueType::kInt64 && b.type == ValueType::kInt64) {
    CompareOp(n.op, a.i.data(), b.i.data(), size, v.b.data());
  } else {
    const std::vector<double> x = a.Doubles(), y = b.Doubles();
    CompareOp(n.op, x.data(), y.data(), size, v.b.data());
  }
  for (const Column* side : {&a, &b}) {
    if (side->null.empty()) continue;
    for (size_t r = 0; r < size; ++r) v.b[r] &= static_cast<uint8_t>(side->null[r] ^ 1);
  }
  return v;
}

Column Arithmetic(const Node& n, const Column& a, const Column& b, size_t size) {
  Column v;
  v.type = n.type;
  v.null = EitherNull(a, b, size);
  if (n.type == ValueType::kInt64) {
    v.i.resize(size);
    const int64_t* x = a.i.data();
    const int64_t* y = b.i.data();
    switch (n.op) {
      case Op::kAdd:
        for (size_t r = 0; r < size; ++r) v.i[r] = internal::WrapAdd(x[r], y[r]);
        break;
      case Op::kSub:
        for (size_t r = 0; r < size; ++r) v.i[r] = internal::WrapSub(x[r], y[r]);
        break;
      case Op::kMul:
        for (size_t r = 0; r < size; ++r) v.i[r] = internal::WrapMul(x[r], y[r]);
        break;
      case Op::kDiv:
      case Op::kMod: {
        if (v.null.empty()) v.null.assign(size, 0);
        const bool div = n.op == Op::kDiv;
        for (size_t r = 0; r < size; ++r) {
          if (v.null[r] != 0) continue;
          if (DivisionUndefined(x[r], y[r])) {
            v.null[r] = 1;
          } else {
            v.i[r] = div ? x[r] / y[r] : x[r] % y[r];
          }
        }
        break;
      }
      default:
        break;
    }
    return v;
  }
  v.d = a.Doubles();
  const std::vector<double> y = b.Doubles();
  double* x = v.d.data();
  switch (n.op) {
    case Op::kAdd:
      for (size_t r = 0; r < size; ++r) x[r] += y[r];
      break;
    case Op::kSub:
      for (size_t r = 0; r < size; ++r) x[r] -= y[r];
      break;
    case Op::kMul:
      for (size_t r = 0; r < size; ++r) x[r] *= y[r];
      break;
    case Op::kDiv:
      if (v.null.empty()) v.null.assign(size, 0);
      for (size_t r = 0; r < size; ++r) {
        if (y[r] == 0) {
          v.null[r] = 1;
        } else {
          x[r] /= y[r];
        }
      }
      break;
    case Op::kPow:
      for (size_t r = 0; r < size; ++r) x[r] = std::pow(x[r], y[r]);
      break;
    default:
      break;
  }
  return v;
}

Column In(const Node& n, const Column& a, size_t size) {
  Column v;
  v.b.resize(size);
  bool all_int64 = a.type == ValueType::kInt64;
  for (const Literal& lit : n.list) all_int64 = all_int64 && std::holds_alternative<int64_t>(lit);
  if (all_int64) {
    std::vector<int64_t> sorted;
    for (const Literal& lit : n.list) sorted.push_back(std::get<int64_t>(lit));
    std::sort(sorted.begin(), sorted.end());
    for (size_t r = 0; r < size; ++r) {
      const bool found = std::binary_search(sorted.begin(), sorted.end(), a.i[r]);
      v.b[r] = !a.IsNull(r) && found != n.negated ? 1 : 0;
    }
    return v;
  }
  std::vector<Value> list;
  for (const Literal& lit : n.list) list.push_back(FromLiteral(lit));
  for (size_t r = 0; r < size; ++r) {
    const Value x = a.At(r);
    bool found = false;
    for (const Value& lit : list) {
      if (CompareValues(Op::kEq, x, lit)) {
        found = true;
        break;
      }
    }
    v.b[r] = !x.null && found != n.negated ? 1 : 0;
  }
  return v;
}

Column EvalBlock(const Node& n, const std::vector<ColumnView>& cols, int64_t begin, size_t size) {
  Column v;
  v.type = n.type;
  switch (n.kind) {
    case Node::Kind::kLiteral: {
      const Value lit = FromLiteral(n.literal);
      v.type = lit.type;
      if (lit.type == ValueType::kInt64) v.i.assign(size, lit.i);
      if (lit.type == ValueType::kDouble) v.d.assign(size, lit.d);
      if (lit.type == ValueType::kBool) v.b.assign(size, lit.b ? 1 : 0);
      if (lit.type == ValueType::kString) v.s.assign(size, lit.s);
      return v;
    }
    case Node::Kind::kField: {
      const ColumnView& c = cols[static_cast<size_t>(n.field_index)];
      const auto at = static_cast<size_t>(begin);
      switch (c.type) {
        case ValueType::kInt64:
          v.i.assign(c.int64s + at, c.int64s + at + size);
          break;
        case ValueType::kDouble:
          v.d.assign(c.doubles + at, c.doubles + at + size);
          break;
        case ValueType::kBool:
          v.b.resize(size);
          for (size_t r = 0; r < size; ++r) v.b[r] = c.bools[at + r] != 0 ? 1 : 0;
          break;
        case ValueType::kString:
          v.s.resize(size);
          for (size_t r = 0; r < size; ++r) v.s[r] = c.strings[at + r];
          break;
      }
      return v;
    }
    case Node::Kind::kUnary: {
      Column a = EvalBlock(*n.children[0], cols, begin, size);
      if (n.op == Op::kNot) {
        v.b = std::move(a.b);
        for (uint8_t& bit : v.b) bit ^= 1;
        return v;
      }
      v.null = std::move(a.null);
      if (n.type == ValueType::kInt64) {
        v.i.resize(size);
        for (size_t r = 0; r < size; ++r) v.i[r] = internal::WrapSub(0, a.i[r]);
      } else {
        v.d = std::move(a.d);
        for (double& x : v.d) x = -x;
      }
      return v;
    }
    case Node::Kind::kBinary: {
      Column a = EvalBlock(*n.children[0], cols, begin, size);
      if (n.op == Op::kAnd || n.op == Op::kOr) {
        const uint8_t decides = n.op == Op::kAnd ? 0 : 1;
        if (std::all_of(a.b.begin(), a.b.end(), [decides](uint8_t x) { return x == decides; })) {
          return a;  // the right side cannot change any row
        }
        const Column b = EvalBlock(*n.children[1], cols, begin, size);
        v.b = std::move(a.b);
        if (n.op == Op::kAnd) {
          for (size_t r = 0; r < size; ++r) v.b[r] &= b.b[r];
        } else {
          for (size_t r = 0; r < size; ++r) v.b[r] |= b.b[r];
        }
        return v;
      }
      const Column b = EvalBlock(*n.children[1], cols, begin, size);
      if (n.type == ValueType::kBool) return Comparison(n, a, b, size);
      return Arithmetic(n, a, b, size);
    }
    case Node::Kind::kIn:
      return In(n, EvalBlock(*n.children[0], cols, begin, size), size);
    case Node::Kind::kLike: {
      const Column a = EvalBlock(*n.children[0], cols, begin, size);
      v.b.resize(size);
      for (size_t r = 0; r < size; ++r) v.b[r] = LikeMatch(a.s[r], n.pattern) ? 1 : 0;
      return v;
    }
  }
  return v;
}

}  // namespace

void Predicate::EvaluateBlock(const std::vector<ColumnView>& columns, int64_t begin, int64_t count,
                              uint8_t* out) const {
  if (count <= 0) return;
  const Column v = EvalBlock(*root_, columns, begin, static_cast<size_t>(count));
  std::copy(v.b.begin(), v.b.end(), out);
}

}  // namespace simvus::expr
