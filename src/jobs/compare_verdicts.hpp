// Which verdict changes are regressions (docs/compare.md, "Verdicts"). A verdict is in one of three classes:
// PASS; not offered (UNSUPPORTED: the library refused cleanly, SKIPPED: convprobe did not run it, or no
// trial at all: the library no longer lists it); broken (MISMATCH, FAILED, CRASH, HANG, OOM, UNTESTED: what
// policies block, is_failure()). Worse means into the broken class: a candidate a framework may call now
// fails where it used to work or to be refused. Leaving PASS for "not offered" is a withdrawal, not a
// regression by itself: what it costs is the time of the problem's best candidate, which is judged there.
#pragma once

#include <optional>

#include "report/comparison.hpp"

namespace convprobe {

enum class VerdictClass { pass, not_offered, broken };

[[nodiscard]] VerdictClass verdict_class(std::optional<Verdict> v);

/// The kind of change from `a` to `b` (nullopt: no trial on that side; the verdicts must differ or one side
/// be absent), and whether it is a regression.
struct ChangeJudgement {
  ChangeKind kind;
  bool regression;
};
[[nodiscard]] ChangeJudgement judge_change(std::optional<Verdict> a, std::optional<Verdict> b);

}  // namespace convprobe
