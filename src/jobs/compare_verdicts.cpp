#include "jobs/compare_verdicts.hpp"

namespace convprobe {

VerdictClass verdict_class(std::optional<Verdict> v) {
  if (!v || *v == Verdict::unsupported || *v == Verdict::skipped) return VerdictClass::not_offered;
  return *v == Verdict::pass ? VerdictClass::pass : VerdictClass::broken;
}

ChangeJudgement judge_change(std::optional<Verdict> a, std::optional<Verdict> b) {
  const VerdictClass from = verdict_class(a), to = verdict_class(b);
  // An appearance into the broken class is worse by the same rule as UNSUPPORTED -> CRASH: absence is "not
  // offered". It stays listed with the appearances, flagged as a regression.
  if (!a) return {ChangeKind::appeared, to == VerdictClass::broken};
  if (!b) return {ChangeKind::disappeared, false};
  if (from == to) return {ChangeKind::changed, false};
  if (to == VerdictClass::broken) return {ChangeKind::worse, true};
  if (from == VerdictClass::broken) return {ChangeKind::better, false};
  return {from == VerdictClass::pass ? ChangeKind::withdrawn : ChangeKind::offered, false};
}

}  // namespace convprobe
