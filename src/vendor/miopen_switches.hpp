// MIOpen's switches: which MIOPEN_DEBUG_* variable turns off which solver, and what MIOpen itself does with a
// value. The policy layer uses this to write the narrowest fix (`policy --emit miopen-env`); the MIOpen
// plugin compiles the same file to know the solvers it may force and to honour the environment it runs in.
//
// Facts (../shared/FACTS.md §3, MIOpen 2d1fd99 src/solver.cpp, src/solver/conv/*.cpp):
//  - solver ids are stable; names are class names with ',' -> '-';
//  - families are gated by MIOPEN_DEBUG_CONV_{GEMM,DIRECT,FFT,WINOGRAD,IMPLICIT_GEMM};
//  - GEMM solvers have no variable of their own (family only); FFT has one solver and the family variable;
//  - one variable is inverted: MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_GROUP_BWD_XDLOPS=1 *disables* solver 155;
//  - a value MIOpen cannot parse makes it throw, so only 0 and 1 are ever written.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::miopen {

/// Directions a solver serves (bit mask).
inline constexpr unsigned kFwd = 1, kBwd = 2, kWrw = 4, kAllDirs = 7;
[[nodiscard]] unsigned direction_bit(Direction d);

struct SolverSwitch {
  int id = 0;
  std::string_view name;          ///< MIOpen's SolverDbId, e.g. "GemmFwdRest", "ConvBinWinoRxS<2-3>"
  std::string_view family;        ///< convprobe family: gemm, direct, fft, winograd, implicit_gemm
  unsigned dirs = 0;              ///< kFwd | kBwd | kWrw
  std::string_view variable;      ///< narrowest per-solver variable; empty: family variable only (GEMM, FFT)
  std::string_view wrw_variable;  ///< ConvBinWinogradRxS: a narrower variable for bwd-weights only
  bool inverted = false;          ///< variable=1 disables the solver (variable=0 enables it)
  bool deprecated = false;        ///< off unless the device is gfx803/900/906/908/90a/gfx103x or
                                  ///< MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS=1
  bool off_by_default = false;    ///< off on every device unless variable=1
  bool off_on_gfx10_gfx11 = false;  ///< off on gfx10* / gfx11* unless variable=1
};

/// Every convolution solver convprobe knows, by id (fusion-only solvers excluded).
[[nodiscard]] const std::vector<SolverSwitch>& solver_table();
[[nodiscard]] const SolverSwitch* find_solver(int id);
[[nodiscard]] const SolverSwitch* find_solver_by_name(std::string_view name);

/// "MIOPEN_DEBUG_CONV_<FAMILY>" for gemm, direct, fft, winograd, implicit_gemm; empty for anything else.
[[nodiscard]] std::string family_variable(std::string_view family);
/// MIOpen's algorithm enum (GEMM 0, Direct 1, FFT 2, Winograd 3, ImplicitGEMM 5) -> family; empty if unknown.
[[nodiscard]] std::string family_of_algorithm(int algorithm);

/// One line of a shell profile: VARIABLE=VALUE (value is "0" or "1").
struct EnvAssignment {
  std::string variable;
  std::string value;
  bool inverted = false;     ///< the value is "1" because the variable is inverted
  bool family_wide = false;  ///< disables a whole family (no narrower switch exists)
  [[nodiscard]] std::string to_string() const { return variable + "=" + value; }
};

/// The narrowest assignment that disables the solver for the given direction (family-wide for GEMM/FFT).
[[nodiscard]] EnvAssignment disable_solver(const SolverSwitch& s, Direction dir);
/// The assignment that disables a family.
[[nodiscard]] std::optional<EnvAssignment> disable_family(std::string_view family);
/// For a stored MIOpen candidate (attrs "solver_id" or "solver_name", family): the narrowest switch.
/// nullopt when the candidate is not a known MIOpen solver and its family has no variable.
[[nodiscard]] std::optional<EnvAssignment> disable_candidate(const Candidate& c, Direction dir);

/// MIOpen's boolean parsing (src/include/miopen/env.hpp): 0/1, or case-insensitive
/// disable(d)/no/off/false and enable(d)/yes/on/true. nullopt: MIOpen would throw on this value.
[[nodiscard]] std::optional<bool> parse_bool(std::string_view value);

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment as an EnvLookup.
[[nodiscard]] EnvLookup process_env();

/// Is the solver enabled under `env` on a device named `arch` (e.g. "gfx1010:xnack-")? Family variable,
/// per-solver variable (inverted ones included), deprecation and off-by-default rules. A malformed value is
/// reported in *problem (MIOpen would throw) and counts as "enabled" here.
[[nodiscard]] bool solver_enabled(const SolverSwitch& s, Direction dir, const std::string& arch,
                                  const EnvLookup& env, std::string* problem = nullptr);

/// Every MIOPEN_DEBUG_* variable in `env_names` that the table knows and whose value MIOpen cannot parse:
/// each message names the variable, its value and that MIOpen throws on it.
[[nodiscard]] std::vector<std::string> malformed_switches(const EnvLookup& env);

}  // namespace convprobe::miopen
