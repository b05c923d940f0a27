// onednn-env: ONEDNN_MAX_CPU_ISA capped just below the lowest ISA of a failing ISA-specific implementation.
// Only documented values are written: oneDNN silently ignores one it does not know (verify checks the cap).
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "policy/emitters.hpp"
#include "vendor/onednn_isa.hpp"
#include "policy/profile_text.hpp"

namespace convprobe {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

}  // namespace

EmitResult emit_onednn_env(const EmitInput& in) {
  const Policy& policy = *in.policy;
  EmitResult result;
  std::set<std::string> failing_isas;
  std::vector<const BlockedCandidate*> capped;
  for (const auto& b : policy.blocked) {
    // A slow implementation is no reason to cap the ISA: that would also remove the fast ones above it.
    if (b.slow) continue;
    if (auto isa = onednn_impl_isa(b.candidate.id)) {
      failing_isas.insert(*isa);
      capped.push_back(&b);
    } else {
      result.notes.push_back(
          fmt::format("skipped {}: not ISA-specific, ONEDNN_MAX_CPU_ISA cannot remove it ({})",
                      b.candidate.id, b.reason));
    }
  }

  std::string& out = result.content;
  out = profile_header("oneDNN", policy);
  if (failing_isas.empty()) {
    out += "# No ISA-specific implementation failed: nothing to cap.\n";
    result.notes.push_back("no ISA-specific implementation failed; the profile sets nothing");
    return result;
  }
  const auto cap = onednn_cap_below(failing_isas);
  if (!cap) {
    out += "# Failing implementations exist even at sse41, the lowest ISA oneDNN can be capped to.\n";
    result.notes.push_back(
        "warning: implementations fail even at sse41; ONEDNN_MAX_CPU_ISA cannot avoid them");
    return result;
  }

  // Never cap away everything that passed: warn when no passing implementation survives the cap.
  bool survivor = false;
  for (const auto& [id, c] : passing_candidates(policy.backend, *in.trials)) {
    if (policy.find_blocked(id)) continue;
    const auto isa = onednn_impl_isa(id);
    if (!isa || onednn_isa_allowed(*isa, *cap)) survivor = true;
  }
  if (!survivor) {
    result.notes.push_back(
        fmt::format("warning: no implementation that passed is allowed under {}; "
                    "the profile is written, but check it with `convprobe verify`",
                    upper(*cap)));
  }

  for (const auto* b : capped) out += evidence_comment(b->candidate.id, b->evidence);
  out += fmt::format("export ONEDNN_MAX_CPU_ISA={}\n", upper(*cap));
  result.notes.push_back(fmt::format("ONEDNN_MAX_CPU_ISA={}: below {}", upper(*cap), [&] {
    std::string list;
    for (const auto& isa : failing_isas) list += (list.empty() ? "" : ", ") + isa;
    return list;
  }()));
  result.notes.push_back(install_step(in.output_path, "convprobe-onednn.sh"));
  return result;
}

}  // namespace convprobe
