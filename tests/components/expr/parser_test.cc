#include "components/expr/parser.h"

#include <gtest/gtest.h>

namespace simvus::expr {
namespace {

std::string Parsed(std::string_view text) {
  Result<NodePtr> tree = Parse(text);
  if (!tree.ok()) return "ERROR " + tree.status().message();
  return ToString(**tree);
}

TEST(Parser, PrintsFullyParenthesised) {
  EXPECT_EQ(Parsed("a > 1 and b < 2 or c == 3"), "(((a > 1) and (b < 2)) or (c == 3))");
  EXPECT_EQ(Parsed("a > 1 && (b < 2 || c == 3)"), "((a > 1) and ((b < 2) or (c == 3)))");
  EXPECT_EQ(Parsed("x + 2 * y - 1 >= 10"), "(((x + (2 * y)) - 1) >= 10)");
  EXPECT_EQ(Parsed("-x ** 2 < 3"), "((-(x ** 2)) < 3)");
  EXPECT_EQ(Parsed("x % 3 == 0"), "((x % 3) == 0)");
}

TEST(Parser, ChainedRangesBecomeConjunctions) {
  EXPECT_EQ(Parsed("1 < x <= 5"), "((1 < x) and (x <= 5))");
  EXPECT_EQ(Parsed("5 >= x > 1"), "((5 >= x) and (x > 1))");
}

TEST(Parser, InListsLikeAndNot) {
  EXPECT_EQ(Parsed("id in [1, 2, -3]"), "(id in [1, 2, -3])");
  EXPECT_EQ(Parsed("id not in []"), "(id not in [])");
  EXPECT_EQ(Parsed("name in ['a', \"b\"]"), "(name in [\"a\", \"b\"])");
  EXPECT_EQ(Parsed("name like \"ab%\""), "(name like \"ab%\")");
  EXPECT_EQ(Parsed("not a > 1"), "(not (a > 1))");
  EXPECT_EQ(Parsed("!(a > 1) and !flag"), "((not (a > 1)) and (not flag))");
}

TEST(Parser, Literals) {
  EXPECT_EQ(Parsed("a == 0x1F"), "(a == 31)");
  EXPECT_EQ(Parsed("a == 0b101"), "(a == 5)");
  EXPECT_EQ(Parsed("a == 0o17"), "(a == 15)");
  EXPECT_EQ(Parsed("a == 1.5e2"), "(a == 150)");
  EXPECT_EQ(Parsed("a == True and b == FALSE"), "((a == true) and (b == false))");
  EXPECT_EQ(Parsed("s == 'it\\'s'"), "(s == \"it's\")");
}

TEST(Parser, PrinterRoundTrips) {
  for (const char* text : {"((1 < x) and (x <= 5))", "(id not in [1, 2])", "(s like \"a%\")",
                           "(not ((a + 1) > (b * 2)))"}) {
    EXPECT_EQ(Parsed(Parsed(text)), Parsed(text)) << text;
  }
}

TEST(Parser, SyntaxErrorsNamePositionAndExpectation) {
  EXPECT_EQ(Parsed("a > "),
            "ERROR syntax error at position 4: expected an operand (number, string, bool, field, "
            "'(' or '-'), got end of input");
  EXPECT_EQ(Parsed("(a > 1"), "ERROR syntax error at position 6: expected ')', got end of input");
  EXPECT_EQ(Parsed("a > 1 b"),
            "ERROR syntax error at position 6: expected an operator or end of input, got 'b'");
  EXPECT_EQ(Parsed("a in [1, 2"),
            "ERROR syntax error at position 10: expected ',' or ']' in the list, got end of input");
  EXPECT_EQ(Parsed("a in 1"),
            "ERROR syntax error at position 5: expected '[' to open the list, got '1'");
  EXPECT_EQ(Parsed("s like 3"),
            "ERROR syntax error at position 7: expected a string pattern after 'like', got '3'");
  EXPECT_EQ(Parsed("a == \"abc"),
            "ERROR syntax error at position 5: unterminated string, expected a closing \"");
  EXPECT_EQ(Parsed("a # 1"), "ERROR syntax error at position 2: unexpected character '#'");
  EXPECT_EQ(Parsed("1 < x > 5"),
            "ERROR syntax error at position 6: a chained range needs both comparisons '<'/'<=' "
            "or both '>'/'>=', got '>'");
  EXPECT_EQ(Parsed(""),
            "ERROR syntax error at position 0: expected an expression, got end of input");
  EXPECT_EQ(Parsed("a == 12abc"),
            "ERROR syntax error at position 7: unexpected character 'a' after a number");
}

}  // namespace
}  // namespace simvus::expr
