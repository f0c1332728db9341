// FuzzScenarioFile: a scenario file as `simvus run FILE` reads it (scenarios/scenario_file.h).
//
// Properties: nothing crashes; every rejection is an InvalidArgument that names the source; a
// file that validates prints (protobuf text format) to a file that parses and validates to the
// same message, and builds a runnable Scenario.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>

#include "components/env/check.h"
#include "scenarios/scenario_file.h"
#include "tests/fuzz/fuzz_targets.h"

namespace simvus::fuzz {

void FuzzScenarioFile(std::string_view data) {
  Result<scenario::ScenarioFile> file = scenarios::ParseScenarioFile(data, "fuzz.textproto");
  if (!file.ok()) {
    SIMVUS_CHECK(
        file.status().code() == StatusCode::kInvalidArgument &&
            file.status().message().rfind("fuzz.textproto", 0) == 0,
        "a rejected scenario file must be InvalidArgument naming it: " + file.status().ToString());
    return;
  }
  std::string printed;
  SIMVUS_CHECK(google::protobuf::TextFormat::PrintToString(*file, &printed), "print");
  Result<scenario::ScenarioFile> again = scenarios::ParseScenarioFile(printed, "printed");
  SIMVUS_CHECK(again.ok(), "a printed valid file does not load: " + again.status().ToString());
  SIMVUS_CHECK(google::protobuf::util::MessageDifferencer::Equals(*file, *again),
               "print/parse round trip changed the scenario file");
  const scenarios::Scenario scenario = scenarios::ScenarioFromFile(*file, "fuzz.textproto");
  SIMVUS_CHECK(scenario.workload && scenario.setup, "a loaded file has a workload and a setup");
}

}  // namespace simvus::fuzz
