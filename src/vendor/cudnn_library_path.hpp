// Where a worker finds its vendor runtime. cuDNN often lives in a Python wheel (nvidia-cudnn-cu*), not in the
// CUDA toolkit: on the reference H200 machine libcudnn.so.9 is only in PyTorch's site-packages. The
// supervisor looks for it once and prepends the folder to a cudnn worker's LD_LIBRARY_PATH, so users with
// PyTorch need no setup. Reused by the cuDNN backend's own diagnostics.
#pragma once

#include <map>
#include <string>

namespace convprobe {

/// The folder holding libcudnn.so.9, searched in this order: $CUDNN_PATH/lib64, $CUDNN_PATH/lib,
/// site-packages `nvidia/cudnn/lib` of common Python prefixes ($VIRTUAL_ENV, $CONDA_PREFIX, ~/.local,
/// /usr/local, /usr, /opt/conda), then as a last resort what `python3 -c "import nvidia.cudnn ..."` prints
/// (bounded by a 10 s timeout). Empty when not found. The answer is cached for the process.
[[nodiscard]] std::string find_cudnn_library_dir();

/// The environment overrides for a worker of `backend`: `extra` (policy variables), plus for cudnn the
/// folder above prepended to LD_LIBRARY_PATH (unless `extra` sets LD_LIBRARY_PATH itself).
[[nodiscard]] std::map<std::string, std::string> worker_environment(
    const std::string& backend, const std::map<std::string, std::string>& extra);

}  // namespace convprobe
