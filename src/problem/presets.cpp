// The built-in presets. Each is a function of the batch override so `--batch N` rebuilds the set rather
// than patching it (gfx1010's five batches collapse into one). The gfx1010 sets are generated here; the
// model presets are problems files recorded from torchvision, compiled in (problem/embedded_presets.hpp).
#include "problem/presets.hpp"

#include <fmt/core.h>

#include <functional>
#include <stdexcept>
#include <string_view>

#include "problem/embedded_presets.hpp"
#include "problem/problem_list.hpp"

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

/// A preset recorded from a model (src/problem/presets/models/<file>.txt, written by
/// scripts/presets/regenerate.sh): its problems with their run counts, labels prefixed with the model's name
/// ("resnet50:layer1.0.conv2"), every batch set to the override if there is one.
std::vector<Problem> recorded(std::string_view text, const std::string& file, const std::string& model,
                              int64_t batch) {
  std::vector<Problem> out;
  std::string err;
  if (!parse_problems_text(text, "src/problem/presets/models/" + file + ".txt", &out, &err))
    throw std::logic_error(err);
  for (auto& p : out) {
    p.label = fmt::format("{}:{}", model, p.label);
    if (batch > 0) p.mb = batch;
  }
  return out;
}

/// The builder of a recorded preset.
std::function<std::vector<Problem>(int64_t)> model(std::string_view (*text)(), std::string file,
                                                   std::string name) {
  return [=](int64_t batch) { return recorded(text(), file, name, batch); };
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
      // Recorded from torchvision 0.14 with python/convprobe_torch (docs/problems.md, "Model presets").
      {{"resnet50", "ResNet-50 v1.5 (stride on the 3x3), input 32x3x224x224, fwd f32"},
       model(embedded::preset_resnet50_txt, "resnet50", "resnet50")},
      {{"resnet50-train",
        "ResNet-50 v1.5, one training step on 32x3x224x224: fwd, bwd_data, bwd_weights f32 (conv1: no "
        "bwd_data)"},
       model(embedded::preset_resnet50_train_txt, "resnet50-train", "resnet50")},
      {{"resnet18", "ResNet-18, input 32x3x224x224, fwd f32"},
       model(embedded::preset_resnet18_txt, "resnet18", "resnet18")},
      {{"vgg16", "VGG-16, input 32x3x224x224, fwd f32"}, model(embedded::preset_vgg16_txt, "vgg16", "vgg16")},
      {{"mobilenet-v3-large",
        "MobileNetV3-Large (depthwise 3x3/5x5, squeeze-excitation 1x1 on 1x1), input 32x3x224x224, fwd f32"},
       model(embedded::preset_mobilenet_v3_large_txt, "mobilenet-v3-large", "mobilenet_v3_large")},
      {{"efficientnet-b0",
        "EfficientNet-B0 (depthwise 3x3/5x5, squeeze-excitation), input 32x3x224x224, fwd f32"},
       model(embedded::preset_efficientnet_b0_txt, "efficientnet-b0", "efficientnet_b0")},
      {{"convnext-tiny",
        "ConvNeXt-T (7x7 depthwise, nhwc as PyTorch runs them), input 32x3x224x224, fwd f32"},
       model(embedded::preset_convnext_tiny_txt, "convnext-tiny", "convnext_tiny")},
      {{"regnet-y-400mf", "RegNetY-400MF (grouped 3x3, 8 channels a group), input 32x3x224x224, fwd f32"},
       model(embedded::preset_regnet_y_400mf_txt, "regnet-y-400mf", "regnet_y_400mf")},
      {{"r3d18", "R3D-18 video ResNet (3-D, 3x3x3), input 24x3x16x112x112, fwd f32"},
       model(embedded::preset_r3d18_txt, "r3d18", "r3d_18")},
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
    std::vector<Problem> built;
    try {
      built = e.build(batch_override);
    } catch (const std::exception& ex) {  // a recorded preset's file that does not parse: a build defect
      *err = fmt::format("preset \"{}\": {}", name, ex.what());
      return false;
    }
    p.problems = merge_same_problems(std::move(built));
    if (batch_override > 0) p.description += fmt::format(" (batch overridden to {})", batch_override);
    *out = std::move(p);
    return true;
  }
  *err = fmt::format("unknown preset \"{}\"; expected one of {}", name, known_names());
  return false;
}

}  // namespace convprobe
