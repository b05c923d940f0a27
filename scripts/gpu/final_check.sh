#!/bin/bash
# One `run` call on the GPU machine (repository root, build-gpu/ carried): the gpu-labelled tests and the cuDNN
# selftest from the current tree, P1 (resnet50 at batch 32, order s, i, i, s; sweep bounds in P1_ARGS), and P3
# (convprobe's fastest passing candidate vs PyTorch's benchmark-mode pick, both graph-replayed; time box
# P3_SECONDS), with P5 (reported vs independent timing) in P3's table. Summary printed last; logs under $OUT.
set -u
source scripts/gpu/gpu_env.sh
machine_header
step ctest_gpu 120 bash -c "cd $B && ctest -L gpu --output-on-failure -j1"
step selftest_cudnn 60 "$B/bin/convprobe" selftest -b cudnn
p1() {
  # shellcheck disable=SC2086
  step "p1_$1" 90 "$B/bin/convprobe" sweep --preset resnet50 -b cudnn --no-db -q $2 --math strict \
    ${P1_ARGS:---knob-samples 1 --repeats 5}
}
p1 supervised_1 ""
p1 in-process_1 --in-process
p1 in-process_2 --in-process
p1 supervised_2 ""
step p3_convprobe $((${P3_SECONDS:-100} + 40)) "$B/bin/cudnn_bench" --preset resnet50 --batch 32 --types f32,tf32,bf16 \
  --layouts nchw,nhwc --math strict --knob-samples 2 --warmup 1 --repeats 5 --max-seconds "${P3_SECONDS:-100}" \
  --json "$OUT/p3_convprobe.jsonl"
step p3_pytorch 150 python3 scripts/gpu/pytorch_conv_compare.py "$OUT/p3_convprobe.jsonl"
{
  echo "---- ctest"
  grep -E "tests passed|tests failed|\(Failed\)" "$OUT/ctest_gpu.log" | head -5
  echo "---- selftest -b cudnn"
  tail -n 9 "$OUT/selftest_cudnn.log"
  echo "---- P1"
  python3 scripts/gpu/p1_ratio.py "$S"
  tail -n 2 "$OUT/p1_supervised_1.log"
  echo "---- P3"
  tail -n 14 "$OUT/p3_pytorch.log"
  echo "---- P5"
  python3 scripts/gpu/p5_ratio.py "$OUT/p3_convprobe.jsonl"
  tail -n 2 "$OUT/p3_convprobe.log"
} >>"$S" 2>&1
cat "$S"
