// The `bad-input` scenario: malformed requests are rejected with a clear status, and nothing
// already acknowledged is lost.
#pragma once

#include "scenarios/scenario.h"

namespace simvus::scenarios {

Scenario BadInputScenario();

}  // namespace simvus::scenarios
