// The built-in presets: counts, contents, batch override, unknown names.
#include "problem/presets.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace convprobe {
namespace {

Preset get(const std::string& name, int64_t batch = -1) {
  Preset p;
  std::string err;
  EXPECT_TRUE(find_preset(name, batch, &p, &err)) << err;
  return p;
}

void expect_all_valid_and_distinct(const Preset& preset) {
  std::set<std::string> keys;
  for (const auto& p : preset.problems) {
    EXPECT_EQ(validate(p), "") << to_string(p);
    EXPECT_FALSE(p.label.empty()) << to_string(p);
    EXPECT_TRUE(keys.insert(key(p)).second) << "duplicate " << to_string(p);
    Problem back;
    std::string err;
    EXPECT_TRUE(parse_problem(to_string(p), &back, &err)) << err;
    EXPECT_EQ(back, p);
  }
}

TEST(Presets, ListedWithDescriptions) {
  std::set<std::string> names;
  for (const auto& info : presets()) {
    names.insert(info.name);
    EXPECT_FALSE(info.description.empty());
  }
  EXPECT_EQ(names, (std::set<std::string>{"gfx1010", "gfx1010-sizes", "gfx1010-quick", "resnet50",
                                          "resnet50-train", "resnet18", "vgg16", "mobilenet-v3-large",
                                          "efficientnet-b0", "convnext-tiny", "regnet-y-400mf", "r3d18"}));
}

TEST(Presets, Gfx1010IsTheFullMatrix) {
  const Preset p = get("gfx1010");
  EXPECT_EQ(p.problems.size(), 720u);  // 9 sizes x 4 channel pairs x 4 kernels x 5 batches
  expect_all_valid_and_distinct(p);
  std::set<int64_t> sizes, kernels, batches;
  for (const auto& q : p.problems) {
    sizes.insert(q.in[1]);
    kernels.insert(q.kernel[1]);
    batches.insert(q.mb);
    EXPECT_EQ(q.in[1], q.in[2]);
    EXPECT_EQ(q.pad_begin[1], q.kernel[1] / 2);
    EXPECT_EQ(q.out()[1], q.in[1]);  // "same" padding at stride 1
    EXPECT_EQ(q.dir, Direction::fwd);
    EXPECT_EQ(q.type, DataType::f32);
    EXPECT_EQ(q.layout, Layout::nchw);
  }
  EXPECT_EQ(sizes, (std::set<int64_t>{32, 42, 44, 48, 64, 128, 224, 256, 512}));
  EXPECT_EQ(kernels, (std::set<int64_t>{1, 3, 5, 7}));
  EXPECT_EQ(batches, (std::set<int64_t>{1, 2, 4, 8, 16}));
}

TEST(Presets, Gfx1010Sizes) {
  const Preset p = get("gfx1010-sizes");
  ASSERT_EQ(p.problems.size(), 9u);
  expect_all_valid_and_distinct(p);
  for (const auto& q : p.problems) {
    EXPECT_EQ(q.ic, 3);
    EXPECT_EQ(q.oc, 64);
    EXPECT_EQ(q.kernel[1], 3);
    EXPECT_EQ(q.pad_begin[1], 1);
    EXPECT_EQ(q.mb, 1);
  }
}

TEST(Presets, Gfx1010QuickStraddles42AndIsSmall) {
  const Preset p = get("gfx1010-quick");
  EXPECT_EQ(p.problems.size(), 16u);
  expect_all_valid_and_distinct(p);
  bool below = false, at = false, above = false;
  double flops = 0;
  for (const auto& q : p.problems) {
    below = below || q.in[1] < 42;
    at = at || q.in[1] == 42;
    above = above || q.in[1] > 42;
    flops += q.flops();
  }
  EXPECT_TRUE(below && at && above);
  EXPECT_LT(flops, 0.5e9);  // one pass over the whole preset; docs/problems.md explains the budget
  std::set<std::pair<int64_t, int64_t>> pairs;
  std::set<int64_t> kernels;
  for (const auto& q : p.problems) {
    pairs.insert({q.ic, q.oc});
    kernels.insert(q.kernel[1]);
  }
  EXPECT_EQ(pairs, (std::set<std::pair<int64_t, int64_t>>{{3, 64}, {64, 128}}));
  EXPECT_EQ(kernels, (std::set<int64_t>{1, 3, 5}));
}

/// The first problem of `preset` whose label contains `label`, or null.
const Problem* find(const Preset& preset, const std::string& label) {
  for (const auto& q : preset.problems)
    if (q.label.find(label) != std::string::npos) return &q;
  return nullptr;
}

int64_t total_runs(const Preset& preset, Direction dir) {
  int64_t n = 0;
  for (const auto& q : preset.problems) n += q.dir == dir ? q.runs : 0;
  return n;
}

TEST(Presets, ResNet50V15Layers) {
  // Recorded from torchvision's resnet50; the hand-made preset it replaced had exactly these 23 shapes.
  const Preset p = get("resnet50");
  ASSERT_EQ(p.problems.size(), 23u);
  expect_all_valid_and_distinct(p);
  for (const auto& q : p.problems) EXPECT_EQ(q.mb, 32);
  const Problem* conv1 = find(p, "conv1");
  ASSERT_NE(conv1, nullptr);
  EXPECT_EQ(to_string(*conv1), "mb32ic3ih224oc64kh7sh2ph3n\"resnet50:conv1\"");
  EXPECT_EQ(conv1->out()[1], 112);
  EXPECT_EQ(conv1->runs, 1);
  // v1.5: the stride sits on the 3x3 of the first bottleneck of stages 3-5, not on its 1x1.
  const Problem* res3a_2a = find(p, "resnet50:layer2.0.conv1");
  const Problem* res3a_2b = find(p, "resnet50:layer2.0.conv2");
  ASSERT_TRUE(res3a_2a && res3a_2b);
  EXPECT_EQ(res3a_2a->stride[1], 1);
  EXPECT_EQ(res3a_2b->stride[1], 2);
  EXPECT_EQ(res3a_2b->out()[1], 28);
  // Stage 2's projection shortcut has the shape of the 1x1 expand: one problem, run 1 + 3 times.
  const Problem* expand = find(p, "resnet50:layer1.0.conv3");
  ASSERT_NE(expand, nullptr);
  EXPECT_EQ(expand->runs, 4);
  // The network has 53 convolutions; the run counts add up to that.
  EXPECT_EQ(total_runs(p, Direction::fwd), 53);
}

TEST(Presets, ResNet50TrainingStep) {
  const Preset p = get("resnet50-train");
  ASSERT_EQ(p.problems.size(), 68u);  // 23 fwd, 22 bwd_data, 23 bwd_weights
  expect_all_valid_and_distinct(p);
  EXPECT_EQ(total_runs(p, Direction::fwd), 53);
  EXPECT_EQ(total_runs(p, Direction::bwd_data), 52);  // conv1's input (the images) needs no gradient
  EXPECT_EQ(total_runs(p, Direction::bwd_weights), 53);
  for (const auto& q : p.problems) {
    if (q.dir == Direction::bwd_data) {
      EXPECT_NE(q.ic, 3) << to_string(q);
    }
  }
  // The forward half is the resnet50 preset.
  const Preset fwd = get("resnet50");
  for (size_t i = 0; i < fwd.problems.size(); ++i) EXPECT_EQ(p.problems[i], fwd.problems[i]);
  // conv1's weights do get a gradient: the same shape as its forward, in bwd_weights.
  Problem conv1_w = *find(p, "resnet50:conv1");
  conv1_w.dir = Direction::bwd_weights;
  size_t found = 0;
  for (const auto& q : p.problems) found += q == conv1_w ? 1 : 0;
  EXPECT_EQ(found, 1u);
}

TEST(Presets, RecordedModels) {
  struct Expected {
    const char* name;
    size_t problems;
    int64_t convolutions;
  };
  // What the files in src/problem/presets/models/ hold (their '#' summary lines say the same).
  const Expected models[] = {{"resnet18", 11, 20},
                             {"vgg16", 9, 13},
                             {"mobilenet-v3-large", 44, 62},
                             {"efficientnet-b0", 46, 81},
                             {"convnext-tiny", 8, 22},
                             {"regnet-y-400mf", 34, 85},
                             {"r3d18", 11, 20}};
  for (const auto& m : models) {
    SCOPED_TRACE(m.name);
    const Preset p = get(m.name);
    EXPECT_EQ(p.problems.size(), m.problems);
    EXPECT_EQ(total_runs(p, Direction::fwd), m.convolutions);
    expect_all_valid_and_distinct(p);
    for (const auto& q : p.problems) {
      EXPECT_EQ(q.dir, Direction::fwd);
      EXPECT_EQ(q.type, DataType::f32);
      EXPECT_EQ(q.mb, std::string(m.name) == "r3d18" ? 24 : 32);
    }
  }
}

TEST(Presets, KnownShapesOfTheRecordedModels) {
  const auto text = [](const std::string& preset, const std::string& label) {
    const Preset p = get(preset);
    const Problem* q = find(p, label);
    return q != nullptr ? to_string(*q) : "no " + label;
  };
  EXPECT_EQ(text("resnet18", "resnet18:conv1"), "mb32ic3ih224oc64kh7sh2ph3n\"resnet18:conv1\"");
  // VGG-16's last three convolutions (features.24, .26, .28) share one shape.
  EXPECT_EQ(text("vgg16", "vgg16:features.24"), "mb32ic512ih14oc512kh3ph1n\"vgg16:features.24\"");
  EXPECT_EQ(find(get("vgg16"), "vgg16:features.24")->runs, 3);
  // ConvNeXt's 7x7 depthwise convolutions get channels-last tensors (its LayerNorm permutes), so PyTorch runs
  // them nhwc; its stem, fed the NCHW images, is nchw.
  EXPECT_EQ(text("convnext-tiny", "features.1.0.block.0"),
            "nhwc_g96mb32ic96ih56oc96kh7ph3n\"convnext_tiny:features.1.0.block.0\"");
  EXPECT_EQ(text("convnext-tiny", "features.0.0"), "mb32ic3ih224oc96kh4sh4n\"convnext_tiny:features.0.0\"");
  // Squeeze-excitation: 1x1 convolutions on 1x1 maps.
  EXPECT_EQ(text("efficientnet-b0", "features.1.0.block.1.fc1"),
            "mb32ic32ih1oc8kh1n\"efficientnet_b0:features.1.0.block.1.fc1\"");
  EXPECT_EQ(text("regnet-y-400mf", "block1-0.f.b.0"),
            "g6mb32ic48ih112oc48kh3sh2ph1n\"regnet_y_400mf:trunk_output.block1.block1-0.f.b.0\"");
  // The 3-D stem: 3x7x7, stride 1x2x2, padding 1x3x3 on 16 frames of 112x112.
  const Preset r3d = get("r3d18");
  const Problem* stem = find(r3d, "r3d_18:stem.0");
  ASSERT_NE(stem, nullptr);
  EXPECT_EQ(stem->spatial_dims, 3);
  EXPECT_EQ(stem->kernel, (std::array<int64_t, 3>{3, 7, 7}));
  EXPECT_EQ(stem->stride, (std::array<int64_t, 3>{1, 2, 2}));
  EXPECT_EQ(stem->out(), (std::array<int64_t, 3>{16, 56, 56}));
}

TEST(Presets, BatchOverride) {
  const Preset r = get("resnet50", 1);
  ASSERT_EQ(r.problems.size(), 23u);
  for (const auto& q : r.problems) EXPECT_EQ(q.mb, 1);
  EXPECT_EQ(total_runs(r, Direction::fwd), 53);
  const Preset v = get("r3d18", 2);
  ASSERT_EQ(v.problems.size(), 11u);
  for (const auto& q : v.problems) EXPECT_EQ(q.mb, 2);
  const Preset g = get("gfx1010", 3);
  EXPECT_EQ(g.problems.size(), 144u);  // the five batches collapse into one
  for (const auto& q : g.problems) EXPECT_EQ(q.mb, 3);
}

TEST(Presets, BadNamesAndBatches) {
  Preset p;
  std::string err;
  EXPECT_FALSE(find_preset("gfx1011", -1, &p, &err));
  EXPECT_NE(err.find("unknown preset \"gfx1011\""), std::string::npos) << err;
  EXPECT_NE(err.find("gfx1010, gfx1010-sizes, gfx1010-quick, resnet50"), std::string::npos) << err;
  EXPECT_FALSE(find_preset("resnet50", 0, &p, &err));
  EXPECT_NE(err.find("batch=0: expected a positive integer"), std::string::npos) << err;
}

}  // namespace
}  // namespace convprobe
