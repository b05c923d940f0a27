// The registry the build makes from the convprobe_backend lines (issue 14, item 4): the list every message
// and help string shows, each backend's traits, the backend-only options' checks and the workers'
// environment.
#include "exec/backend_registry.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace convprobe {
namespace {

TEST(CPU_BackendRegistry, KnowsTheBackendsOfSrcInTheirOrder) {
  const std::vector<std::string> expected{"reference", "onednn", "cudnn", "miopen", "fault"};
  EXPECT_EQ(known_backends(), expected);
  EXPECT_EQ(known_backends_text(" or "), "reference, onednn, cudnn, miopen or fault");
  EXPECT_EQ(known_backends_text(", "), "reference, onednn, cudnn, miopen, fault");
  EXPECT_TRUE(is_known_backend("cudnn"));  // known even where its plugin cannot be built
  EXPECT_FALSE(is_known_backend("cuda"));
}

TEST(CPU_BackendRegistry, TraitsComeFromTheBackendsFolders) {
  EXPECT_TRUE(backend_traits("fault").unlisted_ids.has_value());
  EXPECT_TRUE(backend_traits("fault").selftest.has_value());
  EXPECT_TRUE(backend_traits("cudnn").selftest.has_value());
  EXPECT_NE(backend_traits("cudnn").worker_library_path, nullptr);
  for (const char* plain : {"reference", "onednn", "miopen", "nosuch"}) {
    const BackendTraits& t = backend_traits(plain);
    EXPECT_FALSE(t.unlisted_ids || t.selftest || t.worker_library_path || !t.options.empty()) << plain;
  }
}

TEST(CPU_BackendRegistry, BackendOptionsAreCheckedByTheBackendsThatDeclareThem) {
  std::vector<std::string> flags;
  for (const auto& o : backend_options()) flags.push_back(o.flag);
  EXPECT_EQ(flags, (std::vector<std::string>{"--math", "--knob-samples"}));
  EXPECT_EQ(check_backend_options({{"math", "strict"}, {"knob_samples", "0"}}), "");
  EXPECT_EQ(check_backend_options({{"math", "fast"}}),
            "--math 'fast' is not valid; expected strict, tf32 or both");
  EXPECT_EQ(check_backend_options({{"knob_samples", "-1"}}), "--knob-samples -1 must be >= 0");
  EXPECT_NE(check_backend_options({{"knob_samples", "3x"}}).find("'3x' is not a whole number"),
            std::string::npos);
  EXPECT_NE(check_backend_options({{"frobnicate", "1"}}).find("not an option of any backend"),
            std::string::npos);
}

TEST(CPU_BackendRegistry, WorkerEnvironmentAddsOnlyWhatTheTraitsAsk) {
  const std::map<std::string, std::string> extra{{"MIOPEN_DEBUG_CONV_GEMM", "0"}};
  EXPECT_EQ(worker_environment("miopen", extra), extra);  // no library folders to add
  // A policy that sets LD_LIBRARY_PATH itself wins over any search.
  const std::map<std::string, std::string> own{{"LD_LIBRARY_PATH", "/opt/mine"}};
  EXPECT_EQ(worker_environment("cudnn", own), own);
  // Without libcudnn.so.9 anywhere the search finds nothing and nothing is added; with it, its folder leads.
  const auto env = worker_environment("cudnn", {});
  if (env.count("LD_LIBRARY_PATH") != 0) {
    EXPECT_NE(env.at("LD_LIBRARY_PATH").find("cudnn"), std::string::npos) << env.at("LD_LIBRARY_PATH");
  }
}

}  // namespace
}  // namespace convprobe
