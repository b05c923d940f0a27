// Each emitter's output for a fixed trial list, compared byte for byte with tests/policy/golden/.
// Regenerate after an intended change: CONVPROBE_UPDATE_GOLDEN=1 ./policy_tests, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "emitter_fixtures.hpp"
#include "policy/emitters.hpp"

namespace convprobe {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(CONVPROBE_SOURCE_DIR) + "/tests/policy/golden/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (std::getenv("CONVPROBE_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (CONVPROBE_UPDATE_GOLDEN=1 writes it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "output differs from " << path;
}

EmitResult emit(const std::string& backend, const std::vector<StoredTrial>& trials, double block_slower,
                EmitResult (*emitter)(const EmitInput&), const std::string& version = "") {
  PolicyOptions o;
  o.block_slower = block_slower;
  static Policy policy;  // kept alive for the EmitInput below
  policy = derive_policy(backend, trials, o);
  policy.backend_version = version;
  return emitter(EmitInput{&policy, &trials, "/etc/convprobe/policy file"});
}

TEST(EmitterGolden, Convprobe) {
  const auto trials = test::fault_trials();
  expect_golden("fault.policy.json", emit("fault", trials, 0, test::emitter_of("convprobe")).content);
}

TEST(EmitterGolden, MiopenEnvGfx1010) {
  const auto trials = test::miopen_trials();
  const auto r = emit("miopen", trials, 0, test::emitter_of("miopen-env"), "MIOpen 3.2.0");
  expect_golden("miopen.env.sh", r.content);
  // The gfx1010 fix, whatever else changes in the file's layout.
  EXPECT_NE(r.content.find("\nexport MIOPEN_DEBUG_CONV_GEMM=0\n"), std::string::npos);
  EXPECT_NE(r.content.find("\nexport MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1\n"), std::string::npos);
  EXPECT_NE(r.content.find("\nexport MIOPEN_DEBUG_CONV_FFT=0\n"), std::string::npos);
  EXPECT_NE(r.content.find("\nexport MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0\n"), std::string::npos);
  EXPECT_NE(r.content.find("\nexport MIOPEN_DEBUG_CONV_DIRECT=1\n"), std::string::npos);
  EXPECT_EQ(r.content.find("WINOGRAD"), std::string::npos);
  bool install = false;
  for (const auto& n : r.notes) install |= n.find("/etc/profile.d/convprobe-miopen.sh") != std::string::npos;
  EXPECT_TRUE(install);
}

TEST(EmitterGolden, CudnnErrata) {
  const auto trials = test::cudnn_trials();
  const auto r = emit("cudnn", trials, 1.2, test::emitter_of("cudnn-errata"), "cuDNN 9.19.0");
  expect_golden("cudnn.errata.json", r.content);
  bool skipped_legacy = false, export_line = false;
  for (const auto& n : r.notes) {
    skipped_legacy |= n.find("skipped legacy.fwd.IMPLICIT_GEMM") != std::string::npos;
    export_line |= n == "export CUDNN_ERRATA_JSON_FILE='/etc/convprobe/policy file'";
  }
  EXPECT_TRUE(skipped_legacy);
  EXPECT_TRUE(export_line);
}

TEST(EmitterGolden, OnednnEnv) {
  const auto trials = test::onednn_trials();
  const auto r = emit("onednn", trials, 0, test::emitter_of("onednn-env"), "oneDNN 2.6.3");
  expect_golden("onednn.env.sh", r.content);
  EXPECT_NE(r.content.find("\nexport ONEDNN_MAX_CPU_ISA=AVX2\n"), std::string::npos);
}

TEST(EmitterGolden, MiopenFindDbGfx1010) {
  const auto trials = test::miopen_trials();
  const auto v1 = emit("miopen", trials, 0, test::emitter_of("miopen-finddb"), "MIOpen 2.17.0");
  expect_golden("miopen.finddb.txt", v1.content);
  // Per shape, GEMM's hang above 42x42 and the naive solver's failure on the big shape do not matter: the
  // fastest solver that passed there is named, in format 1.0 for ROCm 5.2's MIOpen, 2.0 from ROCm 5.6's.
  const auto v2 = emit("miopen", trials, 0, test::emitter_of("miopen-finddb"), "MIOpen 2.20.0");
  EXPECT_NE(v2.content.find(
                "=ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC:1.2,0,miopenConvolutionFwdAlgoImplicitGEMM\n"),
            std::string::npos)
      << v2.content;
}

}  // namespace
}  // namespace convprobe
