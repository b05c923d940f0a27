// miopen-env: a POSIX sh profile of MIOPEN_DEBUG_* switches. Per failing solver the narrowest switch
// (policy/miopen_switches: the solver's own variable, inverted ones included); the family switch
// MIOPEN_DEBUG_CONV_<FAMILY>=0 when every solver of the family that ran failed somewhere, or when a failing
// solver has no switch of its own (GEMM solvers are family-only: the gfx1010 case gives
// MIOPEN_DEBUG_CONV_GEMM=0). Families that passed somewhere and stay on are written as =1, so a stale =0
// from an older profile cannot linger. Never switches off every family that passed (warns instead).
// MIOpen throws on a malformed boolean, so only 0 and 1 are written.
#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "policy/emitters.hpp"
#include "vendor/miopen_switches.hpp"
#include "policy/profile_text.hpp"
#include "policy/text_safety.hpp"

namespace convprobe {

namespace {

bool is_miopen_family(const std::string& f) { return !miopen::family_variable(f).empty(); }

/// The narrowest per-solver assignments that disable a blocked candidate in every direction it was blocked
/// for; nullopt when one of them can only be the family switch (GEMM, FFT, unknown solvers).
std::optional<std::vector<miopen::EnvAssignment>> solver_assignments(const BlockedCandidate& b) {
  std::set<Direction> dirs;
  for (const auto& e : b.evidence) {
    Problem p;
    std::string err;
    if (parse_problem(e.problem, &p, &err)) dirs.insert(p.dir);
  }
  if (dirs.empty()) dirs.insert(Direction::fwd);
  std::vector<miopen::EnvAssignment> out;
  for (Direction d : dirs) {
    const auto a = miopen::disable_candidate(b.candidate, d);
    if (!a || a->family_wide) return std::nullopt;
    if (std::none_of(out.begin(), out.end(), [&](const auto& x) { return x.variable == a->variable; })) {
      out.push_back(*a);
    }
  }
  return out;
}

std::string family_switch(const std::string& family) { return miopen::family_variable(family); }

struct FamilyState {
  std::set<std::string> ran;           ///< candidates with a verdict other than UNSUPPORTED/SKIPPED
  std::set<std::string> blocked;       ///< blocked for a failure
  std::set<std::string> unswitchable;  ///< blocked for a failure, no switch of their own
  size_t passes = 0;                   ///< PASS trials of candidates that are not blocked
  std::set<std::string> passing;       ///< candidates not blocked that passed somewhere
};

struct Line {
  std::string variable;
  std::string value;
  std::vector<std::string> comments;
};

}  // namespace

EmitResult emit_miopen_env(const EmitInput& in) {
  const Policy& policy = *in.policy;
  EmitResult result;
  std::map<std::string, FamilyState> families;
  for (const auto& t : *in.trials) {
    if (t.backend != policy.backend || !is_miopen_family(t.candidate.family)) continue;
    auto& fam = families[t.candidate.family];
    const Verdict v = t.result.verdict;
    if (v != Verdict::unsupported && v != Verdict::skipped) fam.ran.insert(t.candidate.id);
    if (v == Verdict::pass && !policy.find_blocked(t.candidate.id)) {
      ++fam.passes;
      fam.passing.insert(t.candidate.id);
    }
  }
  for (const auto& b : policy.blocked) {
    if (!is_miopen_family(b.candidate.family)) {
      result.notes.push_back(fmt::format("skipped {}: family '{}' has no MIOPEN_DEBUG_CONV_* switch ({})",
                                         b.candidate.id, b.candidate.family, b.reason));
      continue;
    }
    if (b.slow) continue;  // slow solvers only ever get their own switch (below)
    auto& fam = families[b.candidate.family];
    fam.blocked.insert(b.candidate.id);
    if (!solver_assignments(b)) fam.unswitchable.insert(b.candidate.id);
  }

  // Families to switch off: all that ran failed, or a failing solver can only be reached by the family
  // switch.
  std::set<std::string> off;
  for (const auto& [name, fam] : families) {
    if (fam.blocked.empty()) continue;
    const bool all_failed =
        std::includes(fam.blocked.begin(), fam.blocked.end(), fam.ran.begin(), fam.ran.end());
    if (all_failed || !fam.unswitchable.empty()) off.insert(name);
  }
  std::set<std::string> passed_families;
  for (const auto& [name, fam] : families) {
    if (fam.passes > 0) passed_families.insert(name);
  }
  if (!passed_families.empty() &&
      std::includes(off.begin(), off.end(), passed_families.begin(), passed_families.end())) {
    // Keep the family with the most passes on rather than leave MIOpen nothing that worked.
    std::string keep = *std::max_element(
        passed_families.begin(), passed_families.end(),
        [&](const std::string& a, const std::string& b) { return families[a].passes < families[b].passes; });
    off.erase(keep);
    result.notes.push_back(
        fmt::format("warning: switching off every family that passed somewhere would leave "
                    "MIOpen nothing that worked; {} stays on although some of its solvers failed",
                    family_switch(keep)));
  }

  std::vector<Line> lines;
  for (const auto& name : off) {
    Line line{family_switch(name), "0", {}};
    for (const auto& id : families[name].blocked) {
      line.comments.push_back(evidence_comment(id, policy.find_blocked(id)->evidence));
    }
    lines.push_back(std::move(line));
    if (!families[name].passing.empty()) {
      result.notes.push_back(
          fmt::format("warning: {}=0 also switches off {} solver(s) that passed everywhere they "
                      "ran, e.g. {}",
                      family_switch(name), families[name].passing.size(), *families[name].passing.begin()));
    }
  }
  for (const auto& b : policy.blocked) {
    if (!is_miopen_family(b.candidate.family) || off.count(b.candidate.family)) continue;
    const auto assignments = solver_assignments(b);
    if (!assignments) {
      result.notes.push_back(
          fmt::format("warning: {} stays reachable: it has no switch of its own and its family "
                      "stays on ({})",
                      b.candidate.id, b.reason));
      continue;
    }
    for (const auto& a : *assignments) {
      auto it =
          std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.variable == a.variable; });
      if (it == lines.end()) it = lines.insert(lines.end(), Line{a.variable, a.value, {}});
      it->comments.push_back(
          evidence_comment(b.candidate.id + (a.inverted ? " (inverted: 1 disables)" : ""), b.evidence));
    }
  }
  for (const auto& name : passed_families) {
    if (off.count(name)) continue;
    const auto& fam = families[name];
    lines.push_back(Line{
        family_switch(name),
        "1",
        {fmt::format("# {}\n",
                     sanitize_comment(fmt::format("kept on: {} passing trial(s) of {} solver(s), e.g. {}",
                                                  fam.passes, fam.passing.size(), *fam.passing.begin())))}});
  }

  std::string& out = result.content;
  out = profile_header("MIOpen", policy);
  for (const auto& line : lines) {
    if (!valid_env_name(line.variable) || (line.value != "0" && line.value != "1")) {
      throw std::logic_error(fmt::format("MIOpen switch '{}={}' is not a valid 0/1 assignment",
                                         sanitize_comment(line.variable), sanitize_comment(line.value)));
    }
    for (const auto& c : line.comments) out += c;
    out += fmt::format("export {}={}\n", line.variable, line.value);
  }
  for (const auto& line : lines) result.notes.push_back(fmt::format("{}={}", line.variable, line.value));
  result.notes.push_back(install_step(in.output_path, "convprobe-miopen.sh"));
  return result;
}

}  // namespace convprobe
