// The MIOpen test double's solver registry: a realistic handful of solvers per direction and family, each
// with its applicability, workspace and the misbehaviour the issue trackers reported. Independent of the
// plugin's own solver table on purpose: the tests check one against the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe_double {

enum Algo { kGemm = 0, kDirect = 1, kFft = 2, kWinograd = 3, kImplicitGemm = 5 };

enum class Misbehaviour {
  none,
  hang_above_42,       ///< GEMM family: never returns when input H or W > 42 (the gfx1010 report)
  segv_above_batch_2,  ///< GemmBwdRest: segfaults when N > 2 (cf. the gfx1031 report); also GEMM's hang
  wrong_numbers,       ///< ConvOclBwdWrW1x1: 5 % off (cf. the Navi21 report)
  fury_timer,          ///< ConvWinoFuryRxS<2-3>: unknown error when C > 32, a timer running backwards
                       ///< when 8 <= C <= 32, correct below (so C = 3 input layers pass)
};

struct Solver {
  uint64_t id;
  const char* name;
  Algo algo;
  unsigned dirs;            ///< 1 fwd, 2 bwd-data, 4 bwd-weights
  const char* env;          ///< per-solver switch, or nullptr
  bool dynamic;             ///< listed by the immediate-mode fallback
  bool may_need_workspace;  ///< false: GetSolutionWorkspaceSize answers 0 without checking applicability
  Misbehaviour misbehaviour;
};

[[nodiscard]] const std::vector<Solver>& registry();
[[nodiscard]] const Solver* find(uint64_t id);
[[nodiscard]] const Solver* find(const std::string& name);

/// Applicability, the solver's own switch included (as in MIOpen's IsApplicable).
[[nodiscard]] bool applicable(const Solver& s, const convprobe::Problem& p);
[[nodiscard]] size_t workspace_bytes(const Solver& s, const convprobe::Problem& p);

/// The environment, read once like MIOpen (MIOPEN_DEBUG_CONV_<FAMILY>, per-solver switches,
/// MIOPEN_DEBUG_FIND_ONLY_SOLVER). `error` is set when a value is malformed (MIOpen throws).
struct Env {
  bool family_enabled[6] = {true, true, true, true, true, true};
  std::vector<uint64_t> find_only;
  std::string bool_error;       ///< a malformed boolean switch
  std::string find_only_error;  ///< a malformed MIOPEN_DEBUG_FIND_ONLY_SOLVER
};
[[nodiscard]] const Env& env();
[[nodiscard]] bool switch_enabled(const char* name);  ///< per-solver switch (unset: enabled)

}  // namespace convprobe_double
