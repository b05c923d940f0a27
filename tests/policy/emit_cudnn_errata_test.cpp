// cudnn-errata's decide step as data (the rules, checked with the frontend's own matching rule) and its
// render step, read back by the errata reader the cuDNN backend uses (vendor/cudnn_errata).
#include "policy/emit_cudnn_errata.hpp"

#include <gtest/gtest.h>

#include "emitter_fixtures.hpp"

namespace convprobe {
namespace {

ErrataDecision decide(const std::vector<StoredTrial>& trials, const std::string& version,
                      double block_slower = 0) {
  PolicyOptions options;
  options.block_slower = block_slower;
  Policy policy = derive_policy("cudnn", trials, options);
  policy.backend_version = version;
  return decide_cudnn_errata(policy, trials);
}

bool blocked(const ErrataDecision& d, const std::string& tag, uint64_t version) {
  for (const auto& rule : d.rules) {
    if (cudnn::rule_matches(rule, tag, version)) return true;
  }
  return false;
}

bool has_note(const ErrataDecision& d, const std::string& start) {
  for (const auto& n : d.notes) {
    if (n.rfind(start, 0) == 0) return true;
  }
  return false;
}

TEST(DecideCudnnErrata, OneRulePerBlockedPlanTagForTheMeasuredMinorSeries) {
  const ErrataDecision d = decide(test::cudnn_trials(), "cuDNN 9.19.0", 1.2);
  std::vector<std::string> ids;
  for (const auto& r : d.rules) ids.push_back(r.rule_id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "convprobe:ConvBwdData_eng58_k2=4_k5=2_k14=3", "convprobe:ConvFwd_eng0",
                     "convprobe:ConvFwd_eng38_k2=1_k13=0", "convprobe:ConvFwd_eng67_k2=5_k13=0",
                     "pytorch_builtin_3d_ConvBwdData_eng23", "pytorch_builtin_3d_ConvFwd_eng23"}));
  EXPECT_EQ(d.rules[0].knobs, std::vector<std::string>{"k2=4_k5=2_k14=3"});  // the whole suffix, one string
  EXPECT_TRUE(d.rules[1].knobs.empty());                                     // a default config: the engine
  EXPECT_EQ(d.rules[0].version_start, 91900u);
  EXPECT_EQ(d.rules[0].version_end, 92000u);

  EXPECT_TRUE(blocked(d, "ConvFwd_eng67_k2=5_k13=0", 91900));   // HANG
  EXPECT_TRUE(blocked(d, "ConvFwd_eng38_k2=1_k13=0", 91903));   // slow, same minor series
  EXPECT_FALSE(blocked(d, "ConvFwd_eng38_k2=1_k13=0", 92000));  // the next series was not measured
  EXPECT_FALSE(blocked(d, "ConvFwd_eng1", 91900));              // the winner
  EXPECT_TRUE(blocked(d, "ConvBwdData_eng23_k1=0", 93000));     // PyTorch's built-in rule, every version
  EXPECT_TRUE(has_note(d, "skipped legacy.fwd.IMPLICIT_GEMM: not a cudnn-frontend plan tag"));
  EXPECT_TRUE(has_note(d, "blocked ConvFwd_eng67_k2=5_k13=0: HANG"));
}

TEST(DecideCudnnErrata, AnUnknownVersionBlocksEveryVersionWithAWarningFirst) {
  const ErrataDecision d = decide(test::cudnn_trials(), "");
  ASSERT_FALSE(d.notes.empty());
  EXPECT_EQ(d.notes[0].rfind("warning: cuDNN version unknown", 0), 0u) << d.notes[0];
  EXPECT_EQ(d.rules[0].version_start, 0u);
  EXPECT_EQ(d.rules[0].version_end, UINT64_MAX);
  EXPECT_TRUE(blocked(d, "ConvFwd_eng67_k2=5_k13=0", 80000));
  EXPECT_TRUE(blocked(d, "ConvFwd_eng67_k2=5_k13=0", 100000));
}

TEST(DecideCudnnErrata, WarnsWhenARuleAlsoReachesAKeptConfigBySubstring) {
  const std::string p = "mb32ic64ih56oc64kh3ph1";
  const auto trials = test::make_trials("cudnn", {{p, "ConvFwd_eng67_k13=0", "engine", Verdict::hang},
                                                  {p, "ConvFwd_eng67_k13=05", "engine", Verdict::pass, 1.0}});
  const ErrataDecision d = decide(trials, "cuDNN 9.19.0");
  EXPECT_TRUE(blocked(d, "ConvFwd_eng67_k13=05", 91900));  // what the frontend does, hence the warning
  EXPECT_TRUE(has_note(d, "warning: the rule for ConvFwd_eng67_k13=0 also blocks ConvFwd_eng67_k13=05"));
}

TEST(RenderCudnnErrata, TheErrataReaderReadsBackTheDecidedRules) {
  const auto trials = test::cudnn_trials();
  Policy policy = derive_policy("cudnn", trials, {});
  const ErrataDecision d = decide(trials, "");
  const EmitResult r = render_cudnn_errata(d, EmitInput{&policy, &trials, "/tmp/errata file.json"});
  cudnn::Errata reader;
  std::string err;
  ASSERT_TRUE(reader.parse(r.content, "rendered", &err)) << err;
  ASSERT_EQ(reader.rules().size(), d.rules.size());
  for (size_t i = 0; i < d.rules.size(); ++i) {
    const auto& want = d.rules[i];
    const auto& got = reader.rules()[i];
    EXPECT_EQ(got.rule_id, want.rule_id);
    EXPECT_EQ(got.operation, want.operation);
    EXPECT_EQ(got.engine, want.engine);
    EXPECT_EQ(got.knobs, want.knobs);
    EXPECT_EQ(got.version_start, want.version_start);
    EXPECT_EQ(got.version_end, want.version_end);  // "no end" travels as -1
  }
  EXPECT_NE(r.content.find("\"cudnn_version_end\": -1"), std::string::npos) << r.content;
  EXPECT_EQ(r.notes.back(), "export CUDNN_ERRATA_JSON_FILE='/tmp/errata file.json'");
}

}  // namespace
}  // namespace convprobe
