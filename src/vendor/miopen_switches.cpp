#include "vendor/miopen_switches.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <set>

#include "base/text.hpp"

namespace convprobe::miopen {
namespace {

constexpr std::string_view kGemm = "gemm", kDirect = "direct", kFft = "fft", kWino = "winograd",
                           kIgemm = "implicit_gemm";

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Devices on which MIOpen keeps deprecated solvers enabled (rocm-5.7.0 src/solver.cpp:567-580).
bool keeps_deprecated(const std::string& arch) {
  for (std::string_view p : {"gfx803", "gfx900", "gfx906", "gfx908", "gfx90a", "gfx103"}) {
    if (starts_with(arch, p)) return true;
  }
  return false;
}

// Reads a boolean switch as release `v` does; a value it throws on is reported and treated as unset.
std::optional<bool> read_switch(const EnvLookup& env, std::string_view name, MiopenVersion v,
                                std::string* problem) {
  if (name.empty()) return std::nullopt;
  const auto value = env(std::string(name));
  if (!value) return std::nullopt;
  const auto parsed = parse_bool(*value, v);
  if (!parsed && problem != nullptr && throws_on_malformed(v)) {
    *problem = std::string(name) + "='" + *value + "' is not a value MIOpen accepts (it throws)";
  }
  return parsed;
}

std::optional<bool> one_of_the_words(const std::string& v) {
  if (v == "0" || v == "disable" || v == "disabled" || v == "no" || v == "false") return false;
  if (v == "1" || v == "enable" || v == "enabled" || v == "yes" || v == "true") return true;
  return std::nullopt;
}

}  // namespace

std::string MiopenVersion::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

unsigned direction_bit(Direction d) {
  switch (d) {
    case Direction::fwd:
      return kFwd;
    case Direction::bwd_data:
      return kBwd;
    case Direction::bwd_weights:
      return kWrw;
  }
  return 0;
}

std::string family_variable(std::string_view family) {
  if (family == kGemm) return "MIOPEN_DEBUG_CONV_GEMM";
  if (family == kDirect) return "MIOPEN_DEBUG_CONV_DIRECT";
  if (family == kFft) return "MIOPEN_DEBUG_CONV_FFT";
  if (family == kWino) return "MIOPEN_DEBUG_CONV_WINOGRAD";
  if (family == kIgemm) return "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM";
  return {};
}

std::string family_of_algorithm(int algorithm) {
  switch (algorithm) {
    case 0:
      return std::string(kGemm);
    case 1:
      return std::string(kDirect);
    case 2:
      return std::string(kFft);
    case 3:
      return std::string(kWino);
    case 5:
      return std::string(kIgemm);
    default:
      return {};
  }
}

EnvAssignment disable_solver(const SolverSwitch& s, Direction dir) {
  EnvAssignment a;
  if (dir == Direction::bwd_weights && !s.wrw_variable.empty()) {
    a.variable = std::string(s.wrw_variable);
  } else {
    a.variable = std::string(s.variable);
  }
  if (a.variable.empty()) {
    a.variable = family_variable(s.family);
    a.family_wide = true;
  }
  a.inverted = s.inverted;
  a.value.assign(1, s.inverted ? '1' : '0');  // assign(count, char): GCC 12 -Wrestrict false positive
  return a;
}

std::optional<EnvAssignment> disable_family(std::string_view family) {
  const std::string var = family_variable(family);
  if (var.empty()) return std::nullopt;
  EnvAssignment a;
  a.variable = var;
  a.value.assign(1, '0');
  a.family_wide = true;
  return a;
}

std::optional<EnvAssignment> disable_candidate(const Candidate& c, Direction dir) {
  const SolverSwitch* s = nullptr;
  if (auto it = c.attrs.find("solver_name"); it != c.attrs.end()) s = find_solver_by_name(it->second);
  if (auto it = c.attrs.find("solver_id"); s == nullptr && it != c.attrs.end()) {
    char* end = nullptr;
    const long id = std::strtol(it->second.c_str(), &end, 10);
    if (end != it->second.c_str() && *end == '\0') s = find_solver(static_cast<int>(id));
  }
  if (s != nullptr) return disable_solver(*s, dir);
  return disable_family(c.family);
}

std::optional<bool> parse_bool(std::string_view value, MiopenVersion v) {
  if (effective(v) < kMiopenRocm60) return one_of_the_words(std::string(value));  // 5.x: exact strcmp
  const std::string l = lower(value);
  if (l == "off") return false;
  if (l == "on") return true;
  return one_of_the_words(l);
}

bool throws_on_malformed(MiopenVersion v) { return effective(v) >= kMiopenRocm61; }

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

bool family_enabled(std::string_view family, const EnvLookup& env, MiopenVersion v) {
  return read_switch(env, family_variable(family), v, nullptr) != false;
}

bool solver_enabled(const SolverSwitch& s, Direction dir, const std::string& arch, const EnvLookup& env,
                    MiopenVersion v, std::string* problem) {
  if ((s.dirs & direction_bit(dir)) == 0) return false;
  if (read_switch(env, family_variable(s.family), v, problem) == false) return false;
  const bool deprecation_exists = effective(v) >= kMiopenRocm57;
  if (s.deprecated && deprecation_exists && !keeps_deprecated(arch) &&
      read_switch(env, "MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", v, problem) != true) {
    return false;
  }
  if (dir == Direction::bwd_weights && !s.wrw_variable.empty() &&
      read_switch(env, s.wrw_variable, v, problem) == false) {
    return false;
  }
  if (s.id == 15 && read_switch(env, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS", v, problem) == false) return false;
  const auto own = read_switch(env, s.variable, v, problem);
  if (s.inverted) return own != true;
  const bool default_off = s.off_by_default || (s.off_on_gfx10_gfx11 &&
                                                (starts_with(arch, "gfx10") || starts_with(arch, "gfx11")));
  if (default_off) return own == true;
  return own != false;
}

std::vector<std::string> malformed_switches(const EnvLookup& env, MiopenVersion v) {
  std::set<std::string> names = {"MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", "MIOPEN_DEBUG_AMD_WINOGRAD_RXS",
                                 "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_WRW"};
  for (const auto& s : solver_table()) {
    names.insert(family_variable(s.family));
    if (!s.variable.empty()) names.insert(std::string(s.variable));
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    std::string problem;
    (void)read_switch(env, name, v, &problem);
    if (!problem.empty()) out.push_back(problem);
  }
  return out;
}

}  // namespace convprobe::miopen
