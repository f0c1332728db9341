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
  // Doubles print so that they read back as doubles (found by filter_expression_fuzzer: -0.0
  // printed as "-0" read back as the int64 0).
  EXPECT_EQ(Parsed("a == 1.5e2"), "(a == 150.0)");
  EXPECT_EQ(Parsed("a in [-0., 2.5, 3.0]"), "(a in [-0.0, 2.5, 3.0])");
  EXPECT_EQ(Parsed(Parsed("a == 1.0")), "(a == 1.0)");
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

// Regression (found by filter_expression_fuzzer): 1,293 bytes of nested "-(" overflowed the
// stack, one recursion per level. Nesting, prefix operators and operator chains are bounded.
TEST(Parser, DeepNestingIsAnErrorNotAStackOverflow) {
  const int deep = 100'000;
  EXPECT_NE(Parsed(std::string(deep, '(') + "a" + std::string(deep, ')')).find("nested deeper"),
            std::string::npos);
  EXPECT_NE(Parsed(std::string(deep, '-') + "a > 1").find("nested deeper"), std::string::npos);
  std::string negations;
  for (int i = 0; i < deep; ++i) negations += "not ";
  EXPECT_NE(Parsed(negations + "flag").find("nested deeper"), std::string::npos);
  std::string chain = "a";
  for (int i = 0; i < deep; ++i) chain += " + a";
  EXPECT_NE(Parsed(chain + " > 1").find("nested deeper"), std::string::npos);
  std::string ors = "a > 1";
  for (int i = 0; i < deep; ++i) ors += " or a > 1";
  EXPECT_NE(Parsed(ors).find("nested deeper"), std::string::npos);

  // Within the limit, nesting parses as before.
  const int ok = kMaxExpressionDepth / 4;
  EXPECT_EQ(Parsed(std::string(ok, '(') + "a > 1" + std::string(ok, ')')), "(a > 1)");
  std::string short_chain = "a";
  for (int i = 0; i < 20; ++i) short_chain += " + a";
  EXPECT_EQ(Parsed(short_chain + " > 1").find("ERROR"), std::string::npos);
}

}  // namespace
}  // namespace simvus::expr
