#!/usr/bin/env python3
"""P3: convprobe's fastest passing cuDNN candidate vs PyTorch's own choice (cudnn.benchmark=True).

Reads the per-problem lines cudnn_bench wrote (kind == "problem"), times the same convolution in PyTorch by
CUDA-graph replay (N convolutions captured in one graph, replayed between two events), and prints one row per
problem with ratio = convprobe / PyTorch. The convprobe side is cudnn_bench's independent timing of its best
plan (N back-to-back launches between two events), so both sides exclude Python/host launch gaps.

usage: pytorch_conv_compare.py BENCH.jsonl [--per-graph 20] [--replays 15] [--json OUT.json]
"""
import argparse
import json
import statistics
import sys

import torch


def torch_dtype(t):
    return {"bf16": torch.bfloat16, "f16": torch.float16}.get(t, torch.float32)


def set_tf32(enabled):
    torch.backends.cudnn.allow_tf32 = enabled
    torch.backends.cuda.matmul.allow_tf32 = False


def time_pytorch(p, per_graph, replays):
    if p["dir"] != "fwd":
        raise ValueError("only forward problems are compared")
    set_tf32(p["type"] == "tf32")
    dt = torch_dtype(p["type"])
    _, h, w = p["in"]
    _, r, s = p["kernel"]
    x = torch.randn(p["mb"], p["ic"], h, w, device="cuda", dtype=dt)
    wt = torch.randn(p["oc"], p["ic"] // p["g"], r, s, device="cuda", dtype=dt)
    if p["layout"] == "nhwc":
        x = x.to(memory_format=torch.channels_last)
        wt = wt.to(memory_format=torch.channels_last)
    stride = tuple(p["stride"][1:])
    pad = tuple(p["pad"][1:])
    dil = tuple(d + 1 for d in p["dilation"][1:])

    def conv():
        return torch.nn.functional.conv2d(x, wt, None, stride, pad, dil, p["g"])

    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm-up: cudnn.benchmark picks its algorithm here
        for _ in range(3):
            conv()
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for _ in range(per_graph):
            conv()
    graph.replay()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(replays):
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / per_graph)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_jsonl")
    ap.add_argument("--per-graph", type=int, default=20)
    ap.add_argument("--replays", type=int, default=15)
    ap.add_argument("--json")
    a = ap.parse_args()
    torch.backends.cudnn.benchmark = True
    print(f"# torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name(0)}")
    rows = []
    with open(a.bench_jsonl) as f:
        problems = [json.loads(line) for line in f if '"kind": "problem"' in line or '"kind":"problem"' in line]
    print(f"{'layer':34} {'type':5} {'lay':4} {'convprobe_ms':>12} {'pytorch_ms':>10} {'ratio':>6}  best")
    for rec in problems:
        p = rec["problem"]
        cp = rec.get("independent_ms") or 0.0
        if not rec.get("best") or cp <= 0:
            print(f"{rec['label'][:34]:34} {p['type']:5} {p['layout']:4} {'-':>12}  no passing candidate")
            continue
        try:
            pt = time_pytorch(p, a.per_graph, a.replays)
        except Exception as e:  # a PyTorch failure is a row, not the end of the table
            print(f"{rec['label'][:34]:34} {p['type']:5} {p['layout']:4} pytorch failed: {e}")
            continue
        ratio = cp / pt
        rows.append({"label": rec["label"], "type": p["type"], "layout": p["layout"], "convprobe_ms": cp,
                     "convprobe_reported_ms": rec.get("best_ms"), "pytorch_ms": pt, "ratio": ratio,
                     "best": rec["best"]})
        print(f"{rec['label'][:34]:34} {p['type']:5} {p['layout']:4} {cp:12.4f} {pt:10.4f} {ratio:6.3f}  {rec['best']}")
        sys.stdout.flush()
    if rows:
        ratios = [r["ratio"] for r in rows]
        print(f"# {len(rows)} problems: ratio median {statistics.median(ratios):.3f}, worst {max(ratios):.3f}, "
              f"best {min(ratios):.3f} (goal: median <= 0.95, worst <= 1.02)")
        for t in sorted({(r['type'], r['layout']) for r in rows}):
            rs = [r["ratio"] for r in rows if (r["type"], r["layout"]) == t]
            print(f"#   {t[0]:5} {t[1]:4}: n={len(rs):2} median {statistics.median(rs):.3f} worst {max(rs):.3f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
