// onednn-env: decide the ISA cap from the Policy and the trials, then write it.
#include "policy/emit_onednn_env.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "policy/emit_miopen_finddb.hpp"
#include "vendor/onednn_isa.hpp"

namespace convprobe {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

/// Does an implementation that passed somewhere and is not blocked still run under `cap`?
bool something_that_passed_survives(const Policy& policy, const std::vector<StoredTrial>& trials,
                                    const std::string& cap) {
  for (const auto& [id, c] : passing_candidates(policy.backend, trials)) {
    if (policy.find_blocked(id)) continue;
    const auto isa = onednn_impl_isa(id);
    if (!isa || onednn_isa_allowed(*isa, cap)) return true;
  }
  return false;
}

}  // namespace

OnednnDecision decide_onednn_env(const Policy& policy, const std::vector<StoredTrial>& trials) {
  OnednnDecision d;
  for (const auto& b : policy.blocked) {
    if (b.slow) continue;  // capping for speed would also remove the fast implementations above
    if (auto isa = onednn_impl_isa(b.candidate.id)) {
      d.failing_isas.insert(*isa);
      d.capped.push_back({b.candidate.id, b.evidence});
    } else {
      d.notes.push_back(fmt::format("skipped {}: not ISA-specific, ONEDNN_MAX_CPU_ISA cannot remove it ({})",
                                    b.candidate.id, b.reason));
    }
  }
  if (d.failing_isas.empty()) {
    d.notes.push_back("no ISA-specific implementation failed; the profile sets nothing");
    return d;
  }
  const auto cap = onednn_cap_below(d.failing_isas);
  if (!cap) {
    d.outcome = OnednnDecision::Outcome::uncappable;
    d.notes.push_back("warning: implementations fail even at sse41; ONEDNN_MAX_CPU_ISA cannot avoid them");
    return d;
  }
  d.outcome = OnednnDecision::Outcome::capped;
  d.cap = *cap;
  if (!something_that_passed_survives(policy, trials, d.cap)) {
    d.notes.push_back(
        fmt::format("warning: no implementation that passed is allowed under {}; "
                    "the profile is written, but check it with `convprobe verify`",
                    upper(d.cap)));
  }
  return d;
}

EmitResult render_onednn_env(const OnednnDecision& decision, const EmitInput& in) {
  EmitResult result;
  result.notes = decision.notes;
  std::string& out = result.content;
  out = profile_header("oneDNN", *in.policy);
  switch (decision.outcome) {
    case OnednnDecision::Outcome::nothing_failed:
      out += "# No ISA-specific implementation failed: nothing to cap.\n";
      return result;
    case OnednnDecision::Outcome::uncappable:
      out += "# Failing implementations exist even at sse41, the lowest ISA oneDNN can be capped to.\n";
      return result;
    case OnednnDecision::Outcome::capped:
      break;
  }
  std::string canonical;
  if (!onednn_documented_isa(decision.cap, &canonical)) {
    throw std::logic_error(fmt::format("ONEDNN_MAX_CPU_ISA value '{}' is not documented", decision.cap));
  }
  for (const auto& c : decision.capped) out += evidence_comment(c);
  out += fmt::format("export ONEDNN_MAX_CPU_ISA={}\n", upper(decision.cap));
  std::string below;
  for (const auto& isa : decision.failing_isas) below += (below.empty() ? "" : ", ") + isa;
  result.notes.push_back(fmt::format("ONEDNN_MAX_CPU_ISA={}: below {}", upper(decision.cap), below));
  result.notes.push_back(install_step(in.output_path, "convprobe-onednn.sh"));
  return result;
}

ReadBack read_back_onednn_env(const PolicyText& file, PolicySource* out, std::string* err) {
  if (file.json || is_finddb_file(file)) return ReadBack::not_this_format;  // miopen-finddb's
  PolicySource profile;
  if (!read_profile_source(file, &profile, err)) return ReadBack::invalid;
  if (profile.backend != "onednn") return ReadBack::not_this_format;  // miopen-env's
  out->backend = profile.backend;
  out->env = std::move(profile.env);
  return ReadBack::read;
}

}  // namespace convprobe
