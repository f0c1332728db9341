// TourNarrator: turns a run's trace events into a chapter's tour.
//
// Each event is matched against the chapter's notes in table order (kind, then the note's text
// conditions, then its `after` condition); the first match wins. The first event of a note is a
// step: the note's full explanation citing its section, then what actually happened (the event's
// own text at its sim time), then a pause. The next `brief_max` events get one line each; later
// ones are only counted and appear in the recap. Scenario story lines are printed once or twice
// per shape (digits ignored), so a run of thousands of events reads as tens of steps.
//
// Output depends only on the events, the chapter, the language and the config: the same seed
// prints the same tour.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "components/roles/cluster_config.h"
#include "scenarios/runner.h"
#include "scenarios/tours/tour.h"
#include "sim/trace_recorder.h"

namespace simvus::scenarios::tours {

enum class Language { kEnglish, kChinese };

class TourNarrator {
 public:
  // `pause` runs after each step; it returns false when the learner quits (the tour then stays
  // silent until the verdict).
  TourNarrator(const Chapter& chapter, Language language, std::FILE* out,
               std::function<bool()> pause);

  // The config the run uses (after --set), the scenario's own values before the learner's
  // changes, and the Milvus keys the learner set, in order.
  void SetConfig(const roles::ClusterConfig& effective, const roles::ClusterConfig& scenario,
                 const std::vector<std::string>& set_keys);

  // Title, intro and the learner's changes (each with this scenario's value and Milvus's
  // default). Call after SetConfig.
  void PrintHeader(uint64_t seed);
  void OnEvent(const sim::RecordedEvent& event);
  void OnSay(Duration at, const std::string& line);
  // What you saw: the recap, the count of every note, the simplifications, the verdict.
  void PrintRecap(const RunReport& report);

  int steps() const { return steps_; }

 private:
  const std::string& Pick(const Text& text) const;
  // Replaces "{milvus.key}" with the key's value in the effective config.
  std::string Fill(const std::string& text) const;
  void Paragraph(const std::string& text, const std::string& indent);
  void Print(const std::string& line);
  void PrintSummary();  // the recap, the counts and the simplifications
  // The index of the first note that matches, or -1.
  int Match(const TraceEvent& event) const;

  const Chapter& chapter_;
  Language language_;
  std::FILE* out_;
  std::function<bool()> pause_;
  roles::ClusterConfig effective_, scenario_;
  std::vector<std::string> set_keys_;
  bool quit_ = false;
  int steps_ = 0;
  std::vector<int64_t> counts_;  // per note, in table order
  std::set<std::string> kinds_seen_;
  std::map<std::string, int> say_shapes_;
  int64_t says_hidden_ = 0;
};

}  // namespace simvus::scenarios::tours
