#!/bin/bash
# One `run` call on the GPU machine (repository root, build-gpu/ carried) for issue 16: capture a real
# ResNet-50 training step (f32, and AMP bf16) with `convprobe capture`, record the same model with the
# PyTorch recorder, compare the two sets, then sweep cuDNN over what was captured. Logs in $OUT.
set -u
source scripts/gpu/gpu_env.sh
machine_header
CP="$B/bin/convprobe"
export PYTHONPATH="$PWD/scripts/gpu:$PWD/$B/python:${PYTHONPATH:-}"
python3 -c "import torchvision" >/dev/null 2>&1 && echo "torchvision: yes" >>"$S" || echo "torchvision: no (own resnet50)" >>"$S"
step capture_f32 150 "$CP" capture --steps 2 --max-seconds 120 --keep-logs "$OUT/logs-f32" --json "$OUT/capture-f32.json" \
  -o "$OUT/captured-f32.txt" -- python3 scripts/gpu/train_step.py
step capture_bf16 150 "$CP" capture --steps 2 --max-seconds 120 --json "$OUT/capture-bf16.json" \
  -o "$OUT/captured-bf16.txt" -- python3 scripts/gpu/train_step.py --amp-bf16
step record_f32 60 "$CP" capture --torch train_step:resnet50 --input 32x3x224x224 --train -o "$OUT/recorded-f32.txt"
step record_bf16 60 "$CP" capture --torch train_step:resnet50 --input 32x3x224x224 --train --dtype bf16 \
  -o "$OUT/recorded-bf16.txt"
gzip -f "$OUT"/logs-f32/*.log 2>/dev/null
{
  for f in captured-f32 captured-bf16 recorded-f32 recorded-bf16; do
    echo "---- $f: $(grep -c '^[^#]' "$OUT/$f.txt" 2>/dev/null) problems; $(grep -m1 'distinct' "$OUT/$f.txt")"
    grep -m3 "ended with\|skipped\|not expressible" "$OUT/$f.txt"
  done
  python3 scripts/gpu/compare_problem_sets.py "$OUT/captured-f32.txt" "$OUT/recorded-f32.txt"
  python3 scripts/gpu/compare_problem_sets.py "$OUT/captured-bf16.txt" "$OUT/recorded-bf16.txt"
} >>"$S" 2>&1
step sweep_captured "$(cap 330)" "$CP" sweep --problems "$OUT/captured-f32.txt" -b cudnn --db "$OUT/sweep.db" -q \
  --knob-samples 1 --repeats 3
"$CP" results --db "$OUT/sweep.db" --json "$OUT/sweep.json" >/dev/null 2>&1
python3 - "$OUT/sweep.json" >>"$S" 2>&1 <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
trials = d.get("trials", [])
per_problem = collections.defaultdict(collections.Counter)
odd = collections.Counter()
for t in trials:
    per_problem[t["problem"]][t["verdict"]] += 1
    if t["verdict"] not in ("PASS", "UNSUPPORTED"):
        odd[(t["verdict"], t.get("candidate", "")[:40], (t.get("detail") or "")[:80])] += 1
total = collections.Counter(v for c in per_problem.values() for v in c.elements())
print(f"---- sweep of captured-f32: {len(trials)} trials on {len(per_problem)} problems: {dict(total)}")
for (v, c, detail), n in odd.most_common(25):
    print(f"  {n:3d} x {v} {c}: {detail}")
PY
cat "$S"
