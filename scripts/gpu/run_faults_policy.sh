#!/bin/bash
# One `run` call on the GPU machine (from the repository root, build-gpu/ carried), for issues 5 and 6:
#   bash scripts/gpu/run_faults_policy.sh [PARTS...]     (default: tests p2 policy)
# PARTS, run in this order whatever the order given:
#   tests   ctest -L gpu, convprobe devices, selftest -b cudnn (GPU faults), selftest (CPU faults)
#   p2      bench_supervisor --gpu: GPU hang deadline -> next trial (P2)
#   p1      the same cuDNN sweep supervised and --in-process, alternating (P1)
#   policy  issue 6: cuDNN sweep of $POLICY_PROBLEMS -> policy --emit cudnn-errata --block-slower 1.2 ->
#           verify --framework torch
#   p5      cudnn_bench over resnet50 f32/tf32 (default configs + heuristics), time-boxed: reported vs
#           independent timing (P5)
# Logs and results under $OUT (one archive + a few files); a short summary is printed last.
#   POLICY_PROBLEMS: a problems file (default: resnet50 as f32 and tf32), SWEEP_ARGS: the sweep's bounds.
# Why --math strict: an f32 problem is checked in PyTorch with TF32 off (allow_tf32=False), where PyTorch drops
# TENSOR_CORE engines exactly as convprobe's --math strict does; a tf32 problem keeps only TF32 candidates in
# convprobe and runs with TF32 on in PyTorch. With --math both on f32 problems, TF32 winners would be the
# yardstick of --block-slower and every strict config would be blocked as "slow".
set -u
source scripts/gpu/gpu_env.sh
machine_header
PARTS=" ${*:-tests p2 policy} "
want() { [[ "$PARTS" == *" $1 "* ]]; }
SWEEP_ARGS=${SWEEP_ARGS:---math strict --knob-samples 2 --repeats 5}
POLICY_PROBLEMS=${POLICY_PROBLEMS:-scripts/gpu/resnet50_f32_tf32.txt}

if want tests; then
  step ctest_gpu 150 bash -c "cd $B && ctest -L gpu --output-on-failure -j1"
  step devices 60 "$B/bin/convprobe" devices
  step selftest_cudnn 120 "$B/bin/convprobe" selftest -b cudnn
  step selftest_cpu 120 "$B/bin/convprobe" selftest
fi
want p2 && step p2_bench 90 "$B/bin/bench_supervisor" --gpu --hangs 7
if want p1; then
  # shellcheck disable=SC2086
  p1() { step "p1_$1" 60 "$B/bin/convprobe" sweep --problems scripts/gpu/p1_problems.txt -b cudnn --no-db -q \
    $2 --math strict --knob-samples 1; }
  p1 supervised_1 "" # order s, i, i, s: the means cancel a linear drift
  p1 in-process_1 --in-process
  p1 in-process_2 --in-process
  p1 supervised_2 ""
fi
if want policy; then
  DB=/tmp/cp_policy.db
  rm -f $DB
  # shellcheck disable=SC2086
  step sweep_policy 240 "$B/bin/convprobe" sweep --problems "$POLICY_PROBLEMS" -b cudnn $SWEEP_ARGS --db $DB -q \
    --json "$OUT/sweep.json"
  step policy_errata 30 "$B/bin/convprobe" policy --db $DB -b cudnn --emit cudnn-errata --block-slower 1.2 \
    -o "$OUT/errata.json"
  step policy_convprobe 30 "$B/bin/convprobe" policy --db $DB -b cudnn --emit convprobe --block-slower 1.2 \
    -o "$OUT/policy.json"
  step verify_torch 400 "$B/bin/convprobe" verify --policy "$OUT/errata.json" --db $DB --framework torch \
    --repeats 3 --json "$OUT/verify.json"
  cp $DB "$OUT/" 2>/dev/null
fi
want p5 && step p5_bench 120 "$B/bin/cudnn_bench" --preset resnet50 --batch 32 --types f32,tf32 --math strict \
  --knob-samples 0 --warmup 1 --repeats 5 --max-seconds 60 --json "$OUT/p5.jsonl"

{
  if want tests; then
    echo "---- ctest"
    grep -E "tests passed|tests failed|\(Failed\)|Skipped" "$OUT/ctest_gpu.log" | head -8
    echo "---- devices"
    tail -n 4 "$OUT/devices.log"
    echo "---- selftest -b cudnn"
    tail -n 8 "$OUT/selftest_cudnn.log"
    echo "---- selftest (CPU faults)"
    tail -n 1 "$OUT/selftest_cpu.log"
  fi
  want p2 && { echo "---- P2"; tail -n 6 "$OUT/p2_bench.log"; }
  if want p1; then
    echo "---- P1"
    python3 scripts/gpu/p1_ratio.py "$S"
  fi
  if want policy; then
    echo "---- sweep"
    python3 - "$OUT/sweep.json" <<'PY'
import collections, json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("no sweep json:", e); sys.exit()
t = d.get("trials", [])
print(len({x["problem"] for x in t}), "problems,", len(t), "trials", dict(collections.Counter(x["verdict"] for x in t)))
for x in t:
    if x["verdict"] not in ("PASS", "UNSUPPORTED", "SKIPPED"):
        print("  ", x["verdict"], x["problem"], x["candidate"], str(x.get("detail"))[:120])
PY
    echo "---- policy (cudnn-errata)"
    grep -E "^  (blocked|not blocked|skipped)" "$OUT/policy_errata.log" | sort -u | cut -c1-200 | head -40
    echo "---- verify"
    grep -E "^(FAIL|verified|NOT verified)|torch:" "$OUT/verify_torch.log" | tail -60
  fi
  if want p5; then
    echo "---- P5"
    python3 scripts/gpu/p5_ratio.py "$OUT/p5.jsonl"
    tail -n 3 "$OUT/p5_bench.log"
  fi
} >>"$S" 2>&1

(cd "$OUT" && tar czf logs.tgz --exclude=logs.tgz --exclude=summary.txt --exclude=errata.json --exclude=verify.json \
  --exclude=policy.json --exclude='*.db' * && find . -maxdepth 1 \( -name '*.log' -o -name '*.jsonl' \) -delete &&
  rm -f sweep.json)
cat "$S"
