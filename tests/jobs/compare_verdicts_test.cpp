// Every kind of verdict change `convprobe compare` tells apart (issue 17), and which are regressions: into
// the broken class is worse; leaving PASS for "not offered" is a withdrawal; an appearance is judged as if
// absence were UNSUPPORTED.
#include "jobs/compare_verdicts.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

struct Case {
  std::optional<Verdict> a, b;
  ChangeKind kind;
  bool regression;
};

TEST(CPU_CompareVerdicts, EveryTransitionKind) {
  using V = Verdict;
  using K = ChangeKind;
  const Case cases[] = {
      {V::pass, V::mismatch, K::worse, true},
      {V::pass, V::hang, K::worse, true},
      {V::pass, V::crash, K::worse, true},
      {V::pass, V::failed, K::worse, true},
      {V::pass, V::oom, K::worse, true},
      {V::pass, V::untested, K::worse, true},
      {V::unsupported, V::crash, K::worse, true},
      {V::skipped, V::mismatch, K::worse, true},
      {V::crash, V::pass, K::better, false},
      {V::hang, V::unsupported, K::better, false},
      {V::crash, V::hang, K::changed, false},
      {V::failed, V::mismatch, K::changed, false},
      {V::unsupported, V::skipped, K::changed, false},
      {V::pass, V::unsupported, K::withdrawn, false},
      {V::pass, V::skipped, K::withdrawn, false},
      {V::unsupported, V::pass, K::offered, false},
      {std::nullopt, V::pass, K::appeared, false},
      {std::nullopt, V::unsupported, K::appeared, false},
      {std::nullopt, V::hang, K::appeared, true},
      {V::pass, std::nullopt, K::disappeared, false},
      {V::crash, std::nullopt, K::disappeared, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message()
                 << (c.a ? to_string(*c.a) : "-") << " -> " << (c.b ? to_string(*c.b) : "-"));
    const ChangeJudgement j = judge_change(c.a, c.b);
    EXPECT_EQ(to_string(j.kind), to_string(c.kind));
    EXPECT_EQ(j.regression, c.regression);
  }
}

TEST(CPU_CompareVerdicts, ClassesFollowThePolicyFailures) {
  for (Verdict v : {Verdict::untested, Verdict::pass, Verdict::mismatch, Verdict::unsupported,
                    Verdict::failed, Verdict::crash, Verdict::hang, Verdict::oom, Verdict::skipped}) {
    SCOPED_TRACE(to_string(v));
    EXPECT_EQ(verdict_class(v) == VerdictClass::broken, is_failure(v));
  }
  EXPECT_EQ(verdict_class(std::nullopt), VerdictClass::not_offered);
}

}  // namespace
}  // namespace convprobe
