// Shared setup for the supervisor tests that drive real workers with the fault backend.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "supervisor/supervised_executor.hpp"

namespace convprobe::test {

/// A small floor: each injected hang costs about this much; trials of tiny problems take ~1 ms.
inline constexpr double kTestFloorMs = 200;

inline ExecutorOptions fault_executor_options(std::vector<int> devices = {0}) {
  ExecutorOptions o;
  o.backend = "fault";
  o.devices = std::move(devices);
  o.timeout_floor_ms = kTestFloorMs;
  o.timeout_cap_ms = 20000;
  o.worker_executable = std::string(CONVPROBE_TEST_BIN_DIR) + "/convprobe";
  return o;
}

inline TrialOptions quick_trial_options() {
  TrialOptions o;
  o.warmup = 0;
  o.repeats = 2;
  return o;
}

inline Problem tiny_problem(int size = 8) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem("mb1ic2ih" + std::to_string(size) + "oc2kh3ph1", &p, &err)) << err;
  return p;
}

inline Candidate fault_candidate(const std::string& id) { return Candidate{id, "fault", "", {}}; }

struct Reported {
  TrialRequest request;
  TrialResult result;
};

/// Runs the requests and returns every reported result, in completion order.
inline std::vector<Reported> run_all(Executor& executor, const std::vector<TrialRequest>& requests,
                                     const TrialOptions& options = quick_trial_options()) {
  std::vector<Reported> out;
  executor.run(requests, options, [&](const TrialRequest& r, const TrialResult& res) {
    out.push_back({r, res});
  });
  return out;
}

inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace convprobe::test
