// The chapters, one function each (tour_chapters_write.cc, tour_chapters_read.cc), collected in
// order by AllChapters() (tour.cc).
#pragma once

#include "scenarios/tours/tour.h"

namespace simvus::scenarios::tours {

Chapter TsoSnapshotChapter();
Chapter WritePathChapter();
Chapter CheckpointReplayChapter();
Chapter ReadPathChapter();
Chapter IndexBuildChapter();
Chapter DeleteCompactionChapter();
Chapter FlushHandoffChapter();
Chapter FailoverChapter();

}  // namespace simvus::scenarios::tours
