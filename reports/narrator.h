// Narrator: turns trace events into one readable line each, in the seed's terms:
//   [   0.412 ms] proxy-1 -> by-dev-rootcoord-dml_0  insert of 1 row(s) ts=... appended ...
// Lines carry the sim time, who acted (and towards whom) and what happened and why.
#pragma once

#include <string>

#include "components/env/time.h"
#include "components/env/trace.h"

namespace simvus::reports {

std::string NarrateLine(Duration at, const TraceEvent& event);

}  // namespace simvus::reports
