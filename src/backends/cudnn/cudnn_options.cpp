#include "cudnn_options.hpp"

#include <charconv>
#include <stdexcept>

namespace convprobe::cudnn {

std::string check_math(const std::string& value) {
  if (value == "strict" || value == "tf32" || value == "both") return {};
  return "--math '" + value + "' is not valid; expected strict, tf32 or both";
}

std::string check_knob_samples(const std::string& value) {
  int n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    return "--knob-samples '" + value + "' is not a whole number";
  }
  if (n < 0) return "--knob-samples " + value + " must be >= 0";
  return {};
}

CudnnOptions read_cudnn_options(const std::map<std::string, std::string>& options) {
  CudnnOptions out;
  if (const auto it = options.find(kMathOption); it != options.end()) {
    if (std::string err = check_math(it->second); !err.empty()) throw std::invalid_argument(err);
    out.math = it->second;
  }
  if (const auto it = options.find(kKnobSamplesOption); it != options.end()) {
    if (std::string err = check_knob_samples(it->second); !err.empty()) throw std::invalid_argument(err);
    out.knob_samples = std::stoi(it->second);
  }
  return out;
}

}  // namespace convprobe::cudnn
