// cudnn-errata and --block-slower. (1) The yardstick is the fastest config PyTorch can be offered (heuristics
// configs), not a default or sampled config it never sees. (2) An engine's default config has no knob choices
// (tag `ConvFwd_eng67`), so an errata rule for it matches every config of the engine. Blocking such a config
// for being slow must not take a kept config of the same engine with it; blocking it for a failure still does
// (never unblock a known-bad engine).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emitter_fixtures.hpp"
#include "policy/emit_cudnn_errata.hpp"

namespace convprobe {
namespace {

bool has_rule_for(const nlohmann::json& doc, int64_t engine, bool with_knobs) {
  for (const auto& r : doc["rules"]) {
    if (r["operation"] == "ConvFwd" && r["engine"] == engine && r.contains("knob") == with_knobs) return true;
  }
  return false;
}

nlohmann::json emit_with(const std::vector<StoredTrial>& trials) {
  PolicyOptions options;
  options.block_slower = 1.2;
  Policy policy = derive_policy("cudnn", trials, options);
  policy.backend_version = "cuDNN 9.19.0";
  return nlohmann::json::parse(test::emitter_of("cudnn-errata")(EmitInput{&policy, &trials, ""}).content);
}

TEST(ErrataDefaultConfig, SlowDefaultConfigIsNotWrittenWhileASiblingIsKept) {
  const std::string p1 = "mb32ic64ih56oc64kh3ph1", p2 = "mb32ic128ih28oc128kh3ph1";
  const auto trials =
      test::make_trials("cudnn", {{p1, "ConvFwd_eng67", "engine", Verdict::pass, 3.0},
                                  {p2, "ConvFwd_eng67", "engine", Verdict::pass, 3.0},
                                  {p1, "ConvFwd_eng67_k2=5_k13=0", "engine", Verdict::pass, 1.0},
                                  {p2, "ConvFwd_eng67_k2=5_k13=0", "engine", Verdict::pass, 1.0},
                                  {p1, "ConvFwd_eng6", "engine", Verdict::pass, 2.0},
                                  {p2, "ConvFwd_eng6", "engine", Verdict::pass, 2.0}});
  const auto doc = emit_with(trials);
  EXPECT_FALSE(has_rule_for(doc, 67, false)) << doc.dump();  // would block the kept k2=5_k13=0 too
  EXPECT_TRUE(has_rule_for(doc, 6, false)) << doc.dump();    // no other config of engine 6: exact
}

TEST(ErrataDefaultConfig, FailingDefaultConfigStillBlocksItsEngine) {
  const std::string p1 = "mb32ic64ih56oc64kh3ph1";
  const auto trials =
      test::make_trials("cudnn", {{p1, "ConvFwd_eng67", "engine", Verdict::mismatch, 0, "rel_err 1"},
                                  {p1, "ConvFwd_eng67_k2=5_k13=0", "engine", Verdict::pass, 1.0}});
  EXPECT_TRUE(has_rule_for(emit_with(trials), 67, false));
}

std::map<std::string, std::string> source(const std::string& s) { return {{"source", s}}; }

TEST(ErrataYardstick, SlownessIsJudgedAgainstWhatHeuristicsOffer) {
  const std::string p1 = "mb32ic128ih28oc128kh3ph1";
  // PyTorch's pick (heuristics) 1.3 ms, a winograd default config it never sees 1.0 ms, a worse heuristics
  // config 2.0 ms, a down-converting heuristics config PyTorch always drops 0.5 ms.
  const auto trials = test::make_trials(
      "cudnn", {{p1, "ConvFwd_eng3_k11=2", "engine", Verdict::pass, 1.3, "", source("heur_a+heur_b")},
                {p1, "ConvFwd_eng6", "engine", Verdict::pass, 1.0, "", source("default")},
                {p1, "ConvFwd_eng70_k2=12_k18=1", "engine", Verdict::pass, 2.0, "", source("heur_a")},
                {p1, "ConvFwd_eng9_k2=1", "engine", Verdict::pass, 0.5, "", source("fallback")}});
  auto with_note = trials;
  with_note[3].candidate.notes = "tensor_core,down_convert,tf32";
  PolicyOptions options;
  options.block_slower = 1.2;
  options.yardstick = cudnn_heuristics_offered;
  const Policy policy = derive_policy("cudnn", with_note, options);
  EXPECT_EQ(policy.find_blocked("ConvFwd_eng3_k11=2"), nullptr);  // the best PyTorch can get
  EXPECT_NE(policy.find_blocked("ConvFwd_eng70_k2=12_k18=1"), nullptr);
  EXPECT_EQ(policy.find_blocked("ConvFwd_eng6"), nullptr);

  options.yardstick = nullptr;  // convprobe's own policy: every candidate is a yardstick
  EXPECT_NE(derive_policy("cudnn", trials, options).find_blocked("ConvFwd_eng3_k11=2"), nullptr);
}

TEST(ErrataYardstick, NoOfferedConfigMeansNothingIsSlow) {
  const std::string p1 = "mb32ic128ih28oc128kh3ph1";
  const auto trials = test::make_trials(
      "cudnn", {{p1, "ConvFwd_eng6", "engine", Verdict::pass, 1.0, "", source("default")},
                {p1, "ConvFwd_eng28_k2=0_k3=1", "engine", Verdict::pass, 3.0, "", source("sample")}});
  PolicyOptions options;
  options.block_slower = 1.2;
  options.yardstick = cudnn_heuristics_offered;
  EXPECT_TRUE(derive_policy("cudnn", trials, options).blocked.empty());
}

}  // namespace
}  // namespace convprobe
