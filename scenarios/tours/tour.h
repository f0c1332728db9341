// Tours: the seed's chapters (1.1.1 .. 1.1.9), each taught by narrating a real simulated run.
//
// A Chapter names the scenario it runs and a table of Notes: which trace events (by kind, and
// optionally by a piece of their text) teach what, in English and in Chinese (the seed's own
// vocabulary), citing the seed's section. The TourNarrator (tour_narrator.h) explains the first
// event of each note fully and later ones briefly, so a tour is tens of steps, not thousands.
//
// Narration text may name a Milvus parameter in braces, "{dataCoord.segment.maxSize}": it is
// replaced by the parameter's value in the run's config (after any --set), so the narration
// shows the effect of a learner's change where it matters.
//
// Chapters are data: no clock, no randomness; the same seed narrates the same tour.
#pragma once

#include <string>
#include <vector>

namespace simvus::scenarios::tours {

// Text in both languages of a tour.
struct Text {
  std::string en;
  std::string zh;
};

struct Note {
  std::string kind;      // a trace event kind ("proxy.tso", "data.seal")
  std::string contains;  // only events whose text contains this ("" = all of the kind)
  std::string excludes;  // and does not contain this ("" = no exclusion)
  std::string section;   // the seed section it teaches ("1.1.3")
  Text full;             // said at the first such event: the concept
  Text brief;            // said at the next few: a short reminder (also the recap's label)
  // The Milvus parameter (config_knobs.h) this step depends on: when the learner --set it, the
  // step says so.
  std::string param;
  int brief_max = 2;  // later events narrated briefly; the rest only counted
  // Only events after the first event of this kind ("" = any time): the same kind teaches
  // something else after a crash (a channel assigned again is a failover).
  std::string after;
};

struct Chapter {
  std::string name;      // "write-path"
  std::string section;   // "1.1.3"
  std::string scenario;  // the built-in scenario it runs
  Text title;
  Text intro;  // before the run: what to watch for
  std::vector<Note> notes;
  Text recap;       // after the run: what you saw
  Text simplified;  // where simvus simplifies Milvus in this chapter
  // A parameter worth changing in this chapter, for the intro's "try" line.
  std::string try_set;
};

const std::vector<Chapter>& AllChapters();
const Chapter* FindChapter(const std::string& name);

}  // namespace simvus::scenarios::tours
