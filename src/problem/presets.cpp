// The built-in presets. Each is a function of the batch override so `--batch N` rebuilds the set rather
// than patching it (gfx1010's five batches collapse into one).
#include "problem/presets.hpp"

#include <fmt/core.h>

#include <functional>
#include <set>

namespace convprobe {

namespace {

constexpr int64_t kGfx1010Sizes[] = {32, 42, 44, 48, 64, 128, 224, 256, 512};
constexpr std::pair<int64_t, int64_t> kGfx1010Channels[] = {{3, 64}, {64, 128}, {128, 256}, {256, 512}};
constexpr int64_t kGfx1010Kernels[] = {1, 3, 5, 7};
constexpr int64_t kGfx1010Batches[] = {1, 2, 4, 8, 16};

/// A square 2-D forward f32 NCHW convolution.
Problem square_conv(int64_t mb, int64_t ic, int64_t size, int64_t oc, int64_t k, int64_t stride, int64_t pad,
                    std::string label) {
  Problem p;
  p.mb = mb;
  p.ic = ic;
  p.oc = oc;
  p.in = {1, size, size};
  p.kernel = {1, k, k};
  p.stride = {1, stride, stride};
  p.set_pads({0, pad, pad});
  p.label = std::move(label);
  return p;
}

std::vector<int64_t> batches_or(const std::vector<int64_t>& own, int64_t override_batch) {
  return override_batch > 0 ? std::vector<int64_t>{override_batch} : own;
}

/// gfx1010 matrix: "same" padding (k/2) at stride 1, so every output is size x size.
std::vector<Problem> gfx1010_matrix(const std::vector<int64_t>& sizes,
                                    const std::vector<std::pair<int64_t, int64_t>>& channels,
                                    const std::vector<int64_t>& kernels,
                                    const std::vector<int64_t>& batches) {
  std::vector<Problem> out;
  for (int64_t s : sizes)
    for (auto [ic, oc] : channels)
      for (int64_t k : kernels)
        for (int64_t mb : batches)
          out.push_back(square_conv(mb, ic, s, oc, k, 1, k / 2,
                                    fmt::format("gfx1010:{}x{}:{}-{}:k{}", s, s, ic, oc, k)));
  return out;
}

std::vector<Problem> gfx1010(int64_t batch) {
  return gfx1010_matrix({std::begin(kGfx1010Sizes), std::end(kGfx1010Sizes)},
                        {std::begin(kGfx1010Channels), std::end(kGfx1010Channels)},
                        {std::begin(kGfx1010Kernels), std::end(kGfx1010Kernels)},
                        batches_or({std::begin(kGfx1010Batches), std::end(kGfx1010Batches)}, batch));
}

std::vector<Problem> gfx1010_sizes(int64_t batch) {
  return gfx1010_matrix({std::begin(kGfx1010Sizes), std::end(kGfx1010Sizes)}, {{3, 64}}, {3},
                        batches_or({1}, batch));
}

/// Sized for a full oneDNN sweep on two CPU cores (docs/problems.md): 32 is below the 42x42 boundary of the
/// hang report, 42 is on it, 44 and 48 above. 3->64 at kernels 1, 3, 5 (three code paths: 1x1, 3x3, generic)
/// and 64->128 at 1x1 only: its 3x3 would triple the sweep's time through oneDNN's reference implementation.
std::vector<Problem> gfx1010_quick(int64_t batch) {
  std::vector<Problem> out;
  for (int64_t size : {32, 42, 44, 48}) {
    for (auto& p : gfx1010_matrix({size}, {{3, 64}}, {1, 3, 5}, batches_or({1}, batch)))
      out.push_back(std::move(p));
    for (auto& p : gfx1010_matrix({size}, {{64, 128}}, {1}, batches_or({1}, batch)))
      out.push_back(std::move(p));
  }
  return out;
}

/// ResNet-50 v1.5 (stride 2 on the bottleneck's 3x3, not its first 1x1). One entry per distinct shape;
/// "*N" in a label counts the layers of the network with that shape, as benchdnn's shapes_resnet_50 does.
std::vector<Problem> resnet50(int64_t batch) {
  const int64_t mb = batch > 0 ? batch : 32;
  struct Layer {
    int64_t ic, size, oc, k, stride, pad;
    const char* name;
  };
  static constexpr Layer kLayers[] = {
      {3, 224, 64, 7, 2, 3, "conv1"},
      {64, 56, 64, 1, 1, 0, "res2a_branch2a"},
      {64, 56, 64, 3, 1, 1, "res2a_branch2b*3"},
      {64, 56, 256, 1, 1, 0, "res2a_branch1,res2a_branch2c*3"},
      {256, 56, 64, 1, 1, 0, "res2b_branch2a*2"},
      {256, 56, 128, 1, 1, 0, "res3a_branch2a"},
      {128, 56, 128, 3, 2, 1, "res3a_branch2b"},
      {128, 28, 512, 1, 1, 0, "res3a_branch2c*4"},
      {256, 56, 512, 1, 2, 0, "res3a_branch1"},
      {512, 28, 128, 1, 1, 0, "res3b_branch2a*3"},
      {128, 28, 128, 3, 1, 1, "res3b_branch2b*3"},
      {512, 28, 256, 1, 1, 0, "res4a_branch2a"},
      {256, 28, 256, 3, 2, 1, "res4a_branch2b"},
      {256, 14, 1024, 1, 1, 0, "res4a_branch2c*6"},
      {512, 28, 1024, 1, 2, 0, "res4a_branch1"},
      {1024, 14, 256, 1, 1, 0, "res4b_branch2a*5"},
      {256, 14, 256, 3, 1, 1, "res4b_branch2b*5"},
      {1024, 14, 512, 1, 1, 0, "res5a_branch2a"},
      {512, 14, 512, 3, 2, 1, "res5a_branch2b"},
      {512, 7, 2048, 1, 1, 0, "res5a_branch2c*3"},
      {1024, 14, 2048, 1, 2, 0, "res5a_branch1"},
      {2048, 7, 512, 1, 1, 0, "res5b_branch2a*2"},
      {512, 7, 512, 3, 1, 1, "res5b_branch2b*2"},
  };
  std::vector<Problem> out;
  for (const auto& l : kLayers)
    out.push_back(
        square_conv(mb, l.ic, l.size, l.oc, l.k, l.stride, l.pad, fmt::format("resnet50:{}", l.name)));
  return out;
}

struct Entry {
  PresetInfo info;
  std::function<std::vector<Problem>(int64_t)> build;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"gfx1010",
        "RX 5600 XT Conv2d-hang matrix: sizes 32..512 x channels 3->64..256->512 x kernels 1,3,5,7 (same "
        "pad) "
        "x batches 1..16, fwd f32"},
       gfx1010},
      {{"gfx1010-sizes", "3->64, 3x3, pad 1, batch 1 at the nine gfx1010 sizes 32..512"}, gfx1010_sizes},
      {{"gfx1010-quick",
        "CPU-sized gfx1010 subset around 42x42: sizes 32,42,44,48 x (3->64 k1,3,5 + 64->128 k1), batch 1"},
       gfx1010_quick},
      {{"resnet50", "distinct convolution layers of ResNet-50 v1.5 (stride on the 3x3), fwd f32, batch 32"},
       resnet50},
  };
  return kEntries;
}

std::string known_names() {
  std::string s;
  for (const auto& e : entries()) s += fmt::format("{}{}", s.empty() ? "" : ", ", e.info.name);
  return s;
}

}  // namespace

const std::vector<PresetInfo>& presets() {
  static const std::vector<PresetInfo> kInfos = [] {
    std::vector<PresetInfo> v;
    for (const auto& e : entries()) v.push_back(e.info);
    return v;
  }();
  return kInfos;
}

bool find_preset(const std::string& name, int64_t batch_override, Preset* out, std::string* err) {
  if (batch_override == 0 || batch_override < -1) {
    *err = fmt::format("batch={}: expected a positive integer", batch_override);
    return false;
  }
  for (const auto& e : entries()) {
    if (e.info.name != name) continue;
    Preset p{e.info.name, e.info.description, {}};
    std::set<std::string> seen;
    for (auto& problem : e.build(batch_override)) {
      if (seen.insert(key(problem)).second) p.problems.push_back(std::move(problem));
    }
    if (batch_override > 0) p.description += fmt::format(" (batch overridden to {})", batch_override);
    *out = std::move(p);
    return true;
  }
  *err = fmt::format("unknown preset \"{}\"; expected one of {}", name, known_names());
  return false;
}

}  // namespace convprobe
