// Where a worker finds its vendor runtime. cuDNN often lives in a Python wheel (nvidia-cudnn-cu*), not in the
// CUDA toolkit: on the reference H200 machine libcudnn.so.9 is only in PyTorch's site-packages. The cuDNN
// backend's traits (backends/cudnn/cudnn_traits.cpp) give cudnn_worker_library_path() as what its workers
// need, and the supervisor prepends it to their LD_LIBRARY_PATH, so users with PyTorch need no setup.
#pragma once

#include <string>

namespace convprobe {

/// The folder holding libcudnn.so.9, searched in this order: $CUDNN_PATH/lib64, $CUDNN_PATH/lib,
/// site-packages `nvidia/cudnn/lib` of common Python prefixes ($VIRTUAL_ENV, $CONDA_PREFIX, ~/.local,
/// /usr/local, /usr, /opt/conda), then as a last resort what `python3 -c "import nvidia.cudnn ..."` prints
/// (bounded by a 10 s timeout). Empty when not found. The answer is cached for the process.
[[nodiscard]] std::string find_cudnn_library_dir();

/// The folders a cuDNN worker needs on LD_LIBRARY_PATH, colon-separated: the one above, then every sibling
/// nvidia/*/lib of a pip install (cuDNN's runtime-compiled engines dlopen NVRTC from there). Empty when
/// libcudnn.so.9 was not found.
[[nodiscard]] std::string cudnn_worker_library_path();

}  // namespace convprobe
