#!/bin/bash
# Build, on the development machine, what the GPU machine runs: Release, sm_90 machine code, no debug info,
# only the needed targets, into build-gpu/ (carried to the device; keep it under 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache -DCONVPROBE_CUDNN=ON >/dev/null
targets="convprobe_backend_cudnn cudnn_gpu_tests cudnn_tests cudnn_bench"
cmake --build build-gpu -j2 --target $targets
# The CLI and the CPU plugins are someone else's moving targets: build them if they build.
cmake --build build-gpu -j2 --target convprobe convprobe_backend_reference convprobe_backend_fault ||
  echo "build_gpu.sh: convprobe CLI/plugins did not build; the GPU run uses cudnn_bench only" >&2
find build-gpu -name '*.o' -delete
du -sh build-gpu
