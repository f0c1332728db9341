#include "components/expr/expr.h"

#include <cstdio>

namespace simvus::expr {
namespace {

std::string LiteralText(const Literal& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    // Enough digits to read back the same double, and always a '.' or an exponent so that it
    // reads back as a double: 1.0 prints "1.0", not the int64 "1"; -0.0 prints "-0.0".
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.17g", *d);
    std::string text = buf;
    if (text.find_first_of(".eEni") == std::string::npos) text += ".0";
    return text;
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  std::string out = "\"";
  for (char c : std::get<std::string>(v)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kInt64:
      return "int64";
    case ValueType::kDouble:
      return "double";
    case ValueType::kBool:
      return "bool";
    case ValueType::kString:
      return "varchar";
  }
  return "?";
}

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kAdd:
      return "+";
    case Op::kSub:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kMod:
      return "%";
    case Op::kPow:
      return "**";
    case Op::kNeg:
      return "-";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
    case Op::kNot:
      return "not";
  }
  return "?";
}

// Built with append rather than operator+ chains: GCC 12 at -O3 reports a false -Wrestrict on
// the latter (GCC bug 105329).
std::string ToString(const Node& node) {
  std::string out;
  switch (node.kind) {
    case Node::Kind::kLiteral:
      return LiteralText(node.literal);
    case Node::Kind::kField:
      return node.field;
    case Node::Kind::kUnary:
      out.append("(").append(OpText(node.op));
      if (node.op == Op::kNot) out.append(" ");
      out.append(ToString(*node.children[0])).append(")");
      return out;
    case Node::Kind::kBinary:
      out.append("(").append(ToString(*node.children[0])).append(" ").append(OpText(node.op));
      out.append(" ").append(ToString(*node.children[1])).append(")");
      return out;
    case Node::Kind::kIn:
      out.append("(").append(ToString(*node.children[0]));
      out.append(node.negated ? " not in [" : " in [");
      for (size_t i = 0; i < node.list.size(); ++i) {
        if (i > 0) out.append(", ");
        out.append(LiteralText(node.list[i]));
      }
      out.append("])");
      return out;
    case Node::Kind::kLike:
      out.append("(").append(ToString(*node.children[0])).append(" like ");
      out.append(LiteralText(node.pattern)).append(")");
      return out;
  }
  return "?";
}

}  // namespace simvus::expr
