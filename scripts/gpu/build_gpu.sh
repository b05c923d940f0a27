#!/bin/bash
# Build, on the development machine, what the GPU machine runs: Release, sm_90 machine code, no debug info,
# only the needed targets, into build-gpu/ (carried to the device; keep it under 64 MiB).
# Targets: the CLI, the reference/fault/cuDNN plugins, the cuDNN tests (CPU and GPU), cudnn_bench and
# bench_supervisor (its GPU mode measures P2). Object files are deleted afterwards (ccache keeps rebuilds
# cheap) so that the folder stays small enough to carry.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache -DCONVPROBE_CUDNN=ON >/dev/null
targets="convprobe convprobe_backend_reference convprobe_backend_fault convprobe_backend_cudnn
  cudnn_gpu_tests cudnn_tests cudnn_bench bench_supervisor"
# shellcheck disable=SC2086 # one word per target
cmake --build build-gpu -j2 --target $targets
find build-gpu -name '*.o' -delete
# Plugins the GPU machine cannot load (no oneDNN, no MIOpen there) are not carried.
rm -f build-gpu/bin/libconvprobe_backend_onednn.so build-gpu/bin/libconvprobe_backend_miopen.so
du -sh build-gpu
