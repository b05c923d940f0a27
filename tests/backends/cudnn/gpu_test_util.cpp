#include "gpu_test_util.hpp"

#include <cuda_runtime_api.h>

namespace convprobe::cudnn::testing {

std::string no_gpu_reason() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return std::string("cudaGetDeviceCount returned ") + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) +
           ")";
  }
  if (count == 0) return "cudaGetDeviceCount returned 0 devices";
  return {};
}

std::unique_ptr<LoadedBackend> load_cudnn() {
  setenv("CONVPROBE_PLUGIN_PATH", CONVPROBE_TEST_BIN_DIR, 0);
  std::string reason;
  auto backend = load_backend("cudnn", &reason);
  EXPECT_NE(backend, nullptr) << reason;
  return backend;
}

}  // namespace convprobe::cudnn::testing
