// oneDNN against the fp64 reference over seeded random small problems: every candidate oneDNN offers must
// PASS. The problems cycle through directions, layouts, 1-D / 2-D / 3-D and group kinds so each feature is
// hit many times, with asymmetric padding (cropping at the end too) on half the axes; sizes stay tiny so the
// whole sweep runs in seconds.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "onednn_fixture.hpp"

namespace convprobe::testing {
namespace {

constexpr int kProblems = 90;

int64_t pick(std::mt19937& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

/// Problem i of the sweep: the cycle fixes direction, layout, dimensionality and group kind; the rest is
/// random. Invalid draws (output size < 1) are redrawn.
Problem random_problem(int i, std::mt19937& rng) {
  for (;;) {
    Problem p;
    p.dir = static_cast<Direction>(i % 3);
    p.layout = (i / 3) % 2 == 0 ? Layout::nchw : Layout::nhwc;
    p.spatial_dims = i % 5 == 4 ? 3 : i % 7 == 3 ? 1 : 2;
    p.in = {
        1, 1,
        1};  // the unused axes' neutral extent (Problem's default height is 0: a 1-D draw never validated)
    p.mb = pick(rng, 1, 2);
    switch (i % 4) {
      case 1:  // grouped
        p.g = pick(rng, 2, 3);
        p.ic = p.g * pick(rng, 1, 4);
        p.oc = p.g * pick(rng, 1, 4);
        break;
      case 2:  // depthwise
        p.g = pick(rng, 2, 8);
        p.ic = p.oc = p.g;
        break;
      default:
        p.g = 1;
        p.ic = pick(rng, 1, 8);
        p.oc = pick(rng, 1, 8);
    }
    for (int a = 3 - p.spatial_dims; a < 3; ++a) {
      p.in[a] = pick(rng, p.spatial_dims == 3 ? 3 : 4, p.spatial_dims == 3 ? 6 : 10);
      p.kernel[a] = pick(rng, 1, 3);
      p.stride[a] = pick(rng, 1, 2);
      p.dilation[a] = pick(rng, 0, 3) == 0 ? 1 : 0;  // a quarter of the axes dilated
      p.pad_begin[a] = p.pad_end[a] = pick(rng, 0, p.kernel[a] - 1);
      // Down to oneDNN's limit: padding_r + stride > 0.
      if (pick(rng, 0, 1) == 0) p.pad_end[a] = pick(rng, 1 - p.stride[a], p.kernel[a]);
    }
    // The limit holds for the end padding oneDNN is given, the canonical one (the smallest of those giving
    // this output, unless the begin padding is one): pad_end -1 with stride 2 can be canonically -2. The
    // parser refuses such problems too (check_end_padding).
    bool crop_ok = true;
    for (int a = 0; a < 3; ++a) crop_ok = crop_ok && p.canonical_pad_end(a) + p.stride[a] > 0;
    if (crop_ok && validate(p).empty()) return p;
  }
}

std::vector<Problem> sweep_problems() {
  std::mt19937 rng(20261125);
  std::vector<Problem> out;
  for (int i = 0; i < kProblems; ++i) out.push_back(random_problem(i, rng));
  return out;
}

TEST(OnednnSweepProblems, CoverEveryFeature) {
  std::set<std::string> seen;
  for (const Problem& p : sweep_problems()) {
    seen.insert(std::string(to_string(p.dir)));
    if (p.layout == Layout::nhwc) seen.insert("nhwc");
    if (p.spatial_dims == 3) seen.insert("3d");
    if (p.spatial_dims == 1) seen.insert("1d");
    if (!p.symmetric()) seen.insert("asymmetric");
    if (p.g > 1 && p.g == p.ic && p.g == p.oc) seen.insert("depthwise");
    if (p.g > 1 && p.g != p.ic) seen.insert("groups");
    for (int a = 0; a < 3; ++a) {
      if (p.dilation[a] > 0) seen.insert("dilation");
      if (p.stride[a] > 1) seen.insert("stride");
      if (p.pad_begin[a] > 0) seen.insert("padding");
      if (p.canonical_pad_end(a) < 0) seen.insert("cropping");
    }
  }
  for (const char* feature : {"fwd", "bwd_data", "bwd_weights", "nhwc", "1d", "3d", "depthwise", "groups",
                              "dilation", "stride", "padding", "asymmetric", "cropping"}) {
    EXPECT_TRUE(seen.count(feature)) << "the random sweep never has " << feature;
  }
}

TEST_F(OnednnTest, EveryCandidateOfRandomSmallProblemsPasses) {
  int trials = 0;
  for (const Problem& p : sweep_problems()) {
    const auto candidates = backend().candidates(p, quick_options());
    std::set<std::string> ids;
    for (const Candidate& c : candidates) ids.insert(c.id);
    EXPECT_GE(ids.size(), 2u) << to_string(p) << " has fewer than two distinct candidates";
    for (const Candidate& c : candidates) {
      const TrialResult r = run(p, c);
      EXPECT_EQ(r.verdict, Verdict::pass) << to_string(p) << " " << c.id << ": " << r.detail;
      ++trials;
    }
  }
  RecordProperty("trials", trials);
}

}  // namespace
}  // namespace convprobe::testing
