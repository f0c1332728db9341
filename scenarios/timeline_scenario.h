// The `timeline` scenario: the seed's chapter 1.1.1 snapshot-isolation timeline.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario TimelineScenario();

}  // namespace simvus::scenarios
