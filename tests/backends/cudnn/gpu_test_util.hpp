// Shared pieces of the GPU tests: skip with the reason when there is no GPU, a silent trial context, and the
// cudnn plugin loaded in-process.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "convprobe/backend.hpp"
#include "exec/plugin_loader.hpp"

namespace convprobe::cudnn::testing {

/// Empty when a CUDA GPU is usable, else why not ("cudaErrorNoDevice (...)").
[[nodiscard]] std::string no_gpu_reason();

class SilentContext final : public TrialContext {
 public:
  void enter_phase(Phase, double) override {}
};

/// The cudnn plugin, loaded from the build's bin directory; fails the test with the loader's reason.
[[nodiscard]] std::unique_ptr<LoadedBackend> load_cudnn();

}  // namespace convprobe::cudnn::testing

#define CONVPROBE_REQUIRE_GPU()                                           \
  do {                                                                    \
    const std::string why = ::convprobe::cudnn::testing::no_gpu_reason(); \
    if (!why.empty()) GTEST_SKIP() << "no CUDA GPU: " << why;             \
  } while (0)
