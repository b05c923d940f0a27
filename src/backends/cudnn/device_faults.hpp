// The cuDNN backend's self-test faults, listed only with CONVPROBE_GPU_FAULTS=1 (the selftest starts its
// workers so), and the verdict each must produce: one table for the plugin that injects them (gpu_trial.cpp)
// and for the selftest that checks them (cudnn_traits.cpp). No cuDNN dependency.
#pragma once

#include <array>

#include "convprobe/trial.hpp"

namespace convprobe::cudnn {

struct DeviceFault {
  const char* id;
  Verdict expected;
  const char* what;
};

inline constexpr std::array<DeviceFault, 3> kDeviceFaults{{
    {"fault.gpu_hang", Verdict::hang, "a kernel that never ends"},
    {"fault.gpu_illegal_address", Verdict::crash, "an illegal address"},
    {"fault.gpu_oom", Verdict::oom, "a device OOM"},
}};

/// The environment variable (set to 1) under which the backend lists kDeviceFaults.
inline constexpr const char* kDeviceFaultsEnv = "CONVPROBE_GPU_FAULTS";

}  // namespace convprobe::cudnn
