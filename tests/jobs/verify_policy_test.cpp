#include "jobs/verify_policy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "policy/policy_file.hpp"
#include "vendor/onednn_isa.hpp"
#include "policy/policy_source.hpp"
#include "support/run_command.hpp"

namespace convprobe {
namespace {

VerifiedCandidate vc(const std::string& id, std::optional<Verdict> before, Verdict after) {
  VerifiedCandidate c;
  c.id = id;
  c.before = before;
  c.after.verdict = after;
  return c;
}

TEST(VerifyJudge, PassesWhenTheFailingCandidateIsGone) {
  const auto p = judge_problem("p", {{"hang", Verdict::hang}, {"ok", Verdict::pass}},
                               {vc("ok", Verdict::pass, Verdict::pass)}, {"hang"});
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.removed, std::vector<std::string>{"hang"});
  EXPECT_EQ(p.before_pass, 1u);
  EXPECT_EQ(p.after_pass, 1u);
}

TEST(VerifyJudge, StillFailingNewFailureAndLostEverything) {
  auto p = judge_problem("p", {{"hang", Verdict::hang}, {"ok", Verdict::pass}},
                         {vc("hang", Verdict::hang, Verdict::hang), vc("ok", Verdict::pass, Verdict::pass)},
                         {"hang"});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.issues[0].rfind("still failing hang", 0), 0u) << p.issues[0];

  p = judge_problem("p", {{"ok", Verdict::pass}}, {vc("ok", Verdict::pass, Verdict::crash)}, {});
  ASSERT_EQ(p.issues.size(), 2u);
  EXPECT_EQ(p.issues[0].rfind("new failure ok", 0), 0u) << p.issues[0];
  EXPECT_EQ(p.issues[1].rfind("lost all passing candidates", 0), 0u) << p.issues[1];

  p = judge_problem("p", {{"ok", Verdict::pass}}, {}, {"ok"});
  ASSERT_EQ(p.issues.size(), 1u);
  EXPECT_EQ(p.issues[0].rfind("lost all passing", 0), 0u);
}

TEST(VerifyJudge, ABlockedCandidateThatNowPassesIsANote) {
  const auto p = judge_problem("p", {{"x", Verdict::hang}}, {vc("x", Verdict::hang, Verdict::pass)}, {"x"});
  EXPECT_TRUE(p.ok());
  ASSERT_EQ(p.notes.size(), 1u);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("convprobe_verify_test_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(PolicySource, ReadsEachFormat) {
  PolicySource s;
  std::string err;
  ASSERT_TRUE(read_policy_source(write_temp("m.sh",
                                            "# c\n\nexport MIOPEN_DEBUG_CONV_GEMM=0\nexport "
                                            "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1\n"),
                                 &s, &err))
      << err;
  EXPECT_EQ(s.format, "miopen-env");
  EXPECT_EQ(s.backend, "miopen");
  EXPECT_EQ(s.env.at("MIOPEN_DEBUG_CONV_GEMM"), "0");

  ASSERT_TRUE(read_policy_source(write_temp("o.sh", "export ONEDNN_MAX_CPU_ISA=AVX2\n"), &s, &err)) << err;
  EXPECT_EQ(s.format, "onednn-env");

  const std::string errata =
      write_temp("e.json", R"({"version":1,"rules":[{"operation":"ConvFwd","engine":23}]})");
  ASSERT_TRUE(read_policy_source(errata, &s, &err)) << err;
  EXPECT_EQ(s.format, "cudnn-errata");
  EXPECT_EQ(s.env.at("CUDNN_ERRATA_JSON_FILE"), std::filesystem::absolute(errata).string());

  ASSERT_TRUE(read_policy_source(write_temp("c.json", R"({"schema_version":1,"backend":"fault","blocked":[
      {"candidate":"fault.hang@hw>42","evidence":[{"problem":"mb1ic3ih44oc64kh3ph1","verdict":"HANG"}]}]})"),
                                 &s, &err))
      << err;
  EXPECT_EQ(s.format, "convprobe");
  ASSERT_TRUE(s.policy);
  std::vector<StoredTrial> none;
  EXPECT_EQ(problems_behind(s, "fault", none), std::vector<std::string>{"mb1ic3ih44oc64kh3ph1"});
}

TEST(PolicySource, RejectsWhatWouldBreakAFramework) {
  PolicySource s;
  std::string err;
  EXPECT_FALSE(read_policy_source(
      write_temp("bad.json", R"({"rules":[{"operation":"ConvFwd","engine":"38"}]})"), &s, &err));
  EXPECT_NE(err.find("rules[0].engine"), std::string::npos) << err;
  EXPECT_FALSE(read_policy_source(write_temp("bad.sh", "export MIOPEN_DEBUG_CONV_GEMM=maybe\n"), &s, &err));
  EXPECT_NE(err.find("MIOPEN_DEBUG_CONV_GEMM"), std::string::npos) << err;
  EXPECT_FALSE(read_policy_source(write_temp("bad2.sh", "rm -rf /\n"), &s, &err));
  EXPECT_NE(err.find("line 1"), std::string::npos) << err;
  EXPECT_FALSE(read_policy_source(write_temp("bad3.sh", "export A=$(id)\n"), &s, &err));
}

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md F3): a number beyond double made
// nlohmann throw out_of_range.406, which the readers did not catch: `verify` exited 1 ("a problem still
// fails") without naming the file. Now it is invalid JSON like any other, exit 2, naming the file.
TEST(PolicySource, NumberBeyondDoubleIsInvalidJsonNamingTheFile) {
  for (const std::string text :
       {R"({"":4e648)", R"({"schema_version":1,"backend":"fault","runs":[1e400]})"}) {
    SCOPED_TRACE(text);
    const std::string path = write_temp("overflow.json", text);
    PolicySource s;
    std::string err;
    EXPECT_FALSE(read_policy_source(path, &s, &err));
    EXPECT_NE(err.find("policy file '" + path + "' is not valid JSON"), std::string::npos) << err;
    Policy p;
    EXPECT_FALSE(load_policy(path, &p, &err));
    EXPECT_NE(err.find("policy file '" + path + "' is not valid JSON"), std::string::npos) << err;
    const auto r = test::run_convprobe("verify --policy " + path);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  }
}

// Regression (issue 13, fuzzing: H7): schema_version 4294967297 was read with get<int>(), which truncates it
// to 1, and accepted.
TEST(PolicySource, SchemaVersionIsComparedAsA64BitInteger) {
  PolicySource s;
  std::string err;
  EXPECT_FALSE(read_policy_source(write_temp("v.json", R"({"schema_version":4294967297,"backend":"fault"})"),
                                  &s, &err));
  EXPECT_NE(err.find("schema_version 4294967297 is not supported"), std::string::npos) << err;
  EXPECT_FALSE(read_policy_source(
      write_temp("v.json", R"({"schema_version":18446744073709551617,"backend":"fault"})"), &s, &err));
  EXPECT_TRUE(read_policy_source(write_temp("v.json", R"({"schema_version":1,"backend":"fault"})"), &s, &err))
      << err;
}

TEST(PolicySource, ProfileValuesUnquoteLikeSh) {
  std::map<std::string, std::string> env;
  std::string err;
  ASSERT_TRUE(parse_profile("export CUDNN_ERRATA_JSON_FILE='/tmp/it'\\''s here'\n", &env, &err)) << err;
  EXPECT_EQ(env.at("CUDNN_ERRATA_JSON_FILE"), "/tmp/it's here");
}

TEST(OnednnIsa, CapsBelowTheLowestFailingIsa) {
  EXPECT_EQ(onednn_impl_isa("direct:jit:avx512_core#2"), "avx512_core");
  EXPECT_EQ(onednn_impl_isa("winograd:jit_wino_4x3:avx512_core"), "avx512_core");
  EXPECT_EQ(onednn_impl_isa("direct:jit_bf16:avx512_core_bf16"), "avx512_core_bf16");
  EXPECT_EQ(onednn_impl_isa("auto:brg:avx512_core_amx"), "avx512_core_amx");
  EXPECT_EQ(onednn_impl_isa("direct:x64:gemm:jit"), std::nullopt);
  EXPECT_EQ(onednn_impl_isa("direct:ref:any"), std::nullopt);
  EXPECT_EQ(onednn_cap_below({"avx512_core"}), "avx2");
  EXPECT_EQ(onednn_cap_below({"avx512_core_bf16"}), "avx512_core_vnni");
  EXPECT_EQ(onednn_cap_below({"avx2", "avx512_core_amx"}), "avx");
  EXPECT_EQ(onednn_cap_below({"sse41"}), std::nullopt);
  EXPECT_TRUE(onednn_isa_allowed("avx2", "avx2"));
  EXPECT_FALSE(onednn_isa_allowed("avx512_core", "avx2"));
  std::string canon;
  EXPECT_TRUE(onednn_documented_isa("AVX2", &canon));
  EXPECT_EQ(canon, "avx2");
  EXPECT_FALSE(onednn_documented_isa("AVX3", &canon));
}

}  // namespace
}  // namespace convprobe
