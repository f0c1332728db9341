#include "scenarios/tours/tour_narrator.h"

#include <cinttypes>

#include "scenarios/config_knobs.h"

namespace simvus::scenarios::tours {
namespace {

constexpr size_t kWidth = 100;  // columns of wrapped narration

std::string Millis(Duration at) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f ms", static_cast<double>(at.ns) / 1e6);
  return buf;
}

std::string Who(const TraceEvent& e) {
  if (!e.from.empty() && !e.to.empty()) return e.from + " -> " + e.to;
  return e.node;
}

// Splits text into wrap units: an ASCII word with the spaces after it, or one non-ASCII code point
// (a CJK character may break a line anywhere). Width counts a non-ASCII code point as 2 columns.
struct Unit {
  std::string text;
  size_t width = 0;
  bool space = false;  // a run of spaces: dropped at a line break
};

std::vector<Unit> Units(const std::string& text) {
  std::vector<Unit> units;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ') {
      size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      units.push_back({text.substr(i, j - i), j - i, true});
      i = j;
    } else if (c < 0x80) {
      size_t j = i;
      while (j < text.size() && text[j] != ' ' && static_cast<unsigned char>(text[j]) < 0x80) ++j;
      units.push_back({text.substr(i, j - i), j - i, false});
      i = j;
    } else {
      size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
      if (i + len > text.size()) len = text.size() - i;
      units.push_back({text.substr(i, len), 2, false});
      i += len;
    }
  }
  return units;
}

// Digits do not make a story line new: "client-3 insert round 7 -> acked at ts ..." is the same
// shape as round 6.
std::string Shape(const std::string& line) {
  std::string shape;
  bool in_number = false;
  for (char c : line) {
    const bool digit = (c >= '0' && c <= '9') || (in_number && c == '.');
    if (digit && !in_number) shape += '#';
    if (!digit) shape += c;
    in_number = digit;
  }
  return shape;
}

}  // namespace

TourNarrator::TourNarrator(const Chapter& chapter, Language language, std::FILE* out,
                           std::function<bool()> pause)
    : chapter_(chapter),
      language_(language),
      out_(out),
      pause_(std::move(pause)),
      counts_(chapter.notes.size(), 0) {}

void TourNarrator::SetConfig(const roles::ClusterConfig& effective,
                             const roles::ClusterConfig& scenario,
                             const std::vector<std::string>& set_keys) {
  effective_ = effective;
  scenario_ = scenario;
  set_keys_ = set_keys;
}

const std::string& TourNarrator::Pick(const Text& text) const {
  return language_ == Language::kChinese ? text.zh : text.en;
}

std::string TourNarrator::Fill(const std::string& text) const {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    out += text.substr(i, open - i);
    const MilvusParam* param = FindMilvusParam(text.substr(open + 1, close - open - 1));
    out += param ? MilvusParamText(effective_, *param) : text.substr(open, close - open + 1);
    i = close + 1;
  }
  return out + text.substr(i);
}

void TourNarrator::Print(const std::string& line) {
  if (quit_) return;
  std::fputs(line.c_str(), out_);
  std::fputc('\n', out_);
}

void TourNarrator::Paragraph(const std::string& text, const std::string& indent) {
  std::string line = indent;
  size_t width = indent.size();
  for (const Unit& u : Units(Fill(text))) {
    // Chinese punctuation never starts a line: it stays on the line it closes.
    static const std::string kClosing = "。,、;:)”」!?";
    const bool closing = !u.space && u.width == 2 && kClosing.find(u.text) != std::string::npos;
    if (width + u.width > kWidth && width > indent.size() && !closing) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      Print(line);
      line = indent;
      width = indent.size();
      if (u.space) continue;
    }
    line += u.text;
    width += u.width;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (line.size() > indent.size()) Print(line);
}

void TourNarrator::PrintHeader(uint64_t seed) {
  const bool zh = language_ == Language::kChinese;
  Print("");
  Print("== simvus tour " + chapter_.name + " (§" + chapter_.section + ") ==");
  Paragraph(Pick(chapter_.title), "   ");
  Print(std::string(zh ? "   场景: " : "   scenario: ") + chapter_.scenario +
        (zh ? ",种子 " : ", seed ") + std::to_string(seed) +
        (zh ? "(同一种子,同一过程,同一 trace hash)" : " (same seed, same run, same trace hash)"));
  Print("");
  Paragraph(Pick(chapter_.intro), "  ");
  for (const std::string& key : set_keys_) {
    const MilvusParam* p = FindMilvusParam(key);
    if (p == nullptr) continue;
    const roles::ClusterConfig milvus_default;
    Print("");
    Print(std::string(zh ? "  你修改了 " : "  you set ") + key + " = " +
          MilvusParamText(effective_, *p) + (zh ? "(本场景原为 " : " (this scenario: ") +
          MilvusParamText(scenario_, *p) + (zh ? ",Milvus 默认 " : ", Milvus's default: ") +
          MilvusParamText(milvus_default, *p) + (zh ? ")" : ")"));
    Paragraph(std::string(zh ? "含义: " : "it sets: ") + p->meaning, "    ");
  }
  if (set_keys_.empty() && !chapter_.try_set.empty()) {
    Print("");
    Print(std::string(zh ? "  可以试试: simvus tour " : "  try: simvus tour ") + chapter_.name +
          " --set " + chapter_.try_set);
  }
}

int TourNarrator::Match(const TraceEvent& event) const {
  for (size_t i = 0; i < chapter_.notes.size(); ++i) {
    const Note& n = chapter_.notes[i];
    if (n.kind != event.kind) continue;
    if (!n.contains.empty() && event.text.find(n.contains) == std::string::npos) continue;
    if (!n.excludes.empty() && event.text.find(n.excludes) != std::string::npos) continue;
    if (!n.after.empty() && kinds_seen_.count(n.after) == 0) continue;
    return static_cast<int>(i);
  }
  return -1;
}

void TourNarrator::OnEvent(const sim::RecordedEvent& recorded) {
  if (quit_) return;  // the learner stopped the tour: the run goes on unnarrated
  const TraceEvent& e = recorded.event;
  const int index = Match(e);
  kinds_seen_.insert(e.kind);
  if (index < 0) return;
  const Note& note = chapter_.notes[static_cast<size_t>(index)];
  const int64_t n = ++counts_[static_cast<size_t>(index)];
  const bool zh = language_ == Language::kChinese;
  if (n == 1) {
    ++steps_;
    Print("");
    Print(std::string(zh ? "-- 第 " : "-- step ") + std::to_string(steps_) + (zh ? " 步" : "") +
          " · §" + note.section + " · " + e.kind + " " + std::string(24, '-'));
    Paragraph("§" + note.section + (zh ? ":" : ": ") + Pick(note.full), "  ");
    for (const std::string& key : set_keys_) {
      if (key != note.param) continue;
      const MilvusParam* p = FindMilvusParam(key);
      if (p == nullptr) continue;
      Paragraph(std::string(zh ? "(这里用到你的修改:" : "(your change matters here: ") + key +
                    " = " + MilvusParamText(effective_, *p) +
                    (zh ? ",本场景原为 " : "; this scenario has ") +
                    MilvusParamText(scenario_, *p) + (zh ? ")" : ")"),
                "  ");
    }
    Print(std::string(zh ? "  => 实际发生 [" : "  => what happened [") + Millis(recorded.at) +
          "] " + Who(e) + ": " + e.text);
    if (!quit_ && pause_ && !pause_()) {
      quit_ = true;
    }
    return;
  }
  if (n <= 1 + note.brief_max) {
    Print("   · [" + Millis(recorded.at) + "] " + Pick(note.brief) + ": " + Who(e) + ": " + e.text);
    if (n == 1 + note.brief_max) {
      Print(std::string(zh ? "     (之后的“" : "     (later \"") + Pick(note.brief) +
            (zh ? "”只计数,见最后的回顾)" : "\" events are only counted: see the recap)"));
    }
  }
}

void TourNarrator::OnSay(Duration at, const std::string& line) {
  if (quit_) return;
  if (++say_shapes_[Shape(line)] > 2) {
    ++says_hidden_;
    return;
  }
  const bool zh = language_ == Language::kChinese;
  Print(std::string(zh ? "  >> 场景 [" : "  >> scenario [") + Millis(at) + "] " + line);
}

void TourNarrator::PrintSummary() {
  const bool zh = language_ == Language::kChinese;
  Print("");
  Print(zh ? "== 回顾:你看到了什么 ==" : "== what you saw ==");
  Paragraph(Pick(chapter_.recap), "  ");
  Print("");
  Print(zh ? "  每个概念出现的次数(第一次详细讲解,之后简述或只计数):"
           : "  how often each concept occurred (the first narrated in full, later ones briefly "
             "or only counted):");
  for (size_t i = 0; i < chapter_.notes.size(); ++i) {
    if (counts_[i] == 0) continue;
    const Note& note = chapter_.notes[i];
    char buf[256];
    std::snprintf(buf, sizeof(buf), "  %6" PRId64 " x %-24s §%-7s ", counts_[i], note.kind.c_str(),
                  note.section.c_str());
    Print(buf + Pick(note.brief));
  }
  if (says_hidden_ > 0) {
    Print(std::string(zh ? "  (另有 " : "  (and ") + std::to_string(says_hidden_) +
          (zh ? " 行相似的场景叙述未显示)" : " scenario lines like those shown, not repeated)"));
  }
  Print("");
  Print(zh ? "  simvus 在这里对 Milvus 的简化:" : "  where simvus simplifies Milvus here:");
  Paragraph(Pick(chapter_.simplified), "  ");
  Print("");
  Print(std::string(zh ? "  共 " : "  ") + std::to_string(steps_) +
        (zh ? " 个详细步骤;同一种子再运行一次,trace hash 相同。"
            : " steps narrated in full; the same seed gives the same trace hash."));
}

void TourNarrator::PrintRecap(const RunReport& report) {
  const bool zh = language_ == Language::kChinese;
  const bool stopped = quit_;
  quit_ = false;  // the verdict is always printed
  if (stopped) {
    Print("");
    Print(std::string(zh ? "  (导览在第 " : "  (tour stopped at step ") + std::to_string(steps_) +
          (zh ? " 步停止;运行已在后台完成)" : "; the run went on to its end unnarrated)"));
  }
  if (!stopped) PrintSummary();
  char hash[24];
  std::snprintf(hash, sizeof(hash), "%016llx", static_cast<unsigned long long>(report.trace_hash));
  std::string verdict = std::string("verdict: ") + (report.pass ? "PASS" : "FAIL") +
                        " seed=" + std::to_string(report.seed) +
                        " events=" + std::to_string(report.events) +
                        " sim_time=" + ToString(report.sim_time) + " trace_hash=" + hash;
  if (!report.pass) verdict += " invariant=" + report.invariant;
  if (zh) {
    Print(std::string("  结论:") + (report.pass ? "通过" : "失败"));
  }
  Print(verdict);
  if (!report.pass) Print("  " + report.detail);
}

}  // namespace simvus::scenarios::tours
