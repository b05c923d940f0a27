#include "vendor/cudnn_plan_tag.hpp"

#include <regex>

namespace convprobe::cudnn {

namespace {

// Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on chains of `"k" + std::to_string(..)`.
std::string knob_suffix(const PlanKnobs& knobs) {
  std::string suffix;
  for (const auto& [type, value] : knobs) {
    if (!suffix.empty()) suffix += '_';
    suffix += 'k';
    suffix += std::to_string(type);
    suffix += '=';
    suffix += std::to_string(value);
  }
  return suffix;
}

}  // namespace

std::string to_string(const PlanTag& tag) {
  std::string text = tag.operation;
  text += "_eng";
  text += std::to_string(tag.engine);
  if (!tag.knobs.empty()) {
    text += '_';
    text += tag.knobs;
  }
  return text;
}

std::string format_plan_tag(std::string_view operation, int64_t engine, const PlanKnobs& knobs) {
  return to_string(PlanTag{std::string(operation), engine, knob_suffix(knobs)});
}

std::string engine_prefix(std::string_view operation, int64_t engine) {
  std::string prefix = to_string(PlanTag{std::string(operation), engine, {}});
  prefix += '_';
  return prefix;
}

bool parse_plan_tag(const std::string& id, PlanTag* out) {
  static const std::regex pattern(
      R"(^(ConvFwd|ConvBwdData|ConvBwdFilter)_eng([0-9]{1,9})((_k[0-9]{1,4}=-?[0-9]{1,12})*)$)");
  std::smatch m;
  if (!std::regex_match(id, m, pattern)) return false;
  out->operation = m[1].str();
  out->engine = std::stoll(m[2].str());
  const std::string knobs = m[3].str();
  out->knobs = knobs.empty() ? std::string() : knobs.substr(1);
  return true;
}

}  // namespace convprobe::cudnn
