// The MIOpen test double's solver registry: the solvers of each release the double models (ids and names from
// each tag's src/solver.cpp), with what MIOpen says about them (dynamic, WTI, deprecation, default-off
// switches) and the misbehaviours the issue trackers reported. Applicability is the double's own, simplified
// rule per solver (MIOpen's real IsApplicable is far longer): what is modelled faithfully is which solvers
// exist, which paths see them, and what the variables do. Independent of the plugin's own table on purpose:
// the tests check one against the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"
#include "double_version.hpp"

namespace convprobe_double {

enum Algo { kGemm = 0, kDirect = 1, kFft = 2, kWinograd = 3, kImplicitGemm = 5 };

enum class Misbehaviour {
  none,
  hang_above_42,       ///< GEMM family: never returns when input H or W > 42 (the gfx1010 report)
  segv_above_batch_2,  ///< GemmBwdRest: segfaults when N > 2 (cf. the gfx1031 report); also GEMM's hang
  wrong_numbers,       ///< ConvAsmBwdWrW1x1: 5 % off (cf. the Navi21 report)
  timer_backwards,     ///< ConvBinWinogradRxSf2x3g1: unknown error when C > 32, a timer running backwards
                       ///< when 8 <= C <= 32, correct below (so C = 3 input layers pass)
};

/// Solver flags.
enum : unsigned {
  kDynamic = 1,     ///< IsDynamic(): seen by DYNAMIC_HYBRID's search and the immediate fallback
  kDeprecated = 2,  ///< off from 5.7 unless gfx803/900/906/908/90a/gfx103x or ENABLE_DEPRECATED_SOLVERS
  kOffOnGfx10 = 4,  ///< off on gfx10 unless its variable is "enabled" (13, 25)
  kMayNeedWs = 8,   ///< MayNeedWorkspace(): GetSolutionWorkspaceSize checks applicability only then
};

struct Solver {
  uint64_t id;
  const char* name;  ///< SolverDbId in that release
  Algo algo;
  unsigned dirs;    ///< 1 fwd, 2 bwd-data, 4 bwd-weights
  const char* env;  ///< per-solver switch, or nullptr
  unsigned flags;
  float wti;      ///< GetWti(); < 0: none (not in the immediate fallback)
  Release since;  ///< first release with this solver under this id and name
  Release until;  ///< first release without it (rocm7x + 1: still there)
  Misbehaviour misbehaviour;
  [[nodiscard]] bool dynamic() const { return (flags & kDynamic) != 0; }
  [[nodiscard]] bool may_need_workspace() const { return (flags & kMayNeedWs) != 0; }
};

/// The solvers registered in the selected release.
[[nodiscard]] const std::vector<Solver>& registry();
[[nodiscard]] const Solver* find(uint64_t id);
[[nodiscard]] const Solver* find(const std::string& name);

/// Applicability as IsApplicable sees it: direction, the solver's own switch, deprecation (>= 5.7) and the
/// double's shape rule. Family variables are not part of it (the finders apply them).
[[nodiscard]] bool applicable(const Solver& s, const convprobe::Problem& p);
/// The shape rule alone: whether the solver's kernels fit the problem (switches aside).
[[nodiscard]] bool shape_fits(const Solver& s, const convprobe::Problem& p);
[[nodiscard]] size_t workspace_bytes(const Solver& s, const convprobe::Problem& p);
[[nodiscard]] bool serves(const Solver& s, convprobe::Direction d);

/// The device the HIP double reports: gcnArchName without features, and its CU count.
inline constexpr const char* kDeviceArch = "gfx1010";

}  // namespace convprobe_double
