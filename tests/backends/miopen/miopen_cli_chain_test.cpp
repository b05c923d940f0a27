// Issue 7's CI chain through the built binary, against the MIOpen and HIP test doubles (a gfx1010 that
// misbehaves like the public reports): sweep gfx1010-sizes -> HANG for GEMM exactly above 42x42; the crash,
// wrong-result and bad-timing solvers on problems that trigger them; bisect finds 42 good / 43 bad;
// policy --emit miopen-env writes MIOPEN_DEBUG_CONV_GEMM=0 with implicit GEMM kept on plus narrower
// switches; verify passes every problem with that profile in fresh workers (and fails without the narrow
// switches); missing libraries are "unavailable" through the CLI. Short watchdog limits keep each HANG cheap.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "convprobe/problem.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

// The floor bounds a hang on small problems; the cap bounds it on big ones and must leave room for the
// double's CPU arithmetic at 512x512 (about a second per phase on a loaded CI machine).
constexpr const char* kBisectLimits = " --timeout-floor-ms 500 --timeout-ms 4000 --repeats 1";
constexpr const char* kSweepLimits = " --timeout-floor-ms 500 --timeout-ms 4000 --repeats 1 --warmup 0";
// verify expects no hang at all: a generous cap costs nothing unless something is wrong.
constexpr const char* kVerifyLimits = " --timeout-floor-ms 500 --timeout-ms 10000 --repeats 1";

// Every command runs with the doubles named explicitly: the only way the plugin loads them.
std::string with_double(const std::string& args) {
  return "CONVPROBE_MIOPEN_TEST_DOUBLE='" + std::string(CONVPROBE_MIOPEN_DOUBLE_DIR) + "' " +
         convprobe_bin() + " " + args;
}

// The same environment minus the double, with ROCM_PATH pointing nowhere: a machine without ROCm.
std::string without_rocm(const std::string& args) {
  return "env -u CONVPROBE_MIOPEN_TEST_DOUBLE -u CONVPROBE_MIOPEN_LIB -u CONVPROBE_HIP_LIB "
         "ROCM_PATH=/nonexistent-rocm " +
         convprobe_bin() + " " + args;
}

nlohmann::json parse_or_fail(const CommandResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\nstdout: " << r.out.substr(0, 800)
                  << "\nstderr: " << r.err.substr(0, 2000);
    return nlohmann::json::object();
  }
}

struct Outcome {
  std::string verdict;
  std::string detail;
};
/// problem key -> candidate id -> outcome, from `sweep --json -`.
using Outcomes = std::map<std::string, std::map<std::string, Outcome>>;

Outcomes outcomes_of(const nlohmann::json& doc) {
  Outcomes out;
  for (const auto& t : doc.value("trials", nlohmann::json::array())) {
    out[t["problem"].get<std::string>()][t["candidate"].get<std::string>()] = {
        t["verdict"].get<std::string>(), t.value("detail", "")};
  }
  return out;
}

int64_t input_hw(const std::string& problem_key) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(problem_key, &p, &err)) << problem_key << ": " << err;
  EXPECT_EQ(p.in[1], p.in[2]) << problem_key;
  return p.in[1];
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

constexpr const char* kGemmFwd = "miopen.91.GemmFwdRest";
constexpr const char* kGemmBwdRest = "miopen.97.GemmBwdRest";
constexpr const char* kWrw1x1 = "miopen.17.ConvAsmBwdWrW1x1";
constexpr const char* kFury = "miopen.84.ConvBinWinogradRxSf2x3g1";

// One problem per reported misbehaviour besides the GEMM hang (the double's rules:
// tests/backends/miopen/double/double_registry.hpp).
constexpr const char* kCulprits =
    "# GemmBwdRest segfaults above batch 2\n"
    "bwdd_mb4ic4ih16oc4kh3ph1\n"
    "# ConvAsmBwdWrW1x1 returns wrong numbers in bwd-weights 1x1\n"
    "bwdw_mb2ic8ih16oc8kh1\n"
    "# Winograd RxS f2x3 g1: a timer running backwards at C=8, miopenStatusUnknownError at C=64\n"
    "mb1ic8ih14oc8kh3ph1\n"
    "mb1ic64ih14oc64kh3ph1\n";

void expect_gfx1010_sizes(const Outcomes& got) {
  ASSERT_EQ(got.size(), 9u) << "gfx1010-sizes has nine problems";
  for (const auto& [problem, by_candidate] : got) {
    const int64_t hw = input_hw(problem);
    ASSERT_EQ(by_candidate.count(kGemmFwd), 1u) << problem;
    const Outcome& gemm = by_candidate.at(kGemmFwd);
    EXPECT_EQ(gemm.verdict, hw > 42 ? "HANG" : "PASS") << problem << ": " << gemm.detail;
    // GEMM, FFT, Direct, Winograd (two solvers) and implicit GEMM: every family is there.
    EXPECT_GE(by_candidate.size(), 6u) << problem;
    for (const auto& [candidate, o] : by_candidate) {
      if (o.verdict == "UNSUPPORTED")
        continue;  // a forced solver whose NORMAL-mode Find says it does not apply
      if (candidate != kGemmFwd) {
        EXPECT_EQ(o.verdict, "PASS") << problem << " " << candidate << ": " << o.detail;
      }
    }
  }
}

void expect_culprits(const Outcomes& got) {
  ASSERT_EQ(got.size(), 4u);
  const auto& bwdd = got.at("bwdd_mb4ic4ih16oc4kh3ph1");
  ASSERT_EQ(bwdd.count(kGemmBwdRest), 1u);
  EXPECT_EQ(bwdd.at(kGemmBwdRest).verdict, "CRASH") << bwdd.at(kGemmBwdRest).detail;
  EXPECT_NE(bwdd.at(kGemmBwdRest).detail.find("SIGSEGV"), std::string::npos) << bwdd.at(kGemmBwdRest).detail;

  Problem wrw_problem;
  std::string err;
  ASSERT_TRUE(parse_problem("bwdw_mb2ic8ih16oc8kh1", &wrw_problem, &err)) << err;
  const auto& wrw = got.at(key(wrw_problem));
  ASSERT_EQ(wrw.count(kWrw1x1), 1u);
  EXPECT_EQ(wrw.at(kWrw1x1).verdict, "MISMATCH") << wrw.at(kWrw1x1).detail;

  const auto& fury_timer = got.at("mb1ic8ih14oc8kh3ph1");
  ASSERT_EQ(fury_timer.count(kFury), 1u);
  EXPECT_EQ(fury_timer.at(kFury).verdict, "FAILED");
  EXPECT_NE(fury_timer.at(kFury).detail.find("impossible timing"), std::string::npos)
      << fury_timer.at(kFury).detail;
  const auto& fury_error = got.at("mb1ic64ih14oc64kh3ph1");
  ASSERT_EQ(fury_error.count(kFury), 1u);
  EXPECT_EQ(fury_error.at(kFury).verdict, "FAILED");
  EXPECT_EQ(fury_error.at(kFury).detail, "miopenStatusUnknownError (7)");

  // Nothing else fails on these problems: each misbehaviour belongs to its one solver.
  const std::set<std::string> culprits = {kGemmBwdRest, kWrw1x1, kFury};
  for (const auto& [problem, by_candidate] : got) {
    for (const auto& [candidate, o] : by_candidate) {
      if (culprits.count(candidate) == 0 && o.verdict != "UNSUPPORTED") {
        EXPECT_EQ(o.verdict, "PASS") << problem << " " << candidate << ": " << o.detail;
      }
    }
  }
}

TEST(MiopenCliChain, CPU_Gfx1010SweepPolicyVerify) {
  const auto dir = temp_dir("miopen-cli-chain");
  const std::string db = (dir / "runs.db").string();
  const std::string culprits_db = (dir / "culprits.db").string();
  const std::string problems = (dir / "culprits.txt").string();
  const std::string profile = (dir / "profile.sh").string();
  std::ofstream(problems) << kCulprits;

  auto sweep =
      run_shell(with_double("sweep -b miopen --preset gfx1010-sizes -q --json - --db " + db + kSweepLimits));
  ASSERT_LT(sweep.exit_code, 2) << sweep.err;
  expect_gfx1010_sizes(outcomes_of(parse_or_fail(sweep)));

  // The culprits go into the same database (one policy for everything) and into one of their own, for
  // the negative verify below.
  for (const std::string& target : {db, culprits_db}) {
    auto culprits = run_shell(
        with_double("sweep -b miopen --problems " + problems + " -q --json - --db " + target + kSweepLimits));
    ASSERT_LT(culprits.exit_code, 2) << culprits.err;
    expect_culprits(outcomes_of(parse_or_fail(culprits)));
  }

  auto pol = run_shell(with_double("policy --db " + db + " --emit miopen-env -o " + profile));
  ASSERT_EQ(pol.exit_code, 0) << pol.err;
  const std::string text = read_file(profile);
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_GEMM=0")) << text;
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1")) << text;
  // Narrow switches for the other culprits, their families kept on.
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3_G1=0")) << text;
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_DIRECT_ASM_WRW1X1=0")) << text;
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_WINOGRAD=1")) << text;
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_DIRECT=1")) << text;
  for (const char* family : {"IMPLICIT_GEMM", "WINOGRAD", "DIRECT", "FFT"}) {
    EXPECT_FALSE(has_line(text, std::string("export MIOPEN_DEBUG_CONV_") + family + "=0")) << text;
  }
  auto syntax = run_shell("sh -n " + profile);
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  auto sourced = run_shell("sh -u -c '. " + profile +
                           " && echo \"$MIOPEN_DEBUG_CONV_GEMM $MIOPEN_DEBUG_CONV_IMPLICIT_GEMM\"'");
  EXPECT_EQ(sourced.out, "0 1\n") << sourced.err;

  auto verify =
      run_shell(with_double("verify --policy " + profile + " --db " + db + " --json -" + kVerifyLimits));
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto v = parse_or_fail(verify);
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["format"], "miopen-env");
  EXPECT_EQ(v["env"]["MIOPEN_DEBUG_CONV_GEMM"], "0");
  ASSERT_GE(v["problems"].size(), 11u) << "every failing gfx1010-sizes problem and every culprit";
  size_t ran = 0;
  for (const auto& prob : v["problems"]) {
    EXPECT_EQ(prob["status"], "ok") << prob.dump();
    for (const auto& c : prob["candidates"]) {
      if (c["after"] == "UNSUPPORTED") continue;  // a forced solver NORMAL-mode Find says does not apply
      ++ran;
      EXPECT_EQ(c["after"], "PASS") << prob.dump();
      // The double honours the profile in the fresh worker: the switched-off solvers are not offered.
      for (const char* off : {kGemmFwd, kGemmBwdRest, kWrw1x1, kFury})
        EXPECT_NE(c["candidate"], off) << prob.dump();
    }
  }
  EXPECT_GE(ran, 40u) << "the working solvers must still run";

  // GEMM off alone leaves the narrower culprits failing: verify must say so.
  const std::string gemm_only = (dir / "gemm-only.sh").string();
  std::ofstream(gemm_only) << "export MIOPEN_DEBUG_CONV_GEMM=0\n";
  auto partial =
      run_shell(with_double("verify --policy " + gemm_only + " --db " + culprits_db + kVerifyLimits));
  EXPECT_EQ(partial.exit_code, 1) << partial.out << partial.err;
  EXPECT_NE(partial.out.find(std::string("still failing ") + kWrw1x1 + ": MISMATCH"), std::string::npos)
      << partial.out;
  EXPECT_NE(partial.out.find(std::string("still failing ") + kFury + ": FAILED"), std::string::npos)
      << partial.out;
  EXPECT_EQ(partial.out.find(kGemmBwdRest), std::string::npos) << partial.out;
  std::filesystem::remove_all(dir);
}

// Issue 15: every release's solvers that apply to the gfx1010 sizes (3->64, 3x3, pad 1, fwd f32) on the
// double's gfx1010, dynamic or not. Deprecated ones are off on gfx1010 from 5.7 (ConvAsm3x3U 1,
// ConvOclDirectFwd 11, ConvHipImplicitGemmV4R1Fwd 26); 7.x has no 11 and adds ConvHipDirectFwd 217.
std::set<int> expected_probed(const std::string& release) {
  if (release == "5.2") return {1, 11, 26, 34, 53, 62, 84, 85, 91};
  if (release == "7.x") return {34, 53, 62, 84, 85, 91, 217};
  return {34, 53, 62, 84, 85, 91};
}

int solver_id_of(const std::string& candidate) {
  const size_t a = candidate.find('.'), b = candidate.find('.', a + 1);
  return std::stoi(candidate.substr(a + 1, b - a - 1));
}

// Issue 15 part 3: per-shape steering through MIOpen's user find-db, on the sweep's verdicts.
std::string finddb_name(const std::string& release) {
  if (release == "5.2") return "gfx1010_36.HIP.2_17_0_3ddc968c.ufdb.txt";
  if (release == "5.7") return "gfx1010_36.HIP.2_20_0_f185a646.ufdb.txt";
  if (release == "6.x") return "gfx1010_36.HIP.3_2_0_36bb7fd4.ufdb.txt";
  return "gfx1010_36.HIP.3_5_1_b3811300ed.ufdb.txt";
}

/// A record's value naming GemmFwdRest, in the release's format (1.0 up to MIOpen 2.19 = ROCm 5.5).
std::string gemm_value(const std::string& release) {
  return release == "5.2"
             ? "miopenConvolutionFwdAlgoGEMM:GemmFwdRest,0.5,190512,miopenConvolutionFwdAlgoGEMM,<unused>"
             : "GemmFwdRest:0.5,190512,miopenConvolutionFwdAlgoGEMM";
}

/// The user's own record for a shape convprobe never swept: it must survive every write byte for byte.
std::string foreign_line(const std::string& release) {
  return "64-56-56-1x1-64-56-56-16-0x0-1x1-1x1-0-NCHW-FP32-F=" +
         std::string(release == "5.2" ? "miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.02,0,"
                                        "miopenConvolutionFwdAlgoGEMM,<unused>"
                                      : "GemmFwd1x1_0_1:0.02,0,miopenConvolutionFwdAlgoGEMM");
}

/// The find-db text with the record of the key starting `prefix` given `value` ("" removes it).
std::string with_record(const std::string& text, const std::string& prefix, const std::string& value) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) {
      out += line + "\n";
    } else if (!value.empty()) {
      out += line.substr(0, line.find('=') + 1) + value + "\n";
    }
  }
  return out;
}

std::string steer_env(const std::string& release, const std::filesystem::path& userdb) {
  return "CONVPROBE_MIOPEN_DOUBLE_VERSION=" + release + " MIOPEN_USER_DB_PATH='" + userdb.string() + "' ";
}

CommandResult verify_finddb(const std::string& release, const std::filesystem::path& file,
                            const std::string& db, bool json) {
  return run_shell("CONVPROBE_MIOPEN_DOUBLE_VERSION=" + release + " " +
                   with_double("verify --policy '" + file.string() + "' --db " + db +
                               (json ? " --json -" : "") + kVerifyLimits));
}

/// verify's JSON: every problem picks its record's solver in both modes and passes; never GEMM above
/// 42x42; every record names a solver that passed in the sweep. Returns problem -> written solver.
std::map<std::string, std::string> expect_steered(const nlohmann::json& v, const Outcomes& swept,
                                                  const std::string& what) {
  std::map<std::string, std::string> written;
  EXPECT_EQ(v["ok"], true) << what << v.dump(1);
  EXPECT_EQ(v["format"], "miopen-finddb") << what;
  EXPECT_EQ(v["problems"].size(), 9u) << what;
  for (const auto& prob : v["problems"]) {
    const std::string problem = prob["problem"];
    const std::string solver = prob.value("written", "");
    written[problem] = solver;
    EXPECT_EQ(prob["status"], "ok") << what << prob.dump();
    if (input_hw(problem) > 42) {
      EXPECT_NE(solver, "GemmFwdRest") << what << " " << problem;
    }
    bool passed_in_sweep = false;
    for (const auto& [candidate, o] : swept.at(problem)) {
      if (candidate.substr(candidate.rfind('.') + 1) == solver) passed_in_sweep = o.verdict == "PASS";
    }
    EXPECT_TRUE(passed_in_sweep) << what << " " << problem << " " << solver;
    EXPECT_EQ(prob["candidates"].size(), 2u) << what << prob.dump();
    for (const auto& c : prob["candidates"]) {
      EXPECT_EQ(c["after"], "PASS") << what << prob.dump();
      EXPECT_FALSE(c["picked"].empty()) << what << prob.dump();
      if (c["picked"].empty()) continue;
      const std::string picked = c["picked"][0];
      EXPECT_EQ(picked.substr(picked.rfind('.') + 1), solver) << what << " " << c["candidate"];
    }
  }
  return written;
}

/// Both ways of writing the records (convprobe's merge, MIOpen's own NORMAL Find, the default here), then
/// verify: MIOpen picks the written solver everywhere, and the user's own line survives.
void expect_finddb_steering(const std::string& release, const std::filesystem::path& dir,
                            const std::string& db, const Outcomes& swept, bool negatives) {
  std::filesystem::path convprobe_file;
  for (const std::string by : {"convprobe", "default"}) {
    const auto userdb = dir / ("userdb-" + by);
    std::filesystem::create_directories(userdb);
    const auto file = userdb / finddb_name(release);
    std::ofstream(file, std::ios::binary) << foreign_line(release) << "\n";
    const std::string flag = by == "default" ? "" : " --finddb-by " + by;
    auto pol = run_shell(steer_env(release, userdb) +
                         with_double("policy --db " + db + " --emit miopen-finddb --finddb auto" + flag));
    ASSERT_EQ(pol.exit_code, 0) << by << pol.out << pol.err;
    if (by == "default") {
      EXPECT_NE(pol.err.find("records written by MIOpen itself"), std::string::npos) << pol.err;
      EXPECT_NE(pol.out.find("1 other line(s) of the file kept byte for byte"), std::string::npos) << pol.out;
      EXPECT_EQ(pol.out.find("FAILED"), std::string::npos) << pol.out;
    } else {
      convprobe_file = file;
    }
    const std::string text = read_file(file);
    EXPECT_TRUE(has_line(text, foreign_line(release))) << by << "\n" << text;
    auto verify = verify_finddb(release, file, db, true);
    EXPECT_EQ(verify.exit_code, 0) << by << verify.out << verify.err;
    expect_steered(parse_or_fail(verify), swept, release + " " + by);
    EXPECT_TRUE(has_line(read_file(file), foreign_line(release))) << "verify changed the file";
  }
  if (!negatives) return;
  // A first run: no user find-db of this MIOpen yet, not even the folder. MIOpen names the file itself.
  const auto fresh = dir / "userdb-fresh";
  auto first = run_shell(steer_env(release, fresh) +
                         with_double("policy --db " + db + " --emit miopen-finddb --finddb auto"));
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_TRUE(std::filesystem::exists(fresh / finddb_name(release))) << first.out;
  auto first_verify = verify_finddb(release, fresh / finddb_name(release), db, true);
  EXPECT_EQ(first_verify.exit_code, 0) << first_verify.out << first_verify.err;
  expect_steered(parse_or_fail(first_verify), swept, release + " first run");
  // GEMM where it works (32, 42) is steerable too; a removed record or one naming the hanging GEMM fails.
  const std::string good = read_file(convprobe_file);
  const auto gemm_dir = dir / "userdb-gemm";
  std::filesystem::create_directories(gemm_dir);
  std::ofstream(gemm_dir / finddb_name(release), std::ios::binary)
      << with_record(with_record(good, "3-32-32-", gemm_value(release)), "3-42-42-", gemm_value(release));
  auto gemm = verify_finddb(release, gemm_dir / finddb_name(release), db, true);
  EXPECT_EQ(gemm.exit_code, 0) << gemm.out << gemm.err;
  const auto written = expect_steered(parse_or_fail(gemm), swept, release + " gemm kept");
  EXPECT_EQ(written.at("mb1ic3ih32oc64kh3ph1"), "GemmFwdRest");
  EXPECT_EQ(written.at("mb1ic3ih42oc64kh3ph1"), "GemmFwdRest");

  const auto bad_dir = dir / "userdb-bad";
  std::filesystem::create_directories(bad_dir);
  std::ofstream(bad_dir / finddb_name(release), std::ios::binary)
      << with_record(with_record(good, "3-48-48-", ""), "3-64-64-", gemm_value(release));
  auto bad = verify_finddb(release, bad_dir / finddb_name(release), db, false);
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("FAIL mb1ic3ih48oc64kh3ph1"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("no record for 3-48-48-3x3-64-48-48-1-1x1-1x1-1x1-0-NCHW-FP32-F"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("FAIL mb1ic3ih64oc64kh3ph1  record: GemmFwdRest"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("immediate mode: HANG"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("find mode: HANG"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("NOT verified: 7 of 9"), std::string::npos) << bad.out;
}

// One sweep per release feeds both the solver check and the find-db steering (the sweep is the slow part).
void expect_release_sweep(const std::string& release, bool finddb_negatives) {
  const auto dir = temp_dir("miopen-release-" + release);
  const std::string db = (dir / "runs.db").string();
  auto sweep = run_shell("CONVPROBE_MIOPEN_DOUBLE_VERSION=" + release + " " +
                         with_double("sweep -b miopen --preset gfx1010-sizes -q --json - --db " + db +
                                     std::string(kSweepLimits)));
  ASSERT_LT(sweep.exit_code, 2) << sweep.err;
  const auto got = outcomes_of(parse_or_fail(sweep));
  ASSERT_EQ(got.size(), 9u) << "gfx1010-sizes has nine problems";
  for (const auto& [problem, by_candidate] : got) {
    const int64_t hw = input_hw(problem);
    std::set<int> probed;
    for (const auto& [candidate, o] : by_candidate) {
      const int id = solver_id_of(candidate);
      if (o.verdict == "UNSUPPORTED") continue;
      probed.insert(id);
      const std::string want = id == 91 && hw > 42 ? "HANG" : "PASS";
      EXPECT_EQ(o.verdict, want) << release << " " << problem << " " << candidate << ": " << o.detail;
    }
    EXPECT_EQ(probed, expected_probed(release)) << release << " " << problem;
  }
  expect_finddb_steering(release, dir, db, got, finddb_negatives);
  std::filesystem::remove_all(dir);
}

TEST(MiopenCliChain, CPU_Release52SweepThenFindDbSteering) { expect_release_sweep("5.2", true); }
TEST(MiopenCliChain, CPU_Release57SweepThenFindDbSteering) { expect_release_sweep("5.7", false); }
TEST(MiopenCliChain, CPU_Release6xSweepThenFindDbSteering) { expect_release_sweep("6.x", false); }
TEST(MiopenCliChain, CPU_Release7xSweepThenFindDbSteering) { expect_release_sweep("7.x", true); }

// The user's own files in the user db dir, in the release's names (double_finddb.cpp): a find-db with a
// record for one of the swept problems and one for another shape, and a perf-db.
struct UserDb {
  std::filesystem::path dir;
  std::map<std::string, std::string> files;  ///< name -> content
};

UserDb seed_user_db(const std::filesystem::path& dir, const std::string& release) {
  UserDb db{dir, {}};
  std::filesystem::create_directories(dir);
  if (release == "5.2") {
    db.files["gfx1010_36.HIP.2_17_0_3ddc968c.ufdb.txt"] =
        "3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,0.05,"
        "110592,miopenConvolutionFwdAlgoGEMM,<unused>\n"
        "64-56-56-1x1-64-56-56-16-0x0-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.02,"
        "0,"
        "miopenConvolutionFwdAlgoGEMM,<unused>\n";
    db.files["gfx1010_36_1.1.0.udb"] = std::string("SQLite format 3\0user tuning", 27);
  } else {
    db.files["gfx1010_36.HIP.3_2_0_36bb7fd4.ufdb.txt"] =
        "3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F=GemmFwdRest:0.05,110592,"
        "miopenConvolutionFwdAlgoGEMM\n";
    db.files["gfx1010_36.HIP.3_2_0_36bb7fd4.udb.txt"] =
        "3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F=ConvBinWinoRxS<2-3>:user-tuned\n";
  }
  for (const auto& [name, content] : db.files) std::ofstream(dir / name, std::ios::binary) << content;
  return db;
}

void expect_user_db_unchanged(const UserDb& db, const std::string& when) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(db.dir))
    names.insert(e.path().filename().string());
  std::set<std::string> want;
  for (const auto& [name, content] : db.files) {
    want.insert(name);
    EXPECT_EQ(read_file(db.dir / name), content) << when << ": " << name << " changed";
  }
  EXPECT_EQ(names, want) << when << ": files appeared in the user db dir";
}

constexpr const char* kUserEnvProblems =
    "mb1ic3ih32oc64kh3ph1\n"
    "mb1ic3ih44oc64kh3ph1\n"
    "mb1ic4ih16oc4kh1\n"
    "bwdw_mb2ic4ih16oc4kh3ph1\n";

// A user environment that changes Find (FAST, FIND_ENFORCE=SEARCH) gives the verdicts of a clean one, and
// nothing in the user's db dir changes during the sweeps.
void expect_user_env_ignored(const std::string& release) {
  const auto dir = temp_dir("miopen-user-env-" + release);
  const std::string problems = (dir / "problems.txt").string();
  std::ofstream(problems) << kUserEnvProblems;
  const UserDb db = seed_user_db(dir / "userdb", release);
  nlohmann::json last_run;
  const auto sweep = [&](const std::string& user_env) {
    auto r = run_shell(
        "CONVPROBE_MIOPEN_DOUBLE_VERSION=" + release + " MIOPEN_USER_DB_PATH='" + db.dir.string() + "' " +
        user_env + " " +
        with_double("sweep -b miopen --problems " + problems + " -q --json - --no-db" + kSweepLimits));
    EXPECT_LT(r.exit_code, 2) << r.err;
    const auto doc = parse_or_fail(r);
    last_run = doc.value("run", nlohmann::json::object());
    return outcomes_of(doc);
  };
  const Outcomes clean = sweep("");
  expect_user_db_unchanged(db, "clean sweep");
  ASSERT_EQ(clean.size(), 4u);
  for (const std::string user_env :
       {"MIOPEN_FIND_MODE=FAST", "MIOPEN_FIND_ENFORCE=SEARCH", "MIOPEN_FIND_MODE=2",
        "MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK=1 MIOPEN_FIND_ENFORCE=4"}) {
    const Outcomes got = sweep(user_env);
    expect_user_db_unchanged(db, user_env);
    // The run fingerprint shows both: the user's value and what the forced workers ran with.
    const auto env = last_run.value("env", nlohmann::json::object());
    EXPECT_EQ(env.value("MIOPEN_FIND_MODE (forced workers)", ""), "NORMAL") << env.dump();
    EXPECT_EQ(env.value("MIOPEN_FIND_ENFORCE (forced workers)", ""), "(unset)") << env.dump();
    ASSERT_EQ(got.size(), clean.size()) << user_env;
    for (const auto& [problem, by_candidate] : clean) {
      ASSERT_EQ(got.count(problem), 1u) << user_env << " " << problem;
      for (const auto& [candidate, o] : by_candidate) {
        ASSERT_EQ(got.at(problem).count(candidate), 1u) << user_env << " " << problem << " " << candidate;
        EXPECT_EQ(got.at(problem).at(candidate).verdict, o.verdict)
            << user_env << " " << problem << " " << candidate << ": " << got.at(problem).at(candidate).detail;
      }
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(MiopenCliChain, CPU_UserFindSettingsChangeNothing52) { expect_user_env_ignored("5.2"); }
TEST(MiopenCliChain, CPU_UserFindSettingsChangeNothing6x) { expect_user_env_ignored("6.x"); }

TEST(MiopenCliChain, CPU_BisectFindsTheGfx1010Boundary) {
  const auto dir = temp_dir("miopen-cli-bisect");
  auto bisect = run_shell(with_double(std::string("bisect -b miopen --candidate ") + kGemmFwd +
                                      " --from mb1ic3ih32oc64kh3ph1 --axis hw --to 64 --json - --db " +
                                      (dir / "runs.db").string() + kBisectLimits));
  ASSERT_EQ(bisect.exit_code, 0) << bisect.out << bisect.err;
  const auto b = parse_or_fail(bisect);
  EXPECT_EQ(b["result"], "boundary");
  EXPECT_EQ(b["last_good"]["value"], 42);
  EXPECT_EQ(b["last_good"]["verdict"], "PASS");
  EXPECT_EQ(b["first_bad"]["value"], 43);
  EXPECT_EQ(b["first_bad"]["verdict"], "HANG");
  EXPECT_EQ(b["summary"], std::string(kGemmFwd) + ": PASS at hw<=42, HANG at hw>=43");
  std::filesystem::remove_all(dir);
}

TEST(MiopenCliChain, CPU_MissingLibrariesAreUnavailableNotACrash) {
  auto devices = run_shell(without_rocm("devices -b miopen"));
  EXPECT_EQ(devices.exit_code, 1) << devices.out << devices.err;  // 1: unavailable; a signal would be >= 128
  EXPECT_NE(devices.out.find("unavailable: MIOpen not found"), std::string::npos) << devices.out;
  EXPECT_NE(devices.out.find("/nonexistent-rocm/lib/libMIOpen.so: no such file"), std::string::npos)
      << devices.out;

  auto all = run_shell(without_rocm("devices"));
  EXPECT_EQ(all.exit_code, 0) << all.out << all.err;  // another backend is there; miopen is just listed
  EXPECT_NE(all.out.find("unavailable: MIOpen not found"), std::string::npos) << all.out;

  // The supervisor's commands refuse cleanly.
  const std::vector<std::string> commands = {"sweep -b miopen --preset gfx1010-sizes --no-db",
                                             std::string("bisect -b miopen --candidate ") + kGemmFwd +
                                                 " --from mb1ic3ih32oc64kh3ph1 --axis hw --to 64 --no-db"};
  for (const auto& args : commands) {
    auto r = run_shell(without_rocm(args));
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("unavailable: MIOpen not found"), std::string::npos) << args << "\n" << r.err;
  }

  // A ROCm tree whose libMIOpen.so is really the test double: a real search refuses it.
  const auto rocm = temp_dir("miopen-fake-rocm");
  std::filesystem::create_directories(rocm / "lib");
  std::filesystem::create_symlink(
      std::filesystem::path(CONVPROBE_MIOPEN_DOUBLE_DIR) / "libconvprobe_test_miopen_double.so",
      rocm / "lib" / "libMIOpen.so");
  auto fake = run_shell("env -u CONVPROBE_MIOPEN_TEST_DOUBLE ROCM_PATH='" + rocm.string() + "' " +
                        convprobe_bin() + " devices -b miopen");
  EXPECT_EQ(fake.exit_code, 1) << fake.out << fake.err;
  EXPECT_NE(fake.out.find("is convprobe's test double"), std::string::npos) << fake.out;

  // Required entry points missing (a broken install): unavailable with their names.
  auto broken =
      run_shell("CONVPROBE_MIOPEN_TEST_HIDE_SYMBOLS=miopenCreate " + with_double("devices -b miopen"));
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("missing entry points: miopenCreate"), std::string::npos) << broken.out;
  std::filesystem::remove_all(rocm);
}

}  // namespace
}  // namespace convprobe::test
