#!/bin/bash
# Everything the GPU machine runs in one call (from the repository root): GPU tests, devices, a cuDNN sweep with
# P3 (PyTorch comparison), P5 (independent re-timing) and a time-boxed P4 slice. Logs go to $OUT; a short
# summary is printed last.
#   P3_SECONDS / P4_SECONDS bound the two sweeps.
set -u
OUT=${OUT:-/tmp/convprobe-out}
mkdir -p "$OUT"
B=build-gpu
# ctest and the gtest discovery files hold absolute paths of the build machine's checkout.
[ -e /work/main ] || { mkdir -p /work && ln -s "$PWD" /work/main; }
CUDNN_DIR=$(python3 -c "import nvidia.cudnn,os;print(os.path.join(list(nvidia.cudnn.__path__)[0],'lib'))")
# Runtime-compiled engines need NVRTC: every lib folder of PyTorch's nvidia wheels, cuDNN's first.
NV_LIBS=$(python3 -c "import nvidia,os,glob;print(':'.join(sorted({d for p in nvidia.__path__ for d in glob.glob(os.path.join(p,'*','lib'))})))")
export LD_LIBRARY_PATH="$CUDNN_DIR:$NV_LIBS:${LD_LIBRARY_PATH:-}"
S="$OUT/summary.txt"
{
  echo "date: $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv
  python3 -c "import torch;print('torch',torch.__version__,'cudnn',torch.backends.cudnn.version())" 2>&1
  echo "cudnn dir: $CUDNN_DIR"
} >"$S" 2>&1

(cd $B && timeout 240 ctest -L gpu --output-on-failure -j1) >"$OUT/ctest_gpu.log" 2>&1
echo "ctest -L gpu rc=$?" >>"$S"
(cd $B && timeout 60 ctest -L cudnn -LE gpu) >>"$OUT/ctest_gpu.log" 2>&1
echo "ctest cudnn (cpu) rc=$?" >>"$S"
grep -E "tests passed|tests failed|Failed|\*\*\*" "$OUT/ctest_gpu.log" | head -20 >>"$S"
if [ -x $B/bin/convprobe ]; then
  { echo "--- convprobe devices"; timeout 60 $B/bin/convprobe devices; } >>"$S" 2>&1
fi

if [ -x $B/bin/convprobe ]; then
  # P1: supervised vs in-process wall time of the same sweep (no DB, same options).
  for mode in supervised in-process; do
    flag=""; [ $mode = in-process ] && flag="--in-process"
    t0=$(date +%s.%N)
    timeout 150 $B/bin/convprobe sweep --problems scripts/gpu/p1_problems.txt -b cudnn --no-db -q $flag \
      --math strict --knob-samples 1 --json "$OUT/p1_$mode.json" >"$OUT/p1_$mode.log" 2>&1
    rc=$?; t1=$(date +%s.%N)
    echo "P1 $mode: rc=$rc wall $(python3 -c "print(round($t1-$t0,2))") s" >>"$S"
  done
  # GPU faults under the supervisor: HANG, CRASH (sticky, worker replaced), OOM; then ordinary trials pass.
  t0=$(date +%s.%N)
  CONVPROBE_GPU_FAULTS=1 timeout 120 $B/bin/convprobe sweep --problems scripts/gpu/faults_problem.txt -b cudnn \
    --no-db --candidates 'fault.gpu_*,legacy.fwd.IMPLICIT_GEMM.fma,legacy.fwd.GEMM.fma' --timeout-floor-ms 300 \
    --timeout-ms 2000 --json "$OUT/faults.json" >"$OUT/faults.log" 2>&1
  rc=$?; t1=$(date +%s.%N)
  echo "faults sweep rc=$rc wall $(python3 -c "print(round($t1-$t0,2))") s" >>"$S"
  python3 -c "
import json
for t in json.load(open('$OUT/faults.json'))['trials']:
    print('  ', t['candidate'], t['verdict'], t['phase'], round(t.get('wall_ms') or 0, 1), str(t.get('detail'))[:100])
" >>"$S" 2>&1
fi

timeout $(( ${P3_SECONDS:-200} + 60 )) $B/bin/cudnn_bench --preset resnet50 --batch 32 --types f32,tf32,bf16 \
  --layouts nchw,nhwc --math strict --knob-samples 0 --warmup 1 --repeats 5 --max-seconds ${P3_SECONDS:-200} \
  --json "$OUT/p3_convprobe.jsonl" >"$OUT/p3_convprobe.txt" 2>&1
echo "p3 convprobe rc=$?" >>"$S"
PYTHONUNBUFFERED=1 timeout 240 python3 scripts/gpu/pytorch_conv_compare.py "$OUT/p3_convprobe.jsonl" \
  >"$OUT/p3_table.txt" 2>&1
echo "p3 pytorch rc=$?" >>"$S"

timeout $(( ${P4_SECONDS:-60} + 60 )) $B/bin/cudnn_bench --preset gfx1010 --types f32 --math both \
  --knob-samples 4 --max-seconds ${P4_SECONDS:-60} --json "$OUT/p4.jsonl" >"$OUT/p4.txt" 2>&1
echo "p4 rc=$?" >>"$S"

python3 - "$OUT/p4.jsonl" >>"$S" 2>&1 <<'PY'
import collections, json, sys
trials = [json.loads(l) for l in open(sys.argv[1]) if '"kind":"trial"' in l]
probs = [json.loads(l) for l in open(sys.argv[1]) if '"kind":"problem"' in l]
print(f"P4 slice: {len(probs)} problems, {len(trials)} trials,", dict(collections.Counter(t['verdict'] for t in trials)))
bad = collections.Counter((t['candidate'].split('_k')[0], t['verdict']) for t in trials if t['verdict'] not in ('PASS', 'UNSUPPORTED'))
for (c, v), n in bad.most_common(12):
    ex = next(t for t in trials if t['candidate'].split('_k')[0] == c and t['verdict'] == v)
    print(f"  {n:4} x {v} {c}  e.g. {ex['problem']} {ex['candidate']}: {ex['detail'][:110]}")
PY
echo "==== summary"; cat "$S"
echo "==== P3/P5 convprobe side (tail)"; tail -n 20 "$OUT/p3_convprobe.txt"
echo "==== P3 table"; cat "$OUT/p3_table.txt" | tail -n 60
echo "==== P4 (tail)"; tail -n 8 "$OUT/p4.txt"

# At most 8 files come back: the logs and JSON travel as one archive.
(cd "$OUT" && tar czf all_logs.tgz --exclude=all_logs.tgz --exclude=summary.txt --exclude=p3_table.txt * &&
  find . -maxdepth 1 -type f ! -name all_logs.tgz ! -name summary.txt ! -name p3_table.txt ! -name p3_convprobe.txt -delete)
