// Shared helpers for the MIOpen plugin tests: load the plugin against the test doubles, build problems, run
// one solver, and a child-process runner for what MIOpen reads once per process.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"
#include "exec/executor.hpp"
#include "exec/plugin_loader.hpp"
#include "supervisor/worker_env.hpp"

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

struct Outcome {
  Verdict verdict = Verdict::untested;
  std::string detail;
};

/// Supervised workers against the doubles, with `env` added to every worker's environment (a release:
/// CONVPROBE_MIOPEN_DOUBLE_VERSION; a user's MIOPEN_* settings).
inline std::unique_ptr<Executor> supervised_executor(const std::map<std::string, std::string>& env = {}) {
  ExecutorOptions eo;
  eo.backend = "miopen";
  eo.timeout_floor_ms = 1500;  // the double's GEMM sleeps forever: a short floor keeps the test quick
  eo.timeout_cap_ms = 1500;
  eo.env = env;
  eo.env["CONVPROBE_MIOPEN_TEST_DOUBLE"] = CONVPROBE_MIOPEN_DOUBLE_DIR;
  eo.worker_executable = std::string(CONVPROBE_TEST_BIN_DIR) + "/convprobe";  // workers are convprobe itself
  return make_supervised_executor(eo);
}

/// Run the given solvers on one problem in supervised workers; results by solver id (a solver that is no
/// candidate fails the test and has no entry).
inline std::map<int, Outcome> supervised(const Problem& p, const std::vector<int>& ids,
                                         const std::map<std::string, std::string>& env = {}) {
  auto exec = supervised_executor(env);
  const auto cs = exec->candidates(p, quick_options());
  std::vector<TrialRequest> requests;
  for (int id : ids) {
    const Candidate* c = find_solver(cs, id);
    EXPECT_NE(c, nullptr) << "solver " << id << " not a candidate for " << to_string(p);
    if (c != nullptr) requests.push_back({p, *c, 1});
  }
  std::map<int, Outcome> out;
  exec->run(requests, quick_options(), [&](const TrialRequest& rq, const TrialResult& r) {
    out[std::stoi(rq.candidate.attrs.at("solver_id"))] = {r.verdict, r.detail};
  });
  return out;
}

}  // namespace convprobe::miopen_test
