// The model presets' problems files (src/problem/presets/models/, written by scripts/presets/regenerate.sh),
// compiled into the binary by convprobe_embed_file in src/CMakeLists.txt: each function returns a file's
// bytes. The problem room's own list: it cannot include jobs/embedded_files.hpp.
#pragma once

#include <string_view>

namespace convprobe::embedded {

[[nodiscard]] std::string_view preset_resnet18_txt();
[[nodiscard]] std::string_view preset_resnet50_txt();
[[nodiscard]] std::string_view preset_resnet50_train_txt();
[[nodiscard]] std::string_view preset_vgg16_txt();
[[nodiscard]] std::string_view preset_mobilenet_v3_large_txt();
[[nodiscard]] std::string_view preset_efficientnet_b0_txt();
[[nodiscard]] std::string_view preset_convnext_tiny_txt();
[[nodiscard]] std::string_view preset_regnet_y_400mf_txt();
[[nodiscard]] std::string_view preset_r3d18_txt();

}  // namespace convprobe::embedded
