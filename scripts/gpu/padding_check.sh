#!/bin/bash
# One `run` call on the GPU machine (repository root, build-gpu/ carried) for issue 20: the gpu-labelled tests,
# then every cuDNN candidate over scripts/gpu/padding_problems.txt (asymmetric, negative-end and 1-D problems),
# each verified against the fp64 reference. Summary: verdicts per problem and every verdict other than PASS
# with its detail, grouped. Logs in $OUT.
set -u
source scripts/gpu/gpu_env.sh
machine_header
step ctest_gpu 150 bash -c "cd $B && ctest -L gpu --output-on-failure -j1"
step padding_sweep 240 "$B/bin/convprobe" sweep --problems scripts/gpu/padding_problems.txt -b cudnn --no-db -q \
  --math strict --knob-samples 2 --repeats 3 --json "$OUT/padding_sweep.json"
{
  echo "---- ctest"
  grep -E "tests passed|tests failed|\(Failed\)" "$OUT/ctest_gpu.log" | head -8
  python3 - "$OUT/padding_sweep.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
by_problem = collections.defaultdict(collections.Counter)
odd = collections.Counter()
for t in d["trials"]:
    by_problem[t["problem"]][t["verdict"]] += 1
    if t["verdict"] != "PASS":
        odd[(t["verdict"], (t.get("detail") or "")[:90])] += 1
print(f"---- padding sweep: {len(d['trials'])} trials")
for p, v in by_problem.items():
    print(f"  {p}: {dict(v)}")
for (v, detail), n in odd.most_common(20):
    print(f"  {n:4d} x {v}: {detail}")
PY
} >>"$S" 2>&1
cat "$S"
