#!/bin/bash
# One `run` call on the GPU machine (repository root, build-gpu/ carried): the gpu-labelled tests and the cuDNN
# selftest from the current tree, P1 (resnet50 at batch 32, order s, i, i, s; sweep bounds in P1_ARGS), and P3
# (convprobe's fastest passing candidate vs PyTorch's benchmark-mode pick, both graph-replayed; time box
# P3_SECONDS), with P5 (reported vs independent timing) in P3's table. Summary printed last; logs under $OUT.
# P1_PROFILE=1 adds one more sweep per mode with CONVPROBE_CUDNN_PROFILE files (where listing time goes).
set -u
source scripts/gpu/gpu_env.sh
machine_header
step ctest_gpu 120 bash -c "cd $B && ctest -L gpu --output-on-failure -j1"
step selftest_cudnn 60 "$B/bin/convprobe" selftest -b cudnn
p1() {
  # shellcheck disable=SC2086
  step "p1_$1" 90 "$B/bin/convprobe" sweep --preset resnet50 -b cudnn --no-db -q $2 --math strict \
    ${P1_ARGS:---knob-samples 1 --repeats 5} --json "$OUT/p1_$1.json"
}
p1 supervised_1 ""
p1 in-process_1 --in-process
p1 in-process_2 --in-process
p1 supervised_2 ""
if [ -n "${P1_PROFILE:-}" ]; then
  # The same sweep once more in each mode with the listing profile written to a file (a supervised worker's
  # stderr does not reach us): listing inside cuDNN vs listing as the sweep saw it.
  CONVPROBE_CUDNN_PROFILE=$OUT/profile_supervised.txt p1 profiled_supervised ""
  CONVPROBE_CUDNN_PROFILE=$OUT/profile_in-process.txt p1 profiled_in-process --in-process
fi
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
  python3 - "$OUT"/p1_*.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    t = d.get("time", {})
    inside = sum(x.get("wall_ms") or 0 for x in d["trials"]) / 1000
    print(f"{path.split('/')[-1]}: wall {t.get('wall_s', 0):.2f} s, listing {t.get('listing_s', 0):.2f} s, "
          f"trials' own wall {inside:.2f} s, kernel {t.get('kernel_s') or 0:.2f} s, {len(d['trials'])} trials")
PY
  [ -n "${P1_PROFILE:-}" ] && python3 scripts/gpu/listing_profile_sum.py "$OUT"/profile_*.txt
  echo "---- P3"
  tail -n 14 "$OUT/p3_pytorch.log"
  echo "---- P5"
  python3 scripts/gpu/p5_ratio.py "$OUT/p3_convprobe.jsonl"
  tail -n 2 "$OUT/p3_convprobe.log"
} >>"$S" 2>&1
# At most 8 files come back from $OUT: everything but the summary and P3's lines goes into one archive.
(cd "$OUT" && tar czf logs.tgz --exclude=logs.tgz --exclude=summary.txt --exclude=p3_convprobe.jsonl ./* &&
  find . -maxdepth 1 \( -name '*.log' -o -name '*.json' \) -delete)
cat "$S"
