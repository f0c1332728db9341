#include "components/expr/predicate.h"

#include <cmath>

#include "components/expr/parser.h"
#include "components/expr/value.h"

namespace simvus::expr {
namespace {

using internal::CompareValues;
using internal::DivisionUndefined;
using internal::FromLiteral;
using internal::LiteralType;
using internal::Value;

bool IsNumeric(ValueType t) { return t == ValueType::kInt64 || t == ValueType::kDouble; }

std::string At(const Node& n) { return " at position " + std::to_string(n.position); }

// Returns a bound copy of `n` (children bound first), or an error naming the problem.
Result<NodePtr> BindNode(const Node& n, const std::vector<FieldInfo>& fields) {
  auto out = std::make_shared<Node>(n);
  out->children.clear();
  for (const NodePtr& c : n.children) {
    Result<NodePtr> bound = BindNode(*c, fields);
    if (!bound.ok()) return bound;
    out->children.push_back(*bound);
  }
  auto type_of = [&](size_t i) { return out->children[i]->type; };
  auto type_name = [&](size_t i) { return std::string(ValueTypeName(type_of(i))); };
  switch (n.kind) {
    case Node::Kind::kLiteral:
      out->type = LiteralType(n.literal);
      break;
    case Node::Kind::kField: {
      std::string names;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == n.field) {
          out->field_index = static_cast<int>(i);
          out->type = fields[i].type;
          return NodePtr(out);
        }
        names += (names.empty() ? "" : ", ") + fields[i].name;
      }
      return InvalidArgument("field '" + n.field + "'" + At(n) +
                             " does not exist or is not a scalar field; expected one of: " + names);
    }
    case Node::Kind::kUnary:
      if (n.op == Op::kNot) {
        if (type_of(0) != ValueType::kBool) {
          return InvalidArgument("'not'" + At(n) + " applies to bool, got " + type_name(0));
        }
        out->type = ValueType::kBool;
      } else {
        if (!IsNumeric(type_of(0))) {
          return InvalidArgument("unary '-'" + At(n) + " applies to numbers, got " + type_name(0));
        }
        out->type = type_of(0);
      }
      break;
    case Node::Kind::kBinary:
      switch (n.op) {
        case Op::kAnd:
        case Op::kOr:
          if (type_of(0) != ValueType::kBool || type_of(1) != ValueType::kBool) {
            return InvalidArgument("'" + std::string(OpText(n.op)) + "'" + At(n) +
                                   " expects bool operands, got " + type_name(0) + " and " +
                                   type_name(1));
          }
          out->type = ValueType::kBool;
          break;
        case Op::kLt:
        case Op::kLe:
        case Op::kGt:
        case Op::kGe:
        case Op::kEq:
        case Op::kNe: {
          bool ok = (IsNumeric(type_of(0)) && IsNumeric(type_of(1))) ||
                    (type_of(0) == ValueType::kString && type_of(1) == ValueType::kString) ||
                    (type_of(0) == ValueType::kBool && type_of(1) == ValueType::kBool &&
                     (n.op == Op::kEq || n.op == Op::kNe));
          if (!ok) {
            return InvalidArgument("comparison '" + std::string(OpText(n.op)) + "'" + At(n) +
                                   " cannot compare " + type_name(0) + " with " + type_name(1) +
                                   "; expected two numbers, two strings, or two bools (== / !=)");
          }
          out->type = ValueType::kBool;
          break;
        }
        default:  // arithmetic
          if (!IsNumeric(type_of(0)) || !IsNumeric(type_of(1))) {
            return InvalidArgument("arithmetic '" + std::string(OpText(n.op)) + "'" + At(n) +
                                   " expects numbers, got " + type_name(0) + " and " +
                                   type_name(1));
          }
          if (n.op == Op::kMod &&
              (type_of(0) != ValueType::kInt64 || type_of(1) != ValueType::kInt64)) {
            return InvalidArgument("'%'" + At(n) + " expects int64 operands, got " + type_name(0) +
                                   " and " + type_name(1));
          }
          out->type = (n.op == Op::kPow || type_of(0) == ValueType::kDouble ||
                       type_of(1) == ValueType::kDouble)
                          ? ValueType::kDouble
                          : ValueType::kInt64;
          break;
      }
      break;
    case Node::Kind::kIn:
      for (const Literal& v : n.list) {
        ValueType t = LiteralType(v);
        bool ok = t == type_of(0) || (IsNumeric(t) && IsNumeric(type_of(0)));
        if (!ok) {
          return InvalidArgument("'in' list" + At(n) + " holds a " + std::string(ValueTypeName(t)) +
                                 " but the operand is " + type_name(0) +
                                 "; expected elements of the operand's type");
        }
      }
      out->type = ValueType::kBool;
      break;
    case Node::Kind::kLike:
      if (type_of(0) != ValueType::kString) {
        return InvalidArgument("'like'" + At(n) + " applies to varchar, got " + type_name(0));
      }
      out->type = ValueType::kBool;
      break;
  }
  return NodePtr(out);
}

Value Eval(const Node& n, const std::vector<ColumnView>& cols, int64_t row) {
  Value v;
  v.type = n.type;
  switch (n.kind) {
    case Node::Kind::kLiteral:
      return FromLiteral(n.literal);
    case Node::Kind::kField: {
      const ColumnView& c = cols[static_cast<size_t>(n.field_index)];
      switch (c.type) {
        case ValueType::kInt64:
          v.i = c.int64s[row];
          break;
        case ValueType::kDouble:
          v.d = c.doubles[row];
          break;
        case ValueType::kBool:
          v.b = c.bools[row] != 0;
          break;
        case ValueType::kString:
          v.s = c.strings[row];
          break;
      }
      return v;
    }
    case Node::Kind::kUnary: {
      Value a = Eval(*n.children[0], cols, row);
      if (n.op == Op::kNot) {
        v.b = !a.b;
      } else {
        v.null = a.null;
        // Wraps like + - * below (two's complement, as Go's int64 in Milvus's planner):
        // -INT64_MIN is INT64_MIN, not undefined behaviour.
        v.i = internal::WrapSub(0, a.i);
        v.d = -a.d;
      }
      return v;
    }
    case Node::Kind::kBinary: {
      if (n.op == Op::kAnd || n.op == Op::kOr) {  // short-circuit
        bool left = Eval(*n.children[0], cols, row).b;
        if (n.op == Op::kAnd && !left) return v;
        if (n.op == Op::kOr && left) {
          v.b = true;
          return v;
        }
        v.b = Eval(*n.children[1], cols, row).b;
        return v;
      }
      Value a = Eval(*n.children[0], cols, row);
      Value b = Eval(*n.children[1], cols, row);
      if (n.type == ValueType::kBool) {
        v.b = CompareValues(n.op, a, b);
        return v;
      }
      v.null = a.null || b.null;
      if (v.null) return v;
      if (n.type == ValueType::kInt64) {
        switch (n.op) {
          case Op::kAdd:
            v.i = internal::WrapAdd(a.i, b.i);
            break;
          case Op::kSub:
            v.i = internal::WrapSub(a.i, b.i);
            break;
          case Op::kMul:
            v.i = internal::WrapMul(a.i, b.i);
            break;
          case Op::kDiv:
          case Op::kMod:
            if (DivisionUndefined(a.i, b.i)) {
              v.null = true;
            } else {
              v.i = n.op == Op::kDiv ? a.i / b.i : a.i % b.i;
            }
            break;
          default:
            break;
        }
        return v;
      }
      double x = a.AsDouble(), y = b.AsDouble();
      switch (n.op) {
        case Op::kAdd:
          v.d = x + y;
          break;
        case Op::kSub:
          v.d = x - y;
          break;
        case Op::kMul:
          v.d = x * y;
          break;
        case Op::kDiv:
          if (y == 0) {
            v.null = true;
          } else {
            v.d = x / y;
          }
          break;
        case Op::kPow:
          v.d = std::pow(x, y);
          break;
        default:
          break;
      }
      return v;
    }
    case Node::Kind::kIn: {
      Value a = Eval(*n.children[0], cols, row);
      bool found = false;
      for (const Literal& lit : n.list) {
        if (CompareValues(Op::kEq, a, FromLiteral(lit))) {
          found = true;
          break;
        }
      }
      v.b = a.null ? false : (found != n.negated);
      return v;
    }
    case Node::Kind::kLike:
      v.b = LikeMatch(Eval(*n.children[0], cols, row).s, n.pattern);
      return v;
  }
  return v;
}

}  // namespace

Result<Predicate> Predicate::Compile(std::string_view text, const std::vector<FieldInfo>& fields) {
  Result<NodePtr> tree = Parse(text);
  if (!tree.ok()) return tree.status();
  return Bind(*tree, fields);
}

Result<Predicate> Predicate::Bind(const NodePtr& tree, const std::vector<FieldInfo>& fields) {
  Result<NodePtr> bound = BindNode(*tree, fields);
  if (!bound.ok()) return bound.status();
  if ((*bound)->type != ValueType::kBool) {
    return InvalidArgument("filter expression has type " +
                           std::string(ValueTypeName((*bound)->type)) + ", expected bool");
  }
  return Predicate(*bound);
}

bool Predicate::Evaluate(const std::vector<ColumnView>& columns, int64_t row) const {
  return Eval(*root_, columns, row).b;
}

bool LikeMatch(std::string_view text, std::string_view pattern) {
  // Iterative wildcard match with backtracking to the last '%': linear for prefix/suffix forms.
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

}  // namespace simvus::expr
