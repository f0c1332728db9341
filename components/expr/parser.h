// Parser: Milvus's boolean filter expression language to an unbound Expr tree.
//
// Supported (a subset of milvus internal/parser/planparserv2/Plan.g4, reference §9):
//   literals    123, 0x1F, 0o17, 0b101, 1.5, 2e-3, true/True/TRUE, false, "str" or 'str'
//   fields      identifiers [A-Za-z_][A-Za-z0-9_]*
//   arithmetic  + - * / % ** and unary -, +
//   comparison  < <= > >= == !=, chained ranges "1 < x <= 5" (both sides the same direction)
//   lists       x in [1, 2, 3], x not in ["a", "b"], empty lists allowed
//   strings     x like "prefix%" (also "%suffix", "%infix%", "_" one character)
//   logic       and/&&, or/||, not/!, parentheses
// Precedence, loosest first: or; and; not; comparison / in / like; + -; * / %; unary - +; **.
// simvus deviation: Plan.g4 binds `not` tighter than comparisons, so Milvus reads "not x > 1" as
// "(not x) > 1" and rejects it; simvus reads it as "not (x > 1)".
//
// Expressions nest at most kMaxExpressionDepth levels.
// Errors are kInvalidArgument and say where and what was expected:
//   "syntax error at position 6: expected an operand (number, string, bool, field, '(' or '-'),
//    got ')'"
#pragma once

#include <string_view>

#include "components/env/result.h"
#include "components/expr/expr.h"

namespace simvus::expr {

// Deeper expressions (parentheses, prefix operators, chains of binary operators) are rejected:
// every pass over the tree recurses, and a user's input must not overflow the stack.
inline constexpr int kMaxExpressionDepth = 128;

Result<NodePtr> Parse(std::string_view text);

}  // namespace simvus::expr
