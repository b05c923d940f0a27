#!/bin/bash
# Sourced by the GPU-machine scripts (from the repository root): the library path, $OUT, the build folder,
# and a time budget helper, so each script fits in one `run` call.
OUT=${OUT:-/tmp/convprobe-out}
mkdir -p "$OUT"
B=${B:-build-gpu}
# ctest and the gtest discovery files hold absolute paths of the build machine's checkout.
[ -e /work/main ] || { mkdir -p /work && ln -s "$PWD" /work/main; }
CUDNN_DIR=$(python3 -c "import nvidia.cudnn,os;print(os.path.join(list(nvidia.cudnn.__path__)[0],'lib'))")
# Runtime-compiled engines need NVRTC: every lib folder of PyTorch's nvidia wheels, cuDNN's first.
NV_LIBS=$(python3 -c "import nvidia,os,glob;print(':'.join(sorted({d for p in nvidia.__path__ for d in glob.glob(os.path.join(p,'*','lib'))})))")
export LD_LIBRARY_PATH="$CUDNN_DIR:$NV_LIBS:${LD_LIBRARY_PATH:-}"
export PYTHONUNBUFFERED=1
S="$OUT/summary.txt"
# Seconds left of this call's budget (BUDGET_S, default 560, counted from sourcing this file).
GPU_ENV_START=$(date +%s)
left() { echo $((${BUDGET_S:-560} - ($(date +%s) - GPU_ENV_START))); }
# cap N: N, or what is left minus a 20 s reserve for the summary, whichever is smaller (at least 1).
cap() {
  local l=$(($(left) - 20))
  [ "$l" -lt "$1" ] && echo $((l > 1 ? l : 1)) || echo "$1"
}
# step NAME MAX_S CMD...: run CMD under `timeout`, log to $OUT/NAME.log, one line with rc and seconds in $S.
step() {
  local name=$1 max=$2
  shift 2
  local t0
  t0=$(date +%s.%N)
  timeout "$(cap "$max")" "$@" >"$OUT/$name.log" 2>&1
  local rc=$?
  echo "$name: rc=$rc $(python3 -c "import time;print(round(time.time()-$t0,1))") s" >>"$S"
  return $rc
}
machine_header() {
  {
    echo "date: $(date -u +%FT%TZ)"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw \
      --format=csv
    python3 -c "import torch;print('torch',torch.__version__,'cudnn',torch.backends.cudnn.version())" 2>&1
  } >>"$S" 2>&1
}
