// Shared by the oneDNN plugin tests: loads the plugin once per test suite, exactly as a worker does (by name,
// from the directory of the test binary, which is where the plugins are built).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "convprobe/backend.hpp"
#include "exec/plugin_loader.hpp"

namespace convprobe::testing {

/// A trial context that ignores heartbeats (no watchdog in-process).
class SilentContext : public TrialContext {
 public:
  void enter_phase(Phase /*phase*/, double /*expected_ms*/) override {}
};

class OnednnTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (find_plugin("onednn").empty()) return;  // not built (no oneDNN, or CONVPROBE_ONEDNN=OFF)
    loaded_ = load_backend("onednn", &load_error_);
  }
  static void TearDownTestSuite() { loaded_.reset(); }

  void SetUp() override {
    if (find_plugin("onednn").empty()) GTEST_SKIP() << "onednn plugin not built";
    ASSERT_NE(loaded_, nullptr) << "the plugin exists but did not load: " << load_error_;
  }

  static Backend& backend() { return loaded_->get(); }

  /// Small trials: the point is correctness; one warm-up and two timed runs still exercise the rotation.
  static TrialOptions quick_options() {
    TrialOptions o;
    o.warmup = 1;
    o.repeats = 2;
    return o;
  }

  static TrialResult run(const Problem& p, const Candidate& c) {
    SilentContext context;
    return backend().run_trial(p, c, quick_options(), context);
  }

 private:
  static inline std::unique_ptr<LoadedBackend> loaded_;
  static inline std::string load_error_;
};

}  // namespace convprobe::testing
