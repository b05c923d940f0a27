// MIOpen's switches: which MIOPEN_DEBUG_* variable turns off which solver, and what MIOpen itself does with a
// value. The policy layer uses this to write the narrowest fix (`policy --emit miopen-env`); the MIOpen
// plugin compiles the same file to know the solvers it may force and to honour the environment it runs in.
//
// Facts (../shared/FACTS.md §3, MIOpen 2d1fd99 src/solver.cpp, src/solver/conv/*.cpp;
// ../shared/research/miopen-real.md for what differs by release):
//  - solver ids are stable within a release; names are class names with ',' -> '-'; 7.x reuses ids 8 and 24
//    for HIP ports with new variables, and removed the OpenCL direct solvers, so the table is per release;
//  - families are gated by MIOPEN_DEBUG_CONV_{GEMM,DIRECT,FFT,WINOGRAD,IMPLICIT_GEMM};
//  - GEMM solvers have no variable of their own (family only); FFT has one solver and the family variable;
//  - one variable is inverted: MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_GROUP_BWD_XDLOPS=1 *disables* solver 155;
//  - how values are read depends on the release (parse_bool); only 0 and 1 are ever written, which every
//    release reads the same way.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::miopen {

/// MIOpen's own version (miopenGetVersion), e.g. 2.17.0 for ROCm 5.2. {0,0,0}: unknown, read as the newest.
struct MiopenVersion {
  int major = 0, minor = 0, patch = 0;
  [[nodiscard]] constexpr bool known() const { return major != 0 || minor != 0 || patch != 0; }
  [[nodiscard]] constexpr int rank() const { return (major * 1000 + minor) * 1000 + patch; }
  friend constexpr bool operator==(MiopenVersion a, MiopenVersion b) { return a.rank() == b.rank(); }
  friend constexpr bool operator<(MiopenVersion a, MiopenVersion b) { return a.rank() < b.rank(); }
  friend constexpr bool operator<=(MiopenVersion a, MiopenVersion b) { return a.rank() <= b.rank(); }
  friend constexpr bool operator>=(MiopenVersion a, MiopenVersion b) { return a.rank() >= b.rank(); }
  [[nodiscard]] std::string to_string() const;  ///< "2.17.0"
};
inline constexpr MiopenVersion kMiopenRocm52{2, 17, 0};  ///< rocm-5.2.0 CMakeLists.txt:89
inline constexpr MiopenVersion kMiopenRocm57{2, 20, 0};  ///< rocm-5.7.0 CMakeLists.txt:95
inline constexpr MiopenVersion kMiopenRocm60{3, 0, 0};
inline constexpr MiopenVersion kMiopenRocm61{3, 1, 0};
inline constexpr MiopenVersion kMiopenRocm70{3, 5, 0};  ///< rocm-libraries CHANGELOG: 3.5.x for ROCm 7.x
/// An unknown version compares as the newest release.
[[nodiscard]] constexpr MiopenVersion effective(MiopenVersion v) {
  return v.known() ? v : MiopenVersion{99, 0, 0};
}

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
  bool dynamic = false;             ///< IsDynamic(): the only kind DYNAMIC_HYBRID's Find and the fallback see
  MiopenVersion since{};            ///< first release with this row (id and name)
  MiopenVersion until{};            ///< first release without it; {0,0,0}: still there
  [[nodiscard]] constexpr bool exists_in(MiopenVersion v) const {
    const MiopenVersion e = effective(v);
    return since <= e && (!until.known() || e < until);
  }
};

/// Every row convprobe knows, every release (fusion-only solvers excluded); an id may have one row per
/// release range (8, 24, 37, 53).
[[nodiscard]] const std::vector<SolverSwitch>& solver_table();
/// The rows of one release.
[[nodiscard]] std::vector<const SolverSwitch*> solver_table(MiopenVersion v);
/// The first row with this id, whatever the release (for stored candidates without a name).
[[nodiscard]] const SolverSwitch* find_solver(int id);
/// The row of this id in this release, or nullptr.
[[nodiscard]] const SolverSwitch* find_solver(int id, MiopenVersion v);
/// Names are unique across releases (a reused id comes with a new name).
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
/// For a stored MIOpen candidate (attrs "solver_name", else "solver_id", and family): the narrowest switch.
/// The name comes first: it picks the row of the release the candidate was listed by (7.x id 8 is
/// ConvHipDirectFwd11x11 with MIOPEN_DEBUG_CONV_DIRECT_HIP_FWD11X11). nullopt when the candidate is not a
/// known MIOpen solver and its family has no variable.
[[nodiscard]] std::optional<EnvAssignment> disable_candidate(const Candidate& c, Direction dir);

/// MIOpen's boolean parsing, by release. 5.x (rocm-5.2.0 src/include/miopen/env.hpp:49-66): exact,
/// case-sensitive disable|disabled|0|no|false / enable|enabled|1|yes|true, anything else ignored. 6.0:
/// lower-cased, with off/on, anything else ignored. >= 6.1 (rocm-6.2.0 env.hpp:80-108): the same words, and
/// anything else throws. nullopt: not a boolean to that release (ignored, or it throws: throws_on_malformed).
[[nodiscard]] std::optional<bool> parse_bool(std::string_view value, MiopenVersion v = {});
/// Whether this release throws on a value parse_bool cannot read (>= 6.1) rather than ignoring it.
[[nodiscard]] bool throws_on_malformed(MiopenVersion v);

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment as an EnvLookup.
[[nodiscard]] EnvLookup process_env();

/// Is the solver enabled under `env` on a device named `arch` (e.g. "gfx1010:xnack-") by MIOpen `v`? Family
/// variable, per-solver variable (inverted ones included), deprecation (from 5.7 only: rocm-5.7.0
/// src/solver.cpp:567; 5.2 has none) and off-by-default rules, values read as that release reads them. A
/// value the release throws on is reported in *problem and counts as "enabled" here.
[[nodiscard]] bool solver_enabled(const SolverSwitch& s, Direction dir, const std::string& arch,
                                  const EnvLookup& env, MiopenVersion v = {}, std::string* problem = nullptr);
/// The same for an id the table does not know in this release (discovered at run time): only its family
/// variable applies.
[[nodiscard]] bool family_enabled(std::string_view family, const EnvLookup& env, MiopenVersion v = {});

/// Every MIOPEN_DEBUG_* variable the table knows whose value MIOpen `v` throws on (>= 6.1; earlier
/// releases ignore such values): each message names the variable, its value and that MIOpen throws on it.
[[nodiscard]] std::vector<std::string> malformed_switches(const EnvLookup& env, MiopenVersion v = {});

}  // namespace convprobe::miopen
