#include "reports/history.h"

namespace simvus::reports {

int64_t History::Invoke(Operation op) {
  op.index = static_cast<int64_t>(ops_.size());
  op.outcome = Outcome::kPending;
  ops_.push_back(std::move(op));
  return ops_.back().index;
}

std::string_view OpTypeName(OpType type) {
  switch (type) {
    case OpType::kCreateCollection:
      return "create_collection";
    case OpType::kLoad:
      return "load";
    case OpType::kInsert:
      return "insert";
    case OpType::kDelete:
      return "delete";
    case OpType::kSearch:
      return "search";
    case OpType::kUpsert:
      return "upsert";
    case OpType::kFlush:
      return "flush";
    case OpType::kIndex:
      return "index";
    case OpType::kQuery:
      return "query";
    case OpType::kRelease:
      return "release";
  }
  return "?";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPending:
      return "pending";
    case Outcome::kOk:
      return "ok";
    case Outcome::kFail:
      return "fail";
    case Outcome::kInfo:
      return "info";
  }
  return "?";
}

}  // namespace simvus::reports
