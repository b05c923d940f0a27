// Plugin entry point of libconvprobe_backend_cudnn.so.
#include "cudnn_backend.hpp"

CONVPROBE_DEFINE_BACKEND(convprobe::cudnn::CudnnBackend)
