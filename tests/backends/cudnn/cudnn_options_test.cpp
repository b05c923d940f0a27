// The cuDNN backend's own options travel as text in TrialOptions::backend_options (issue 14, item 4); the
// plugin reads them with the checks the CLI uses, so a bad value is refused the same way everywhere.
#include "cudnn_options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace convprobe::cudnn {
namespace {

TEST(CPU_CudnnOptions, AbsentOptionsAreTheDefaults) {
  const CudnnOptions o = read_cudnn_options({});
  EXPECT_EQ(o.math, "both");
  EXPECT_EQ(o.knob_samples, 4);
}

TEST(CPU_CudnnOptions, ReadsItsOwnKeysAndIgnoresOthers) {
  const CudnnOptions o = read_cudnn_options({{"math", "strict"}, {"knob_samples", "0"}, {"other", "x"}});
  EXPECT_EQ(o.math, "strict");
  EXPECT_EQ(o.knob_samples, 0);
}

TEST(CPU_CudnnOptions, BadValuesAreRefusedNamingTheFlagAndTheValue) {
  EXPECT_EQ(check_math("tf32"), "");
  EXPECT_EQ(check_math("fast"), "--math 'fast' is not valid; expected strict, tf32 or both");
  EXPECT_EQ(check_knob_samples("12"), "");
  EXPECT_EQ(check_knob_samples("-1"), "--knob-samples -1 must be >= 0");
  EXPECT_EQ(check_knob_samples("4x"), "--knob-samples '4x' is not a whole number");
  EXPECT_EQ(check_knob_samples(""), "--knob-samples '' is not a whole number");
  EXPECT_THROW((void)read_cudnn_options({{"math", "fast"}}), std::invalid_argument);
  EXPECT_THROW((void)read_cudnn_options({{"knob_samples", "-2"}}), std::invalid_argument);
}

}  // namespace
}  // namespace convprobe::cudnn
