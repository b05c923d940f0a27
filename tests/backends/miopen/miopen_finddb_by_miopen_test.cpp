// `policy --emit miopen-finddb --finddb-by miopen` when the chosen solver misbehaves while MIOpen writes its
// record (jobs/finddb_by_miopen.hpp): runs whose verdicts claim GEMM passed at 44x44, where the double's GEMM
// hangs like the gfx1010's. The hang is that problem's verdict, it gets no record, the other record is
// written by MIOpen, and the user's own line survives byte for byte. (The happy path per release:
// miopen_cli_chain_test.cpp.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/store.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

namespace fs = std::filesystem;

Candidate solver(int id, const std::string& name, const std::string& family) {
  Candidate c;
  c.id = "miopen." + std::to_string(id) + "." + name;
  c.family = family;
  c.attrs = {{"solver_id", std::to_string(id)}, {"solver_name", name}, {"listing", "forced"}};
  return c;
}

/// GEMM "passed" and is fastest at 32x32 (true) and at 44x44 (a stale or wrong verdict).
std::string stale_run(const fs::path& dir) {
  const std::string db = (dir / "runs.db").string();
  auto store = Store::open(db);
  Fingerprint fp;
  fp.backend = "miopen";
  fp.backend_version = "MIOpen 2.17.0 (HIP 5.2.21151) [test double]";
  const int64_t run = store->begin_run(fp, false);
  TrialResult pass;
  pass.verdict = Verdict::pass;
  pass.time = Timing{1, 1, 1, 1};
  for (const char* descriptor : {"mb1ic3ih32oc64kh3ph1", "mb1ic3ih44oc64kh3ph1"}) {
    Problem p;
    std::string err;
    EXPECT_TRUE(parse_problem(descriptor, &p, &err)) << err;
    store->add_trial(run, p, "miopen", solver(91, "GemmFwdRest", "gemm"), pass, "repro");
  }
  return db;
}

TEST(MiopenFindDbByMiopen, CPU_AHangWhileMiopenWritesIsAVerdictAndNoRecord) {
  const auto dir = temp_dir("miopen-finddb-by-miopen");
  const std::string db = stale_run(dir);
  fs::create_directories(dir / "userdb");
  const auto file = dir / "userdb" / "gfx1010_36.HIP.2_17_0_3ddc968c.ufdb.txt";
  const std::string foreign =
      "64-56-56-1x1-64-56-56-16-0x0-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.02,0,"
      "miopenConvolutionFwdAlgoGEMM,<unused>\n";
  std::ofstream(file, std::ios::binary) << foreign;
  auto r = run_shell("CONVPROBE_MIOPEN_TEST_DOUBLE='" + std::string(CONVPROBE_MIOPEN_DOUBLE_DIR) +
                     "' MIOPEN_USER_DB_PATH='" + (dir / "userdb").string() + "' " + convprobe_bin() +
                     " policy --db " + db + " --emit miopen-finddb --finddb auto --finddb-by miopen");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("written   mb1ic3ih32oc64kh3ph1 -> GemmFwdRest: PASS, MIOpen wrote GemmFwdRest"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("FAILED    mb1ic3ih44oc64kh3ph1 -> GemmFwdRest: HANG, MIOpen wrote no record"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 other line(s) of the file kept byte for byte"), std::string::npos) << r.out;
  const std::string text = read_file(file);
  EXPECT_NE(text.find(foreign), std::string::npos) << text;
  EXPECT_EQ(text.find("3-44-44-"), std::string::npos) << text;
  EXPECT_NE(
      text.find("3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,"),
      std::string::npos)
      << text;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace convprobe::test
