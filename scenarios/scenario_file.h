// ScenarioFile: a scenario written as a file (scenario_file.proto, protobuf text format), run by
// `simvus run FILE --seed N` like a built-in one.
//
// Parsing is protobuf's own; a syntax error, an unknown field or a value out of range is a
// kInvalidArgument that names the file, the line and column, and the field:
//   "x.textproto:7:5: workload.steps[1].insert.pks: must list at least one primary key"
// Loading validates everything a run would otherwise trip over (node names in faults, fault
// kinds, ranges), so a bad file fails before any simulated time passes.
// The scenario's name is the file's path, so its repro command is `simvus run PATH --seed N`.
#pragma once

#include <string>
#include <string_view>

#include "components/env/result.h"
#include "faults/fault_schedule.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_file.pb.h"

namespace simvus::scenarios {

// Parses and validates the text of a scenario file; `source` names it in errors.
Result<scenario::ScenarioFile> ParseScenarioFile(std::string_view text, const std::string& source);

// A runnable Scenario for a parsed and validated file.
Scenario ScenarioFromFile(const scenario::ScenarioFile& file, const std::string& path);

// A file's nemesis as a fault schedule (timed from the workload's first step), and back: the
// swarm draws schedules (faults/fault_schedule.h) and writes them into the files it draws.
faults::FaultSchedule ScheduleOf(const scenario::Nemesis& nemesis);
void AppendFaults(const faults::FaultSchedule& schedule, scenario::Nemesis* nemesis);

// Reads, parses and validates PATH (kNotFound when it cannot be read).
Result<Scenario> LoadScenarioFile(const std::string& path);

}  // namespace simvus::scenarios
