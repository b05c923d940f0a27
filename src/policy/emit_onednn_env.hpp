// onednn-env: ONEDNN_MAX_CPU_ISA capped just below the lowest ISA of a failing ISA-specific implementation
// (docs/policy.md, "onednn-env").
#pragma once

#include <set>

#include "policy/emitters.hpp"
#include "policy/profile_text.hpp"

namespace convprobe {

struct OnednnDecision {
  enum class Outcome {
    nothing_failed,  ///< no ISA-specific implementation failed: nothing to cap
    uncappable,      ///< implementations fail even at sse41, the lowest cap
    capped,          ///< `cap` keeps every failing ISA-specific implementation away
  };
  Outcome outcome = Outcome::nothing_failed;
  std::set<std::string> failing_isas;  ///< lower case
  std::vector<Citation> capped;        ///< the failing implementations the cap removes
  std::string cap;                     ///< Outcome::capped: the documented value, lower case
  std::vector<std::string> notes;      ///< skipped candidates and warnings, for stderr
};

/// The highest documented cap below every failing ISA-specific implementation. Implementations that are not
/// ISA-specific (gemm, ref) cannot be capped away (noted as skipped); slow ones never lower the cap (that
/// would also remove the fast ones above it). Warns when no implementation that passed survives the cap.
[[nodiscard]] OnednnDecision decide_onednn_env(const Policy& policy, const std::vector<StoredTrial>& trials);
/// The profile: a header, the evidence, `export ONEDNN_MAX_CPU_ISA=<VALUE>` (upper case, as documented).
/// Only documented values are ever written: oneDNN silently ignores one it does not know.
[[nodiscard]] EmitResult render_onednn_env(const OnednnDecision& decision, const EmitInput& in);
/// Claims the shell profiles that set oneDNN's variables (ONEDNN_*, DNNL_*).
ReadBack read_back_onednn_env(const PolicyText& file, PolicySource* out, std::string* err);

}  // namespace convprobe
