#!/usr/bin/env bash
# Install what convprobe needs (Debian 12 packages, idempotent, non-interactive) and build it.
#   bash scripts/bootstrap.sh [PRESET]     PRESET: release (default), ci (-Werror), debug, gpu, fuzz, asan
# The cuDNN plugin is built when CUDA and cuDNN are found in /usr/local/cuda (nothing here installs them).
# `ci` also installs clang and libFuzzer and builds the fuzz preset (build-fuzz/), whose targets the ci
# build's tests labelled `fuzz` run (docs/fuzzing.md).
set -euo pipefail
preset="${1:-release}"
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build ccache pkg-config
          libcli11-dev libfmt-dev nlohmann-json3-dev libsqlite3-dev libmd-dev
          libgtest-dev libgmock-dev libbenchmark-dev
          libdnnl-dev ocl-icd-opencl-dev
          libonnx-dev libprotobuf-dev)
# clang (clang++ 14 on Debian 12) and libclang-rt-dev (-> libclang-rt-14-dev: libclang_rt.fuzzer, asan, ubsan)
if [[ $preset == ci || $preset == fuzz ]]; then packages+=(clang libclang-rt-dev); fi
# The tests of the PyTorch recorder and of ONNX import run Debian's torch (1.13, CPU) and onnx in python3.
if [[ $preset == ci ]]; then packages+=(python3 python3-torch python3-onnx); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# nvcc lives outside PATH on a stock CUDA install.
if [[ -x /usr/local/cuda/bin/nvcc ]]; then export PATH="/usr/local/cuda/bin:$PATH"; fi

builds=("$preset")
[[ $preset == ci ]] && builds+=(fuzz)
for b in "${builds[@]}"; do
  cmake --preset "$b" >/dev/null
  cmake --build --preset "$b" -j "$(nproc)"
  echo "bootstrap: built preset '$b'"
done
