// Framework candidates: MIOpen picks the solver itself, as a framework lets it, so that `verify` can see
// which solver a find-db record makes MIOpen use (docs/amd.md, "Per-shape steering"). Offered only in a
// worker started with CONVPROBE_MIOPEN_FRAMEWORK=list (verify's workers for a find-db); sweeps never see
// them. Each runs in a fresh worker of its own whose environment names its mode:
//  - immediate: miopenConvolution*GetSolution, the first solution (PyTorch's
//  torch.backends.miopen.immediate);
//  - find: miopenFindConvolution*Algorithm with request count 1 in the default find mode, DYNAMIC_HYBRID
//    (PyTorch >= 2.7 with benchmark=False). Find reports only an algorithm, never a solver: on a find-db hit
//    it returns the immediate listing's first solution (5.2 convolutionocl.cpp:469-486, develop :154-172),
//    so the solver reported is that listing's first, and only when its family is Find's answer.
//  - record (`policy --emit miopen-finddb --finddb-by miopen`): MIOpen writes the find-db record itself. The
//    worker runs NORMAL Find with the find-db on and MIOPEN_DEBUG_FIND_ONLY_SOLVER=<the chosen solver> (from
//    the candidate's worker_env): Find searches only that solver and stores `<key>=<that solver>` in the user
//    find-db (../shared/research/sources-steering-fleets.md §2.5 A).
// Either way the trial then runs the picked solver and checks it against the fp64 reference. The worker
// unsets what would change MIOpen's choice (find mode, find-db off, forced solver, FIND_ENFORCE,
// immediate-mode fallback): the user's defaults are what a framework gets.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "backends/miopen/descriptors.hpp"
#include "backends/miopen/runtime.hpp"
#include "convprobe/candidate.hpp"

namespace convprobe::miopen {

/// The same name and listing value as policy/emit_miopen_finddb.hpp (the plugin does not link the policy
/// room).
inline constexpr const char* kFrameworkEnv = "CONVPROBE_MIOPEN_FRAMEWORK";

enum class FrameworkMode { off, listing, immediate, find, record };

/// This process's mode, from CONVPROBE_MIOPEN_FRAMEWORK ("list", "immediate", "find"; anything else: off).
[[nodiscard]] FrameworkMode framework_mode_of_process();
/// What a framework worker of `mode` sets ("" = unset) before MIOpen loads; returns what changed.
std::vector<std::string> apply_framework_worker_env(FrameworkMode mode);

/// "miopen.framework.immediate" and "miopen.framework.find": attrs listing=framework, mode, worker_env.
[[nodiscard]] std::vector<Candidate> framework_candidates();
/// The candidate's mode (immediate, find or record), or off for any other candidate.
[[nodiscard]] FrameworkMode framework_mode_of(const Candidate& c);
[[nodiscard]] const char* to_string(FrameworkMode m);

struct FrameworkPick {
  uint64_t solver = 0;
  std::vector<std::string> offered;  ///< candidate ids, the picked one first
};

/// What MIOpen picks for the problem in `mode` (immediate or find). `buffers` by TensorRole (Find runs on
/// them). Throws TrialError(FAILED) when MIOpen offers nothing or Find's answer is not the listing's first.
[[nodiscard]] FrameworkPick pick_solver(const Runtime& rt, miopen_abi::Handle h, const ProblemDescriptors& d,
                                        Direction dir, const std::array<void*, 3>& buffers,
                                        FrameworkMode mode);

}  // namespace convprobe::miopen
