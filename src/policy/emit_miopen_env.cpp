// miopen-env: decide which MIOPEN_DEBUG_* switches to set from the Policy and the trials, then write them.
#include "policy/emit_miopen_env.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "policy/emit_miopen_finddb.hpp"
#include "policy/text_safety.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_switches.hpp"

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
using Families = std::map<std::string, FamilyState>;

/// What ran, passed and failed in each MIOpen family. Blocked candidates outside every family are noted as
/// skipped: no MIOPEN_DEBUG_CONV_* switch reaches them.
Families collect_families(const Policy& policy, const std::vector<StoredTrial>& trials,
                          std::vector<std::string>* notes) {
  Families families;
  for (const auto& t : trials) {
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
      notes->push_back(fmt::format("skipped {}: family '{}' has no MIOPEN_DEBUG_CONV_* switch ({})",
                                   b.candidate.id, b.candidate.family, b.reason));
      continue;
    }
    if (b.slow) continue;  // slow solvers only ever get their own switch (add_solver_switches)
    auto& fam = families[b.candidate.family];
    fam.blocked.insert(b.candidate.id);
    if (!solver_assignments(b)) fam.unswitchable.insert(b.candidate.id);
  }
  return families;
}

/// Families to switch off: all that ran failed, or a failing solver can only be reached by the family
/// switch.
std::set<std::string> families_to_switch_off(const Families& families) {
  std::set<std::string> off;
  for (const auto& [name, fam] : families) {
    if (fam.blocked.empty()) continue;
    const bool all_failed =
        std::includes(fam.blocked.begin(), fam.blocked.end(), fam.ran.begin(), fam.ran.end());
    if (all_failed || !fam.unswitchable.empty()) off.insert(name);
  }
  return off;
}

std::set<std::string> families_that_passed(const Families& families) {
  std::set<std::string> passed;
  for (const auto& [name, fam] : families) {
    if (fam.passes > 0) passed.insert(name);
  }
  return passed;
}

/// Never leave MIOpen nothing that worked: when every family that passed would be switched off, the one with
/// the most passes stays on, with a warning.
void keep_one_passing_family(const Families& families, const std::set<std::string>& passed,
                             std::set<std::string>* off, std::vector<std::string>* notes) {
  if (passed.empty() || !std::includes(off->begin(), off->end(), passed.begin(), passed.end())) return;
  const std::string keep =
      *std::max_element(passed.begin(), passed.end(), [&](const std::string& a, const std::string& b) {
        return families.at(a).passes < families.at(b).passes;
      });
  off->erase(keep);
  notes->push_back(
      fmt::format("warning: switching off every family that passed somewhere would leave "
                  "MIOpen nothing that worked; {} stays on although some of its solvers failed",
                  family_switch(keep)));
}

/// MIOPEN_DEBUG_CONV_<FAMILY>=0 per family switched off, citing its failing solvers; a warning when it also
/// takes away solvers that passed everywhere they ran.
void add_family_switches(const Policy& policy, const Families& families, const std::set<std::string>& off,
                         MiopenDecision* d) {
  for (const auto& name : off) {
    const FamilyState& fam = families.at(name);
    MiopenSwitch s{family_switch(name), "0", {}, std::nullopt};
    for (const auto& id : fam.blocked) s.disables.push_back({id, policy.find_blocked(id)->evidence});
    d->switches.push_back(std::move(s));
    if (!fam.passing.empty()) {
      d->notes.push_back(
          fmt::format("warning: {}=0 also switches off {} solver(s) that passed everywhere they "
                      "ran, e.g. {}",
                      family_switch(name), fam.passing.size(), *fam.passing.begin()));
    }
  }
}

/// The narrowest switches of the blocked solvers whose family stays on (one line per variable, citing every
/// solver it disables); a warning for a solver that has no switch of its own.
void add_solver_switches(const Policy& policy, const std::set<std::string>& off, MiopenDecision* d) {
  for (const auto& b : policy.blocked) {
    if (!is_miopen_family(b.candidate.family) || off.count(b.candidate.family)) continue;
    const auto assignments = solver_assignments(b);
    if (!assignments) {
      d->notes.push_back(
          fmt::format("warning: {} stays reachable: it has no switch of its own and its family "
                      "stays on ({})",
                      b.candidate.id, b.reason));
      continue;
    }
    for (const auto& a : *assignments) {
      auto it = std::find_if(d->switches.begin(), d->switches.end(),
                             [&](const MiopenSwitch& s) { return s.variable == a.variable; });
      if (it == d->switches.end()) {
        it = d->switches.insert(d->switches.end(), MiopenSwitch{a.variable, a.value, {}, std::nullopt});
      }
      it->disables.push_back({b.candidate.id + (a.inverted ? " (inverted: 1 disables)" : ""), b.evidence});
    }
  }
}

/// =1 for every family that passed somewhere and stays on.
void add_kept_on_switches(const Families& families, const std::set<std::string>& passed,
                          const std::set<std::string>& off, MiopenDecision* d) {
  for (const auto& name : passed) {
    if (off.count(name)) continue;
    const FamilyState& fam = families.at(name);
    d->switches.push_back(MiopenSwitch{
        family_switch(name), "1", {}, MiopenKeptOn{fam.passes, fam.passing.size(), *fam.passing.begin()}});
  }
}

std::string kept_on_comment(const MiopenKeptOn& k) {
  return fmt::format("# {}\n",
                     sanitize_comment(fmt::format("kept on: {} passing trial(s) of {} solver(s), e.g. {}",
                                                  k.passes, k.solvers, k.example)));
}

}  // namespace

MiopenDecision decide_miopen_env(const Policy& policy, const std::vector<StoredTrial>& trials) {
  MiopenDecision d;
  const Families families = collect_families(policy, trials, &d.notes);
  std::set<std::string> off = families_to_switch_off(families);
  const std::set<std::string> passed = families_that_passed(families);
  keep_one_passing_family(families, passed, &off, &d.notes);
  add_family_switches(policy, families, off, &d);
  add_solver_switches(policy, off, &d);
  add_kept_on_switches(families, passed, off, &d);
  return d;
}

EmitResult render_miopen_env(const MiopenDecision& decision, const EmitInput& in) {
  EmitResult result;
  result.notes = decision.notes;
  std::string& out = result.content;
  out = profile_header("MIOpen", *in.policy);
  for (const auto& s : decision.switches) {
    if (!valid_env_name(s.variable) || (s.value != "0" && s.value != "1")) {
      throw std::logic_error(fmt::format("MIOpen switch '{}={}' is not a valid 0/1 assignment",
                                         sanitize_comment(s.variable), sanitize_comment(s.value)));
    }
    for (const auto& c : s.disables) out += evidence_comment(c);
    if (s.kept_on) out += kept_on_comment(*s.kept_on);
    out += fmt::format("export {}={}\n", s.variable, s.value);
  }
  for (const auto& s : decision.switches) result.notes.push_back(fmt::format("{}={}", s.variable, s.value));
  result.notes.push_back(install_step(in.output_path, "convprobe-miopen.sh"));
  return result;
}

ReadBack read_back_miopen_env(const PolicyText& file, PolicySource* out, std::string* err) {
  if (file.json || is_finddb_file(file)) return ReadBack::not_this_format;  // miopen-finddb's
  PolicySource profile;
  if (!read_profile_source(file, &profile, err)) return ReadBack::invalid;
  if (profile.backend == "onednn") return ReadBack::not_this_format;  // onednn-env's
  out->backend = profile.backend;
  out->env = std::move(profile.env);
  return ReadBack::read;
}

}  // namespace convprobe
