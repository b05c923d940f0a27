// Shared helpers for the MIOpen plugin tests: load the plugin against the test doubles, build problems, run
// one solver, and a child-process runner for what MIOpen reads once per process.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"
#include "exec/plugin_loader.hpp"

namespace convprobe::miopen_test {

inline void use_test_double() { setenv("CONVPROBE_MIOPEN_TEST_DOUBLE", CONVPROBE_MIOPEN_DOUBLE_DIR, 1); }

/// A fresh plugin instance (the plugin re-reads the environment in its entry point).
inline std::unique_ptr<LoadedBackend> load_miopen() {
  std::string reason;
  auto b = load_backend("miopen", &reason);
  EXPECT_NE(b, nullptr) << reason;
  return b;
}

class NullContext : public TrialContext {
 public:
  void enter_phase(Phase, double) override {}
};

/// fwd/bwd problem, f32 NCHW, square input, 3x3 (or k x k) filter, "same" padding.
inline Problem conv(Direction dir, int64_t n, int64_t c, int64_t hw, int64_t k_out, int64_t kernel) {
  Problem p;
  p.dir = dir;
  p.mb = n;
  p.ic = c;
  p.oc = k_out;
  p.in = {1, hw, hw};
  p.kernel = {1, kernel, kernel};
  p.set_pads({0, kernel / 2, kernel / 2});
  return p;
}

inline const Candidate* find_solver(const std::vector<Candidate>& cs, int id) {
  for (const auto& c : cs) {
    if (c.attrs.count("solver_id") != 0 && c.attrs.at("solver_id") == std::to_string(id)) return &c;
  }
  return nullptr;
}

inline TrialOptions quick_options() {
  TrialOptions o;
  o.warmup = 1;
  o.repeats = 2;
  return o;
}

/// Run solver `id` on `p` in this process; fails the test when the solver is not a candidate.
inline TrialResult run_solver(Backend& b, const Problem& p, int id) {
  const auto cs = b.candidates(p, quick_options());
  const Candidate* c = find_solver(cs, id);
  if (c == nullptr) {
    ADD_FAILURE() << "solver " << id << " is not a candidate for " << to_string(p);
    return {};
  }
  NullContext ctx;
  return b.run_trial(p, *c, quick_options(), ctx);
}

/// Print "verdict=<V> detail=<D>" for a death-test child to match, and leave with status 0.
[[noreturn]] inline void report_and_exit(const TrialResult& r) {
  std::cerr << "verdict=" << to_string(r.verdict) << " detail=" << r.detail << std::endl;
  std::_Exit(0);
}

}  // namespace convprobe::miopen_test
