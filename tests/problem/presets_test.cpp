// The built-in presets: counts, contents, batch override, unknown names.
#include "problem/presets.hpp"

#include <gtest/gtest.h>

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
  EXPECT_EQ(names, (std::set<std::string>{"gfx1010", "gfx1010-sizes", "gfx1010-quick", "resnet50"}));
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

TEST(Presets, ResNet50V15Layers) {
  const Preset p = get("resnet50");
  ASSERT_EQ(p.problems.size(), 23u);
  expect_all_valid_and_distinct(p);
  for (const auto& q : p.problems) EXPECT_EQ(q.mb, 32);
  auto find = [&](const std::string& label) -> const Problem* {
    for (const auto& q : p.problems)
      if (q.label.find(label) != std::string::npos) return &q;
    return nullptr;
  };
  const Problem* conv1 = find("conv1");
  ASSERT_NE(conv1, nullptr);
  EXPECT_EQ(to_string(*conv1), "mb32ic3ih224oc64kh7sh2ph3n\"resnet50:conv1\"");
  EXPECT_EQ(conv1->out()[1], 112);
  // v1.5: the stride sits on the 3x3 of the first bottleneck of stages 3-5, not on its 1x1.
  const Problem* res3a_2a = find("res3a_branch2a");
  const Problem* res3a_2b = find("res3a_branch2b");
  ASSERT_TRUE(res3a_2a && res3a_2b);
  EXPECT_EQ(res3a_2a->stride[1], 1);
  EXPECT_EQ(res3a_2b->stride[1], 2);
  EXPECT_EQ(res3a_2b->out()[1], 28);
  // The network has 53 convolutions; the "*N" multiplicities in the labels add up to that.
  int total = 0;
  for (const auto& q : p.problems) {
    int layers = 0;
    size_t pos = 0;
    while ((pos = q.label.find_first_of(":,", pos)) != std::string::npos) {
      ++pos;
      const size_t star = q.label.find('*', pos);
      const size_t end = q.label.find(',', pos);
      layers += (star != std::string::npos && star < end) ? std::stoi(q.label.substr(star + 1)) : 1;
    }
    total += layers;
  }
  EXPECT_EQ(total, 53);
}

TEST(Presets, BatchOverride) {
  const Preset r = get("resnet50", 1);
  ASSERT_EQ(r.problems.size(), 23u);
  for (const auto& q : r.problems) EXPECT_EQ(q.mb, 1);
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
