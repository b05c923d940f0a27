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
constexpr const char* kWrw1x1 = "miopen.25.ConvOclBwdWrW1x1";
constexpr const char* kFury = "miopen.139.ConvWinoFuryRxS<2-3>";

// One problem per reported misbehaviour besides the GEMM hang (the double's rules:
// tests/backends/miopen/double/double_registry.hpp).
constexpr const char* kCulprits =
    "# GemmBwdRest segfaults above batch 2\n"
    "bwdd_mb4ic4ih16oc4kh3ph1\n"
    "# ConvOclBwdWrW1x1 returns wrong numbers in bwd-weights 1x1\n"
    "bwdw_mb2ic8ih16oc8kh1\n"
    "# Winograd Fury: a timer running backwards at C=8, miopenStatusUnknownError at C=64\n"
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
      if (culprits.count(candidate) == 0) {
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
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_AMD_WINOGRAD_FURY_RXS_F2X3=0")) << text;
  EXPECT_TRUE(has_line(text, "export MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW1X1=0")) << text;
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
