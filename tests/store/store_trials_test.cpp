// Trials and runs in the store: every field round-trips, each add_trial is committed on return, filters
// select what `results` promises, and --resume recognises trials of the same fingerprint only.
#include <gtest/gtest.h>

#include <cmath>

#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

class CPU_StoreTrials : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::string path_ = dir_.file("results.db");
  std::unique_ptr<Store> store_ = Store::open(path_);
};

std::vector<std::string> candidate_ids(const std::vector<StoredTrial>& trials) {
  std::vector<std::string> ids;
  for (const auto& t : trials) ids.push_back(t.candidate.id);
  return ids;
}

TEST_F(CPU_StoreTrials, EveryFieldRoundTrips) {
  const Fingerprint fp = sample_fingerprint();
  const int64_t run = store_->begin_run(fp, false);
  const Problem problem = sample_problem(16, "resnet_50:res2a");
  const Candidate candidate = sample_candidate("fwd.engine.67.k2=5,k13=0");
  TrialResult result = sample_result(Verdict::pass, "max rel err 3.5e-07");
  result.attempt = 2;
  result.verify.seed = 0xfedcba9876543210ULL;  // above INT64_MAX: stored through JSON, must not wrap
  store_->add_trial(run, problem, "cudnn", candidate, result, "convprobe run 'x' -b cudnn");

  const auto trials = store_->trials({});
  ASSERT_EQ(trials.size(), 1u);
  const StoredTrial& t = trials[0];
  EXPECT_GT(t.id, 0);
  EXPECT_EQ(t.run_id, run);
  EXPECT_EQ(t.problem, key(problem));
  EXPECT_EQ(t.problem_label, "resnet_50:res2a");
  EXPECT_EQ(t.backend, "cudnn");
  EXPECT_EQ(t.candidate, candidate);
  EXPECT_EQ(t.repro, "convprobe run 'x' -b cudnn");
  EXPECT_EQ(t.finished_at.size(), std::string("2026-11-25T10:00:00.000Z").size());
  const TrialResult& r = t.result;
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_EQ(r.detail, result.detail);
  EXPECT_EQ(r.phase, result.phase);
  ASSERT_TRUE(r.time.has_value());
  EXPECT_EQ(r.time->median_ms, 1.25);
  EXPECT_EQ(r.time->min_ms, 1.0);
  EXPECT_EQ(r.time->max_ms, 2.5);
  EXPECT_EQ(r.time->repeats, 10);
  EXPECT_EQ(r.time->launches, 13);
  EXPECT_EQ(r.rel_err, result.rel_err);
  EXPECT_EQ(r.workspace_bytes, 4096);
  EXPECT_EQ(r.verify.sampled, true);
  EXPECT_EQ(r.verify.points, 16384);
  EXPECT_EQ(r.verify.seed, 0xfedcba9876543210ULL);
  EXPECT_EQ(r.verify.threshold, 1e-5);
  EXPECT_EQ(r.verify.math, "f32");
  EXPECT_EQ(r.device, "cpu");
  EXPECT_EQ(r.attempt, 2);
  EXPECT_EQ(r.wall_ms, 12.5);

  const auto runs = store_->runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, run);
  EXPECT_EQ(runs[0].fingerprint.identity(), fp.identity());
  EXPECT_EQ(runs[0].fingerprint.command_line, fp.command_line);
  EXPECT_EQ(runs[0].fingerprint.env, fp.env);
  EXPECT_FALSE(runs[0].started_at.empty());
  ASSERT_TRUE(store_->run(run).has_value());
  EXPECT_FALSE(store_->run(run + 100).has_value());
  EXPECT_EQ(store_->trial_counts(), (std::map<int64_t, int64_t>{{run, 1}}));
}

TEST_F(CPU_StoreTrials, UntimedTrialKeepsNoTimingAndNoError) {
  const int64_t run = store_->begin_run(sample_fingerprint(), false);
  TrialResult hang = sample_result(Verdict::hang, "watchdog: no heartbeat for 2000 ms in phase run");
  hang.wall_ms = std::nan("");
  store_->add_trial(run, sample_problem(), "fault", sample_candidate("hang"), hang, "r");
  const auto trials = store_->trials({});
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_FALSE(trials[0].result.time.has_value());
  EXPECT_EQ(trials[0].result.rel_err, -1);
  EXPECT_TRUE(std::isnan(trials[0].result.wall_ms));
  EXPECT_EQ(trials[0].result.verdict, Verdict::hang);
}

TEST_F(CPU_StoreTrials, EachTrialIsVisibleToAnotherConnectionAsSoonAsAddTrialReturns) {
  const int64_t run = store_->begin_run(sample_fingerprint(), false);
  RawDb other(path_, SQLITE_OPEN_READONLY);
  for (int i = 1; i <= 5; ++i) {
    store_->add_trial(run, sample_problem(), "fault", sample_candidate("c" + std::to_string(i)),
                      sample_result(Verdict::pass), "r");
    EXPECT_EQ(other.scalar("SELECT count(*) FROM trials"), std::to_string(i));
  }
}

TEST_F(CPU_StoreTrials, HostileStringsRoundTripExactly) {
  const std::vector<std::string> hostile = {
      "it's \"quoted\"",
      "'; DROP TABLE trials; --",
      "line one\nline two\r\n\ttabbed",
      "unicode: \xce\xb1\xce\xb2\xce\xb3 \xe2\x9c\x93 \xf0\x9f\x94\xa5",
      std::string("embedded\0nul", 12),
      "glob chars * ? [a-z] %_ \\",
  };
  Fingerprint fp = sample_fingerprint();
  fp.command_line = hostile[1] + hostile[2];
  fp.env["MIOPEN_WEIRD"] = hostile[3];
  const int64_t run = store_->begin_run(fp, false);
  for (size_t i = 0; i < hostile.size(); ++i) {
    Candidate c = sample_candidate(hostile[i] + "#" + std::to_string(i));
    c.notes = hostile[i];
    c.attrs = {{hostile[0], hostile[i]}};
    TrialResult r = sample_result(Verdict::failed, hostile[i]);
    r.device = hostile[i];
    r.verify.math = hostile[3];
    store_->add_trial(run, sample_problem(8, hostile[i]), hostile[i], c, r, hostile[i]);
  }
  ASSERT_EQ(RawDb(path_).scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'trials'"), "1");
  const auto trials = store_->trials({});
  ASSERT_EQ(trials.size(), hostile.size());
  for (size_t i = 0; i < hostile.size(); ++i) {
    const StoredTrial& t = trials[i];
    EXPECT_EQ(t.candidate.id, hostile[i] + "#" + std::to_string(i));
    EXPECT_EQ(t.candidate.notes, hostile[i]);
    EXPECT_EQ(t.candidate.attrs.at(hostile[0]), hostile[i]) << i;
    EXPECT_EQ(t.problem_label, hostile[i]);
    EXPECT_EQ(t.backend, hostile[i]);
    EXPECT_EQ(t.result.detail, hostile[i]);
    EXPECT_EQ(t.result.device, hostile[i]);
    EXPECT_EQ(t.result.verify.math, hostile[3]);
    EXPECT_EQ(t.repro, hostile[i]);
    // Exact-match lookups bind values, never splice them into SQL.
    EXPECT_TRUE(store_->has_trial(fp.identity(), t.problem, hostile[i], t.candidate.id));
  }
  const auto runs = store_->runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].fingerprint.command_line, fp.command_line);
  EXPECT_EQ(runs[0].fingerprint.env.at("MIOPEN_WEIRD"), hostile[3]);
}

class CPU_StoreFilters : public CPU_StoreTrials {
 protected:
  void SetUp() override {
    run_a_ = store_->begin_run(sample_fingerprint("fault"), false);
    run_b_ = store_->begin_run(sample_fingerprint("onednn"), false);
    add(run_a_, "fault", 8, "", "ok", Verdict::pass);
    add(run_a_, "fault", 8, "", "hang@hw>42", Verdict::pass);
    add(run_a_, "fault", 64, "gfx1010:big", "hang@hw>42", Verdict::hang);
    add(run_a_, "fault", 64, "gfx1010:big", "segv", Verdict::crash);
    add(run_b_, "onednn", 8, "", "jit:avx2", Verdict::pass);
    add(run_b_, "onednn", 64, "gfx1010:big", "gemm:jit", Verdict::mismatch);
  }
  void add(int64_t run, const std::string& backend, int64_t h, const std::string& label,
           const std::string& id, Verdict v) {
    store_->add_trial(run, sample_problem(h, label), backend, sample_candidate(id), sample_result(v), "r");
  }
  /// Candidate ids of the trials a filter selects; `set` fills the filter in.
  template <typename SetFilter>
  std::vector<std::string> select(SetFilter set) {
    TrialFilter filter;
    set(filter);
    return candidate_ids(store_->trials(filter));
  }
  using Ids = std::vector<std::string>;
  int64_t run_a_ = 0, run_b_ = 0;
};

TEST_F(CPU_StoreFilters, NoFilterReturnsEverythingInInsertionOrder) {
  EXPECT_EQ(select([](TrialFilter&) {}),
            (Ids{"ok", "hang@hw>42", "hang@hw>42", "segv", "jit:avx2", "gemm:jit"}));
}

TEST_F(CPU_StoreFilters, BackendIsExact) {
  EXPECT_EQ(select([](TrialFilter& f) { f.backend = "onednn"; }), (Ids{"jit:avx2", "gemm:jit"}));
  EXPECT_TRUE(select([](TrialFilter& f) { f.backend = "onedn"; }).empty());
}

TEST_F(CPU_StoreFilters, CandidateGlobsAreCommaSeparatedLikeSweep) {
  EXPECT_EQ(select([](TrialFilter& f) { f.candidate_glob = "hang*"; }), (Ids{"hang@hw>42", "hang@hw>42"}));
  EXPECT_EQ(select([](TrialFilter& f) { f.candidate_glob = "*jit*,segv"; }),
            (Ids{"segv", "jit:avx2", "gemm:jit"}));
  EXPECT_EQ(select([](TrialFilter& f) { f.candidate_glob = "?k"; }), (Ids{"ok"}));
  EXPECT_TRUE(select([](TrialFilter& f) { f.candidate_glob = "HANG*"; }).empty())
      << "globs are case-sensitive";
}

TEST_F(CPU_StoreFilters, ProblemGlobMatchesKeyOrLabel) {
  const std::string big = key(sample_problem(64));
  EXPECT_EQ(select([&](TrialFilter& f) { f.problem_glob = big; }), (Ids{"hang@hw>42", "segv", "gemm:jit"}));
  EXPECT_EQ(select([](TrialFilter& f) { f.problem_glob = "*ih64*"; }),
            (Ids{"hang@hw>42", "segv", "gemm:jit"}));
  EXPECT_EQ(select([](TrialFilter& f) { f.problem_glob = "gfx1010:*"; }),
            (Ids{"hang@hw>42", "segv", "gemm:jit"}));
  EXPECT_TRUE(select([](TrialFilter& f) { f.problem_glob = "nothing*"; }).empty());
}

TEST_F(CPU_StoreFilters, VerdictsAndRunsCombine) {
  EXPECT_EQ(select([](TrialFilter& f) {
              f.verdicts = {Verdict::hang, Verdict::crash};
            }),
            (Ids{"hang@hw>42", "segv"}));
  EXPECT_EQ(select([&](TrialFilter& f) {
              f.verdicts = {Verdict::pass};
              f.run_id = run_b_;
            }),
            (Ids{"jit:avx2"}));
  EXPECT_EQ(select([&](TrialFilter& f) { f.run_id = run_a_; }).size(), 4u);
  EXPECT_EQ(select([](TrialFilter& f) {
              f.backend = "fault";
              f.candidate_glob = "hang*";
              f.verdicts = {Verdict::pass};
            }),
            (Ids{"hang@hw>42"}));
  EXPECT_TRUE(select([](TrialFilter& f) { f.verdicts = {Verdict::oom}; }).empty());
}

TEST_F(CPU_StoreTrials, ResumeReusesTheRunAndFindsTrialsOfTheSameFingerprintOnly) {
  Fingerprint fp = sample_fingerprint();
  const int64_t run = store_->begin_run(fp, false);
  const Problem p = sample_problem();
  store_->add_trial(run, p, "fault", sample_candidate("ok"), sample_result(Verdict::pass), "r");

  Fingerprint later = fp;  // same machine and versions, another day and command line: comparable
  later.date = "2027-01-01T00:00:00.000Z";
  later.command_line = "convprobe sweep --resume";
  EXPECT_EQ(store_->begin_run(later, true), run);
  EXPECT_TRUE(store_->has_trial(later.identity(), key(p), "fault", "ok"));
  EXPECT_FALSE(store_->has_trial(later.identity(), key(p), "fault", "segv"));
  EXPECT_FALSE(store_->has_trial(later.identity(), key(sample_problem(9)), "fault", "ok"));
  EXPECT_FALSE(store_->has_trial(later.identity(), key(p), "onednn", "ok"));

  Fingerprint other_env = fp;  // a variable that changes algorithm choice: not comparable
  other_env.env["MIOPEN_DEBUG_CONV_GEMM"] = "1";
  EXPECT_FALSE(store_->has_trial(other_env.identity(), key(p), "fault", "ok"));
  const int64_t new_run = store_->begin_run(other_env, true);
  EXPECT_NE(new_run, run);
  EXPECT_GT(store_->begin_run(fp, false), new_run) << "without resume every begin_run is a new run";
  EXPECT_EQ(store_->runs().size(), 3u);
}

}  // namespace
}  // namespace convprobe::test
