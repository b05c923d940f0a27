#include "jobs/bisect_search.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace convprobe {
namespace {

std::vector<int64_t> range(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t x = from;; x += from <= to ? 1 : -1) {
    v.push_back(x);
    if (x == to) break;
  }
  return v;
}

/// A probe answering from a verdict function, counting calls per value.
struct FakeProbe {
  explicit FakeProbe(std::function<Verdict(int64_t)> f) : verdict_at(std::move(f)) {}
  std::function<Verdict(int64_t)> verdict_at;
  std::map<int64_t, int> calls;
  BisectProbe probe() {
    return [this](int64_t v, const std::string&) {
      ++calls[v];
      TrialResult r;
      r.verdict = verdict_at(v);
      return r;
    };
  }
};

TEST(Bisect, FindsAMonotoneBoundaryAndConfirmsBothNeighbours) {
  FakeProbe f{[](int64_t hw) { return hw > 42 ? Verdict::hang : Verdict::pass; }};
  const auto out = bisect_values(range(32, 512), f.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::boundary);
  EXPECT_EQ(out.last_good, 42);
  EXPECT_EQ(out.first_bad, 43);
  EXPECT_EQ(out.good.verdict, Verdict::pass);
  EXPECT_EQ(out.bad.verdict, Verdict::hang);
  EXPECT_EQ(f.calls[42], 2);
  EXPECT_EQ(f.calls[43], 2);
  EXPECT_LE(out.points.size(), 2u + 10u + 2u + 6u);  // ends, log2(481) steps, confirmations, spot checks
  EXPECT_EQ(describe_boundary("fault.hang@hw>42", Axis::hw, out),
            "fault.hang@hw>42: PASS at hw<=42, HANG at hw>=43");
}

TEST(Bisect, WorksDownwardAndNamesThePassingSideGood) {
  FakeProbe f{[](int64_t hw) { return hw > 42 ? Verdict::hang : Verdict::pass; }};
  const auto out = bisect_values(range(512, 32), f.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::boundary);
  EXPECT_EQ(out.last_good, 42);
  EXPECT_EQ(out.first_bad, 43);
  EXPECT_EQ(describe_boundary("c", Axis::hw, out), "c: PASS at hw<=42, HANG at hw>=43");
}

TEST(Bisect, NoChangeStopsAfterTheEnds) {
  FakeProbe f{[](int64_t) { return Verdict::pass; }};
  const auto out = bisect_values(range(1, 100), f.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::no_change);
  EXPECT_EQ(out.points.size(), 2u);
  EXPECT_NE(out.message.find("no change between 1 and 100"), std::string::npos) << out.message;
}

TEST(Bisect, BoundaryAtTheEnds) {
  FakeProbe first{[](int64_t v) { return v > 10 ? Verdict::failed : Verdict::pass; }};
  auto out = bisect_values(range(10, 20), first.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::boundary);
  EXPECT_EQ(out.last_good, 10);
  EXPECT_EQ(out.first_bad, 11);

  FakeProbe last{[](int64_t v) { return v >= 20 ? Verdict::failed : Verdict::pass; }};
  out = bisect_values(range(10, 20), last.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::boundary);
  EXPECT_EQ(out.last_good, 19);
  EXPECT_EQ(out.first_bad, 20);

  FakeProbe two{[](int64_t v) { return v == 2 ? Verdict::crash : Verdict::pass; }};
  out = bisect_values({1, 2}, two.probe());
  EXPECT_EQ(out.kind, BisectOutcome::Kind::boundary);
  EXPECT_EQ(out.first_bad, 2);
}

TEST(Bisect, NonMonotoneIsReportedNotHidden) {
  // Every value below the boundary except one passes: spot checks over all of them must catch it.
  FakeProbe f{[](int64_t v) { return (v > 42 || v == 33) ? Verdict::hang : Verdict::pass; }};
  BisectSettings s;
  s.spot_checks_per_side = 100;
  const auto out = bisect_values(range(32, 64), f.probe(), s);
  ASSERT_EQ(out.kind, BisectOutcome::Kind::non_monotone);
  EXPECT_NE(out.message.find("but HANG at 33"), std::string::npos) << out.message;
  EXPECT_EQ(out.message.rfind("non-monotone: PASS at ", 0), 0u) << out.message;
}

TEST(Bisect, NonMonotoneOnTheFailingSide) {
  FakeProbe f{[](int64_t v) { return (v <= 42 || v == 60) ? Verdict::pass : Verdict::hang; }};
  BisectSettings s;
  s.spot_checks_per_side = 100;
  const auto out = bisect_values(range(32, 64), f.probe(), s);
  ASSERT_EQ(out.kind, BisectOutcome::Kind::non_monotone);
  EXPECT_NE(out.message.find("but PASS at 60"), std::string::npos) << out.message;
}

TEST(Bisect, UnstableNeighbourIsReported) {
  int calls_at_43 = 0;
  BisectProbe probe = [&](int64_t v, const std::string&) {
    TrialResult r;
    r.verdict = v > 42 ? Verdict::hang : Verdict::pass;
    if (v == 43 && ++calls_at_43 == 2) r.verdict = Verdict::pass;
    return r;
  };
  const auto out = bisect_values(range(32, 64), probe);
  EXPECT_EQ(out.kind, BisectOutcome::Kind::unstable);
  EXPECT_NE(out.message.find("HANG then PASS at 43"), std::string::npos) << out.message;
}

}  // namespace
}  // namespace convprobe
