#!/bin/bash
# One `run` call on the GPU machine (repository root, build-gpu/ carried) after a restructuring: the gpu- and
# cudnn-labelled tests, the cuDNN selftest, a supervised sweep of the resnet50 preset (every verdict counted),
# and the workspace rule of issue 13: engine 23's sampled knob configs on large problems, where some ask for
# more workspace than the device has (SKIPPED with both sizes, never OOM). Summary printed last; logs in $OUT.
set -u
source scripts/gpu/gpu_env.sh
machine_header
step ctest_gpu 150 bash -c "cd $B && ctest -L gpu --output-on-failure -j1"
step ctest_cudnn_cpu 60 bash -c "cd $B && ctest -L cudnn -LE gpu --output-on-failure -j1"
step selftest_cudnn 60 "$B/bin/convprobe" selftest -b cudnn
step sweep_resnet50 120 "$B/bin/convprobe" sweep --preset resnet50 -b cudnn --no-db -q --math strict \
  --knob-samples 1 --repeats 3 --json "$OUT/sweep_resnet50.json"
step workspace_eng23 120 "$B/bin/convprobe" sweep --problems scripts/gpu/workspace_problems.txt -b cudnn --no-db \
  -q --candidates 'ConvFwd_eng23*' --knob-samples 64 --repeats 1 --json "$OUT/workspace_eng23.json"
{
  echo "---- ctest"
  grep -E "tests passed|tests failed|\(Failed\)|Not Run|SKIPPED" "$OUT/ctest_gpu.log" "$OUT/ctest_cudnn_cpu.log" |
    head -12
  echo "---- selftest -b cudnn"
  tail -n 9 "$OUT/selftest_cudnn.log"
  python3 - "$OUT/sweep_resnet50.json" "$OUT/workspace_eng23.json" <<'PY'
import collections, json, sys
for path in sys.argv[1:]:
    try:
        d = json.load(open(path))
    except Exception as e:  # a sweep cut by its time box writes no document
        print(f"---- {path.split('/')[-1]}: no document ({e})")
        continue
    v = collections.Counter(t["verdict"] for t in d["trials"])
    print(f"---- {path.split('/')[-1]}: {len(d['trials'])} trials, {dict(v)}")
    for t in d["trials"]:
        if t["verdict"] in ("OOM", "SKIPPED") or "device has" in (t.get("detail") or ""):
            print(f"  {t['verdict']} {t['candidate']} ws={t.get('workspace_bytes')}: {t.get('detail')}")
PY
} >>"$S" 2>&1
cat "$S"
