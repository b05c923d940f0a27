// The reference plugin, loaded the way a worker loads it (dlopen by name from next to the test binary).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/conv_test_problems.hpp"
#include "exec/plugin_loader.hpp"

namespace convprobe {
namespace {

class NullContext : public TrialContext {
 public:
  void enter_phase(Phase, double) override {}
};

class ReferencePlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    loaded_ = load_backend("reference", &reason);
    ASSERT_NE(loaded_, nullptr) << reason;
  }
  Backend& backend() { return loaded_->get(); }

 private:
  std::unique_ptr<LoadedBackend> loaded_;
};

TEST_F(ReferencePlugin, DescribesItself) {
  EXPECT_EQ(backend().name(), "reference");
  const BackendInfo info = backend().info();
  EXPECT_TRUE(info.available);
  EXPECT_EQ(info.version, "convprobe fp64 reference");
  ASSERT_EQ(info.devices.size(), 1u);
  EXPECT_EQ(info.devices[0].name.rfind("cpu (", 0), 0u) << info.devices[0].name;
  EXPECT_NE(info.devices[0].name.find(" threads)"), std::string::npos);
}

TEST_F(ReferencePlugin, PassesEveryDirectionTypeAndLayout) {
  NullContext ctx;
  TrialOptions o;
  o.warmup = 0;
  o.repeats = 2;
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    for (DataType type : {DataType::f32, DataType::f16, DataType::bf16}) {
      Problem p = testing::with_dir(testing::conv2d(2, 6, 11, 9, 4, 3, 3, 2, 1, 1, 2), d);
      p.type = type;
      p.layout = type == DataType::f16 ? Layout::nhwc : Layout::nchw;
      const std::vector<Candidate> cands = backend().candidates(p, o);
      ASSERT_EQ(cands.size(), 1u);
      EXPECT_EQ(cands[0].id, "reference.direct");
      EXPECT_EQ(cands[0].family, "reference");
      const TrialResult r = backend().run_trial(p, cands[0], o, ctx);
      EXPECT_EQ(r.verdict, Verdict::pass) << to_string(d) << " " << to_string(type) << ": " << r.detail;
      EXPECT_LE(r.rel_err, r.verify.threshold);
      ASSERT_TRUE(r.time.has_value());
      EXPECT_EQ(r.time->repeats, 2);
    }
  }
}

TEST_F(ReferencePlugin, SampledVerificationOfTheReferencePasses) {
  NullContext ctx;
  TrialOptions o;
  o.warmup = 0;
  o.repeats = 1;
  o.full_verify_max_macs = 0;
  const Problem p = testing::conv2d(1, 8, 40, 40, 16, 3, 3, 1, 1);  // 25600 outputs > a 16384-point sample
  const TrialResult r = backend().run_trial(p, backend().candidates(p, o)[0], o, ctx);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.detail;
  EXPECT_TRUE(r.verify.sampled);
  EXPECT_EQ(r.verify.points, 16384);
}

TEST_F(ReferencePlugin, UnknownCandidateIsUnsupported) {
  NullContext ctx;
  const Problem p = testing::conv2d(1, 1, 4, 4, 1, 3, 3);
  const TrialResult r = backend().run_trial(p, Candidate{"reference.winograd", "reference", "", {}}, {}, ctx);
  EXPECT_EQ(r.verdict, Verdict::unsupported);
  EXPECT_NE(r.detail.find("reference.winograd"), std::string::npos);
}

}  // namespace
}  // namespace convprobe
