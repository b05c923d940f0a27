// miopen-env: a POSIX sh profile of MIOPEN_DEBUG_* switches (docs/policy.md, "miopen-env").
#pragma once

#include <optional>

#include "policy/emitters.hpp"
#include "policy/profile_text.hpp"

namespace convprobe {

/// Why a family is written as =1: how much of it passed.
struct MiopenKeptOn {
  size_t passes = 0;    ///< PASS trials of its solvers that are not blocked
  size_t solvers = 0;   ///< its solvers that are not blocked and passed somewhere
  std::string example;  ///< one of them
};

struct MiopenSwitch {
  std::string variable;
  std::string value;                    ///< "0" or "1" (1 disables an inverted solver switch)
  std::vector<Citation> disables;       ///< the blocked solvers it switches off, with their evidence
  std::optional<MiopenKeptOn> kept_on;  ///< a family that passed somewhere and stays on (value "1")
};

struct MiopenDecision {
  std::vector<MiopenSwitch> switches;  ///< in the order the profile writes them
  std::vector<std::string> notes;      ///< skipped candidates and warnings, for stderr
};

/// Per failing solver the narrowest switch (vendor/miopen_switches: its own variable, inverted ones
/// included); the family switch MIOPEN_DEBUG_CONV_<FAMILY>=0 when every solver of the family that ran failed
/// somewhere, or when a failing solver has no switch of its own (GEMM solvers are family-only: the gfx1010
/// case gives MIOPEN_DEBUG_CONV_GEMM=0). Families that passed somewhere and stay on get =1, so a stale =0
/// from an older profile cannot linger. Never switches off every family that passed (keeps the one with the
/// most passes and warns). Slow solvers only ever get their own switch.
[[nodiscard]] MiopenDecision decide_miopen_env(const Policy& policy, const std::vector<StoredTrial>& trials);
/// The profile: a header, then per switch its evidence comments and `export NAME=0|1`. MIOpen throws on a
/// malformed boolean, so anything but a valid name and 0/1 is a logic error here.
[[nodiscard]] EmitResult render_miopen_env(const MiopenDecision& decision, const EmitInput& in);
/// Claims every shell profile that does not set oneDNN's variables (an empty one included, as it always
/// did: `verify` then needs -b).
ReadBack read_back_miopen_env(const PolicyText& file, PolicySource* out, std::string* err);

}  // namespace convprobe
