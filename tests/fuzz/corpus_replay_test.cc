// Replays every checked-in corpus file (tests/fuzz/corpus/<target>/) through its fuzz target, in
// the ordinary test build and under ASan/UBSan in the asan preset (label `fuzz`). A property a
// target asserts fails here as an abort, so a crashing input found once stays fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_targets.h"

namespace simvus::fuzz {
namespace {

std::vector<std::filesystem::path> CorpusFiles(const std::string& target) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = std::filesystem::path(SIMVUS_FUZZ_CORPUS_DIR) / target;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class CorpusReplay : public ::testing::TestWithParam<FuzzTarget> {};

}  // namespace

// How gtest names a parameter in its output.
void PrintTo(const FuzzTarget& target, std::ostream* out) { *out << target.name; }

namespace {

TEST_P(CorpusReplay, EveryCorpusFileRunsClean) {
  const FuzzTarget& target = GetParam();
  const std::vector<std::filesystem::path> files = CorpusFiles(target.name);
  // A corpus that is missing or tiny would make this test pass without testing anything.
  ASSERT_GE(files.size(), 5u) << "corpus of " << target.name << " in " << SIMVUS_FUZZ_CORPUS_DIR;
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.string());
    target.run(ReadFile(file));
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzz, CorpusReplay, ::testing::ValuesIn(kFuzzTargets),
                         [](const ::testing::TestParamInfo<FuzzTarget>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace simvus::fuzz
