// Running one solver in the double: the fp64 reference on the host buffers, and the reported misbehaviours
// (hang, crash, wrong numbers, a timer running backwards). A solver run on a problem it does not apply to
// writes garbage, as a real kernel launched on the wrong shapes would.
#pragma once

#include <map>

#include "convprobe/problem.hpp"
#include "core/tensor.hpp"
#include "double_registry.hpp"

namespace convprobe_double {

inline constexpr int kSuccess = 0, kInvalidValue = 2, kBadParm = 3, kNotImplemented = 6, kUnknownError = 7;

/// A problem with its host buffers ("device" memory is host memory in the HIP double).
struct Bound {
  convprobe::Problem p;
  std::map<convprobe::TensorRole, void*> buf;
};

/// The double's choice: the timer runs backwards for 8 <= C <= 32 (C > 32 fails outright); an RGB input
/// layer (C = 3) works, so the gfx1010 presets see only the GEMM hang.
[[nodiscard]] bool timer_broken(const convprobe::Problem& p);

/// Run one solver (Immediate, or Find's benchmark run when `in_find`). Returns a status; may never return or
/// crash. Find's runs check the misbehaviours but skip the arithmetic (nobody reads Find's output).
int run_solver(const Solver& s, const Bound& b, bool in_find);

}  // namespace convprobe_double
