#!/usr/bin/env python3
"""P5 from cudnn_bench's JSON lines: each problem's fastest candidate, its reported median against cudnn_bench's
independent timing of the same plan (own handle, stream and buffers; N launches back to back between two
events, and the same N captured in a CUDA graph). Ratios independent / reported; goal within +-5%.

usage: p5_ratio.py BENCH.jsonl
"""
import json
import statistics
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if '"kind":"problem"' in l]


def report(name, key):
    r = [(x[key] / x["best_ms"], x["best_ms"]) for x in rows if x.get("best_ms", 0) > 0 and x.get(key, 0) > 0]
    if not r:
        return
    q = sorted(a for a, _ in r)
    big = sorted(a for a, b in r if b > 0.1)
    within = sum(abs(a - 1) <= 0.05 for a in q)
    print(f"P5 {name}/reported: {len(r)} problems, median {statistics.median(q):.3f} ({q[0]:.3f}-{q[-1]:.3f}), "
          f"within 5%: {within}")
    if big:
        print(f"   kernels > 0.1 ms: {len(big)}, median {statistics.median(big):.3f}, "
              f"within 5%: {sum(abs(a - 1) <= 0.05 for a in big)}")


report("independent back-to-back", "independent_b2b_ms")
report("independent graph", "independent_graph_ms")
