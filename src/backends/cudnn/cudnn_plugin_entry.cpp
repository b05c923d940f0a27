// Plugin entry point of libconvprobe_backend_cudnn.so.
#include "cudnn_backend.hpp"

CONVPROBE_BACKEND_ENTRY {
  if (abi_version != convprobe::kBackendAbiVersion) {
    if (error != nullptr) {
      *error = "cudnn plugin built for backend ABI " + std::to_string(convprobe::kBackendAbiVersion) +
               ", loader has " + std::to_string(abi_version);
    }
    return nullptr;
  }
  return new convprobe::cudnn::CudnnBackend();
}
