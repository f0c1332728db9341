#include "components/expr/parser.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

namespace simvus::expr {
namespace {

enum class Tok {
  kEnd,
  kInt,
  kFloat,
  kString,
  kIdent,
  kTrue,
  kFalse,
  kAnd,
  kOr,
  kNot,
  kIn,
  kLike,
  kSymbol
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // symbol text, identifier, or decoded string
  int64_t int_value = 0;
  double float_value = 0;
  int position = 0;
};

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd:
      return "end of input";
    case Tok::kString:
      return "string \"" + t.text + "\"";
    default:
      return "'" + t.text + "'";
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      while (pos_ < s_.size() &&
             (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
        ++pos_;
      }
      Token t;
      t.position = static_cast<int>(pos_);
      if (pos_ >= s_.size()) {
        out.push_back(t);
        return out;
      }
      char c = s_[pos_];
      if (IsIdentStart(c)) {
        size_t start = pos_;
        while (pos_ < s_.size() && IsIdentChar(s_[pos_])) ++pos_;
        t.text = std::string(s_.substr(start, pos_ - start));
        t.kind = Keyword(t.text);
      } else if (IsDigit(c) || (c == '.' && pos_ + 1 < s_.size() && IsDigit(s_[pos_ + 1]))) {
        SIMVUS_RETURN_IF_ERROR(Number(t));
      } else if (c == '"' || c == '\'') {
        SIMVUS_RETURN_IF_ERROR(String(t));
      } else {
        static const char* kSymbols[] = {"**", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "[",
                                         "]",  ",",  "+",  "-",  "*",  "/",  "%",  "<", ">", "!"};
        bool matched = false;
        for (const char* sym : kSymbols) {
          std::string_view sv(sym);
          if (s_.substr(pos_, sv.size()) == sv) {
            t.kind = Tok::kSymbol;
            t.text = std::string(sv);
            pos_ += sv.size();
            matched = true;
            break;
          }
        }
        if (!matched) {
          return InvalidArgument("syntax error at position " + std::to_string(pos_) +
                                 ": unexpected character '" + std::string(1, c) + "'");
        }
        if (t.text == "&&") t.kind = Tok::kAnd;
        if (t.text == "||") t.kind = Tok::kOr;
        if (t.text == "!") t.kind = Tok::kNot;
      }
      out.push_back(std::move(t));
    }
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

  static Tok Keyword(const std::string& w) {
    if (w == "and" || w == "AND") return Tok::kAnd;
    if (w == "or" || w == "OR") return Tok::kOr;
    if (w == "not" || w == "NOT") return Tok::kNot;
    if (w == "in" || w == "IN") return Tok::kIn;
    if (w == "like" || w == "LIKE") return Tok::kLike;
    if (w == "true" || w == "True" || w == "TRUE") return Tok::kTrue;
    if (w == "false" || w == "False" || w == "FALSE") return Tok::kFalse;
    return Tok::kIdent;
  }

  Status Number(Token& t) {
    size_t start = pos_;
    int base = 10;
    if (s_[pos_] == '0' && pos_ + 1 < s_.size()) {
      char p = s_[pos_ + 1];
      if (p == 'x' || p == 'X') base = 16;
      if (p == 'o' || p == 'O') base = 8;
      if (p == 'b' || p == 'B') base = 2;
    }
    if (base != 10) {
      pos_ += 2;
      size_t digits = pos_;
      while (pos_ < s_.size() && IsIdentChar(s_[pos_])) ++pos_;
      std::string body(s_.substr(digits, pos_ - digits));
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(body.c_str(), &end, base);
      if (body.empty() || *end != '\0' || errno == ERANGE) {
        return InvalidArgument("syntax error at position " + std::to_string(start) +
                               ": malformed integer '" +
                               std::string(s_.substr(start, pos_ - start)) + "'");
      }
      t.kind = Tok::kInt;
      t.int_value = v;
      t.text = std::string(s_.substr(start, pos_ - start));
      return Status::Ok();
    }
    bool is_float = false;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      is_float = true;
      ++pos_;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      is_float = true;
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      size_t exp_start = pos_;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
      if (exp_start == pos_) {
        return InvalidArgument("syntax error at position " + std::to_string(pos_) +
                               ": expected exponent digits");
      }
    }
    if (pos_ < s_.size() && IsIdentStart(s_[pos_])) {
      return InvalidArgument("syntax error at position " + std::to_string(pos_) +
                             ": unexpected character '" + std::string(1, s_[pos_]) +
                             "' after a number");
    }
    t.text = std::string(s_.substr(start, pos_ - start));
    errno = 0;
    if (is_float) {
      t.kind = Tok::kFloat;
      t.float_value = std::strtod(t.text.c_str(), nullptr);
    } else {
      t.kind = Tok::kInt;
      t.int_value = std::strtoll(t.text.c_str(), nullptr, 10);
    }
    if (errno == ERANGE) {
      return InvalidArgument("syntax error at position " + std::to_string(start) + ": number '" +
                             t.text + "' is out of range");
    }
    return Status::Ok();
  }

  Status String(Token& t) {
    char quote = s_[pos_];
    size_t start = pos_++;
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
        char e = s_[pos_ + 1];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        pos_ += 2;
      } else {
        out += s_[pos_++];
      }
    }
    if (pos_ >= s_.size()) {
      return InvalidArgument("syntax error at position " + std::to_string(start) +
                             ": unterminated string, expected a closing " + std::string(1, quote));
    }
    ++pos_;
    t.kind = Tok::kString;
    t.text = std::move(out);
    return Status::Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : toks_(std::move(tokens)) {}

  Result<NodePtr> Run() {
    Result<NodePtr> e = Or();
    if (!e.ok()) return e;
    if (too_tall_) return DepthError();
    if (Peek().kind != Tok::kEnd) return Error("expected an operator or end of input");
    return e;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(i_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  const Token& Next() { return toks_[std::min(i_++, toks_.size() - 1)]; }
  bool IsSymbol(const char* s, size_t ahead = 0) const {
    return Peek(ahead).kind == Tok::kSymbol && Peek(ahead).text == s;
  }
  Status Error(const std::string& expected) const {
    return InvalidArgument("syntax error at position " + std::to_string(Peek().position) + ": " +
                           expected + ", got " + Describe(Peek()));
  }

  NodePtr Binary(Op op, NodePtr a, NodePtr b, int position) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kBinary;
    n->op = op;
    n->position = position;
    NoteHeight(*n, std::max(a->height, b->height));
    n->children = {std::move(a), std::move(b)};
    return n;
  }
  NodePtr Unary(Op op, NodePtr a, int position) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kUnary;
    n->op = op;
    n->position = position;
    NoteHeight(*n, a->height);
    n->children = {std::move(a)};
    return n;
  }
  // A node one level above a child of `child_height`; a tree taller than the limit is an error,
  // noticed by every loop and by Run before more of it is built.
  void NoteHeight(Node& n, int child_height) {
    n.height = child_height + 1;
    if (n.height > kMaxExpressionDepth) too_tall_ = true;
  }

  Result<NodePtr> Or() {
    Result<NodePtr> left = And();
    if (!left.ok()) return left;
    NodePtr acc = *left;
    while (Peek().kind == Tok::kOr) {
      if (too_tall_) return DepthError();
      int pos = Next().position;
      Result<NodePtr> right = And();
      if (!right.ok()) return right;
      acc = Binary(Op::kOr, acc, *right, pos);
    }
    return acc;
  }

  Result<NodePtr> And() {
    Result<NodePtr> left = Not();
    if (!left.ok()) return left;
    NodePtr acc = *left;
    while (Peek().kind == Tok::kAnd) {
      if (too_tall_) return DepthError();
      int pos = Next().position;
      Result<NodePtr> right = Not();
      if (!right.ok()) return right;
      acc = Binary(Op::kAnd, acc, *right, pos);
    }
    return acc;
  }

  Result<NodePtr> Not() {
    // "not in" only follows an operand, so a leading "not" is always logical negation.
    if (Peek().kind == Tok::kNot) {
      DepthGuard guard(this);
      if (guard.too_deep()) return DepthError();
      int pos = Next().position;
      Result<NodePtr> inner = Not();
      if (!inner.ok()) return inner;
      return Unary(Op::kNot, *inner, pos);
    }
    return Comparison();
  }

  static bool RelOp(const Token& t, Op* op) {
    if (t.kind != Tok::kSymbol) return false;
    static const std::pair<const char*, Op> kOps[] = {{"<", Op::kLt},  {"<=", Op::kLe},
                                                      {">", Op::kGt},  {">=", Op::kGe},
                                                      {"==", Op::kEq}, {"!=", Op::kNe}};
    for (const auto& [text, o] : kOps) {
      if (t.text == text) {
        *op = o;
        return true;
      }
    }
    return false;
  }
  static bool Ascending(Op op) { return op == Op::kLt || op == Op::kLe; }
  static bool Descending(Op op) { return op == Op::kGt || op == Op::kGe; }

  Result<NodePtr> Comparison() {
    Result<NodePtr> left = Additive();
    if (!left.ok()) return left;
    // in / not in
    if (Peek().kind == Tok::kIn || (Peek().kind == Tok::kNot && Peek(1).kind == Tok::kIn)) {
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::kIn;
      n->position = Peek().position;
      if (Peek().kind == Tok::kNot) {
        n->negated = true;
        Next();
      }
      Next();
      SIMVUS_RETURN_IF_ERROR(List(&n->list));
      NoteHeight(*n, (*left)->height);
      n->children = {*left};
      return NodePtr(n);
    }
    if (Peek().kind == Tok::kLike) {
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::kLike;
      n->position = Next().position;
      if (Peek().kind != Tok::kString) return Error("expected a string pattern after 'like'");
      n->pattern = Next().text;
      NoteHeight(*n, (*left)->height);
      n->children = {*left};
      return NodePtr(n);
    }
    Op op1;
    if (!RelOp(Peek(), &op1)) return left;
    int pos1 = Next().position;
    Result<NodePtr> middle = Additive();
    if (!middle.ok()) return middle;
    Op op2;
    if (!RelOp(Peek(), &op2)) return Binary(op1, *left, *middle, pos1);
    // A chained range: both comparisons must point the same way ("1 < x <= 5", "5 > x >= 1").
    if (!((Ascending(op1) && Ascending(op2)) || (Descending(op1) && Descending(op2)))) {
      return Error("a chained range needs both comparisons '<'/'<=' or both '>'/'>='");
    }
    int pos2 = Next().position;
    Result<NodePtr> right = Additive();
    if (!right.ok()) return right;
    if (Peek().kind == Tok::kSymbol && RelOp(Peek(), &op2)) {
      return Error("a range has at most two comparisons");
    }
    return Binary(Op::kAnd, Binary(op1, *left, *middle, pos1), Binary(op2, *middle, *right, pos2),
                  pos1);
  }

  Status List(std::vector<Literal>* out) {
    if (!IsSymbol("[")) return Error("expected '[' to open the list");
    Next();
    if (IsSymbol("]")) {
      Next();
      return Status::Ok();
    }
    while (true) {
      bool negative = false;
      if (IsSymbol("-") || IsSymbol("+")) negative = Next().text == "-";
      const Token& t = Peek();
      switch (t.kind) {
        case Tok::kInt:
          out->emplace_back(std::in_place_type<int64_t>, negative ? -t.int_value : t.int_value);
          break;
        case Tok::kFloat:
          out->emplace_back(std::in_place_type<double>, negative ? -t.float_value : t.float_value);
          break;
        case Tok::kString:
        case Tok::kTrue:
        case Tok::kFalse:
          if (negative) return Error("expected a number after '-'");
          if (t.kind == Tok::kString) {
            out->emplace_back(std::in_place_type<std::string>, t.text);
          } else {
            out->emplace_back(std::in_place_type<bool>, t.kind == Tok::kTrue);
          }
          break;
        default:
          return Error("expected a literal in the list");
      }
      Next();
      if (IsSymbol(",")) {
        Next();
        continue;
      }
      if (IsSymbol("]")) {
        Next();
        return Status::Ok();
      }
      return Error("expected ',' or ']' in the list");
    }
  }

  Result<NodePtr> Additive() {
    Result<NodePtr> left = Multiplicative();
    if (!left.ok()) return left;
    NodePtr acc = *left;
    while (IsSymbol("+") || IsSymbol("-")) {
      if (too_tall_) return DepthError();
      const Token& t = Next();
      Op op = t.text == "+" ? Op::kAdd : Op::kSub;
      Result<NodePtr> right = Multiplicative();
      if (!right.ok()) return right;
      acc = Binary(op, acc, *right, t.position);
    }
    return acc;
  }

  Result<NodePtr> Multiplicative() {
    Result<NodePtr> left = UnaryMinus();
    if (!left.ok()) return left;
    NodePtr acc = *left;
    while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%")) {
      if (too_tall_) return DepthError();
      const Token& t = Next();
      Op op = t.text == "*" ? Op::kMul : t.text == "/" ? Op::kDiv : Op::kMod;
      Result<NodePtr> right = UnaryMinus();
      if (!right.ok()) return right;
      acc = Binary(op, acc, *right, t.position);
    }
    return acc;
  }

  Result<NodePtr> UnaryMinus() {
    if (IsSymbol("-") || IsSymbol("+")) {
      DepthGuard guard(this);
      if (guard.too_deep()) return DepthError();
      const Token& t = Next();
      bool neg = t.text == "-";
      int pos = t.position;
      Result<NodePtr> inner = UnaryMinus();
      if (!inner.ok()) return inner;
      return neg ? Unary(Op::kNeg, *inner, pos) : *inner;
    }
    return Power();
  }

  Result<NodePtr> Power() {
    Result<NodePtr> base = Primary();
    if (!base.ok()) return base;
    if (IsSymbol("**")) {
      int pos = Next().position;
      Result<NodePtr> exponent = UnaryMinus();  // right-associative
      if (!exponent.ok()) return exponent;
      return Binary(Op::kPow, *base, *exponent, pos);
    }
    return base;
  }

  Result<NodePtr> Primary() {
    const Token& t = Peek();
    auto n = std::make_shared<Node>();
    n->position = t.position;
    switch (t.kind) {
      case Tok::kInt:
        n->literal = t.int_value;
        break;
      case Tok::kFloat:
        n->literal = t.float_value;
        break;
      case Tok::kString:
        n->literal = t.text;
        break;
      case Tok::kTrue:
      case Tok::kFalse:
        n->literal = t.kind == Tok::kTrue;
        break;
      case Tok::kIdent:
        n->kind = Node::Kind::kField;
        n->field = t.text;
        break;
      case Tok::kSymbol:
        if (t.text == "(") {
          DepthGuard guard(this);
          if (guard.too_deep()) return DepthError();
          Next();
          Result<NodePtr> inner = Or();
          if (!inner.ok()) return inner;
          if (!IsSymbol(")")) return Error("expected ')'");
          Next();
          return inner;
        }
        [[fallthrough]];
      default:
        return Error("expected an operand (number, string, bool, field, '(' or '-')");
    }
    Next();
    return NodePtr(n);
  }

  // Bounds the parser's recursion (one level per '(' and per prefix operator), so that a deeply
  // nested expression is an error rather than a stack overflow. Twice the tree's limit: the
  // printed form of a tree of height h nests h parentheses and at most h prefix operators, and
  // must parse again.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* p) : p_(p) { ++p_->depth_; }
    ~DepthGuard() { --p_->depth_; }
    bool too_deep() const { return p_->depth_ > 2 * kMaxExpressionDepth; }

   private:
    Parser* p_;
  };
  Status DepthError() const {
    return InvalidArgument("syntax error at position " + std::to_string(Peek().position) +
                           ": expression nested deeper than " +
                           std::to_string(kMaxExpressionDepth) + " levels");
  }

  std::vector<Token> toks_;
  size_t i_ = 0;
  int depth_ = 0;
  bool too_tall_ = false;
};

}  // namespace

Result<NodePtr> Parse(std::string_view text) {
  Result<std::vector<Token>> tokens = Lexer(text).Run();
  if (!tokens.ok()) return tokens.status();
  if (tokens->size() == 1) {
    return InvalidArgument("syntax error at position 0: expected an expression, got end of input");
  }
  return Parser(std::move(*tokens)).Run();
}

}  // namespace simvus::expr
