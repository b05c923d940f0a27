// The cuDNN backend's own options, --math and --knob-samples: their keys in TrialOptions::backend_options,
// their defaults and their checks. No cuDNN dependency: the convprobe program checks a value before any
// worker starts (cudnn_traits.cpp), and the plugin reads the options with the same code.
#pragma once

#include <map>
#include <string>

namespace convprobe::cudnn {

inline constexpr const char* kMathOption = "math";
inline constexpr const char* kKnobSamplesOption = "knob_samples";

struct CudnnOptions {
  std::string math = "both";  ///< strict | tf32 | both: f32 candidates without TF32 math, with it, or all
  int knob_samples = 4;       ///< seeded random knob configs per engine
};

/// Empty for strict, tf32 or both; else "--math 'fast' is not valid; expected strict, tf32 or both".
[[nodiscard]] std::string check_math(const std::string& value);
/// Empty for a whole number >= 0; else a message naming --knob-samples and the value.
[[nodiscard]] std::string check_knob_samples(const std::string& value);

/// The cuDNN options in a backend option map (an absent one: its default). Throws std::invalid_argument with
/// the check's message for a bad value; keys of other backends are ignored.
[[nodiscard]] CudnnOptions read_cudnn_options(const std::map<std::string, std::string>& options);

}  // namespace convprobe::cudnn
