#include "scenarios/tours/tour.h"

#include "scenarios/tours/tour_chapters.h"

namespace simvus::scenarios::tours {

const std::vector<Chapter>& AllChapters() {
  // In the seed's order: the clock first, then writes, reads, indexes, deletes, the switch
  // between them, recovery and failover.
  static const std::vector<Chapter> chapters = {
      TsoSnapshotChapter(),      WritePathChapter(),        ReadPathChapter(),
      IndexBuildChapter(),       DeleteCompactionChapter(), FlushHandoffChapter(),
      CheckpointReplayChapter(), FailoverChapter(),
  };
  return chapters;
}

const Chapter* FindChapter(const std::string& name) {
  for (const Chapter& c : AllChapters()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace simvus::scenarios::tours
