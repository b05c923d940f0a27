// What convprobe knows about the cuDNN backend without loading it: its workers need the folder of
// libcudnn.so.9 on LD_LIBRARY_PATH (the plugin links it, so it cannot even load without it), it reads --math
// and --knob-samples, and `convprobe selftest -b cudnn` runs its device faults, each followed by a canary.
// Compiled into the convprobe program (also where CUDA is missing), so nothing here needs cuDNN.
#include <string>

#include "backends/cudnn/cudnn_options.hpp"
#include "backends/cudnn/device_faults.hpp"
#include "convprobe/backend_traits.hpp"
#include "vendor/cudnn_library_path.hpp"

namespace {

using convprobe::Problem;
using convprobe::Verdict;
namespace cudnn = convprobe::cudnn;

Verdict expected_verdict(const Problem& /*problem*/, const std::string& id) {
  for (const auto& fault : cudnn::kDeviceFaults) {
    if (id == fault.id) return fault.expected;
  }
  return Verdict::failed;
}

convprobe::SelftestPlan device_fault_plan() {
  convprobe::SelftestPlan plan;
  plan.kind = convprobe::SelftestPlan::Kind::device_faults;
  for (const auto& fault : cudnn::kDeviceFaults) plan.what += std::string(fault.what) + ", ";
  plan.what += "each followed by a healthy trial that must pass";
  plan.in_short = "GPU faults";
  plan.worker_env = {{cudnn::kDeviceFaultsEnv, "1"}};
  plan.expected = &expected_verdict;
  plan.canary_family = "legacy";  // a legacy algorithm: the plainest candidate a healthy context must run
  return plan;
}

}  // namespace

CONVPROBE_DEFINE_BACKEND_TRAITS(cudnn) {
  convprobe::BackendTraits traits;
  traits.worker_library_path = &convprobe::cudnn_worker_library_path;
  traits.options = {
      {cudnn::kMathOption, "--math", "cuDNN f32 math: strict (no TF32), tf32, or both (default)",
       &cudnn::check_math, "TEXT"},
      {cudnn::kKnobSamplesOption, "--knob-samples",
       "cuDNN: seeded random knob configs per engine, half drawn uniformly, half one knob away from a valid "
       "config (default 4; docs/cudnn.md)",
       &cudnn::check_knob_samples, "INT"},
  };
  traits.selftest = device_fault_plan();
  return traits;
}
