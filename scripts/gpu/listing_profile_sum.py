#!/usr/bin/env python3
"""Sums CONVPROBE_CUDNN_PROFILE files (one line per listed problem, src/backends/cudnn/listing_profile.hpp):
per file, the total listing time inside the backend and each stage's share, with knob-sample draws/refusals and
engines dropped by --math added up. Compare it with the sweep's own "listing candidates" time to see how much
of listing is cuDNN work and how much is around it (worker round trips, JSON).

usage: listing_profile_sum.py PROFILE.txt [PROFILE.txt ...]
"""
import collections
import re
import sys

STAGE = re.compile(r"(?P<name>[^,(]+?)\s*(?:\((?P<counts>[^)]*)\))?\s+(?P<ms>[0-9.]+) ms")

for path in sys.argv[1:]:
    stages = collections.defaultdict(float)
    counts = collections.defaultdict(int)
    total_ms, problems = 0.0, 0
    for line in open(path):
        if not line.startswith("cudnn listing ") or "; total " not in line:
            continue
        problems += 1
        body, total = line.rstrip("\n").split(": ", 1)[1].rsplit("; total ", 1)
        total_ms += float(total.split()[0])
        for m in STAGE.finditer(body):
            stages[m["name"].strip()] += float(m["ms"])
            for number, word in re.findall(r"(\d+) ([a-z ]+)", m["counts"] or ""):
                counts[word.strip()] += int(number)
    print(f"{path}: {problems} problems, listing inside the backend {total_ms / 1000:.2f} s")
    for name, ms in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {name:28s} {ms / 1000:7.2f} s")
    if counts:
        print("  " + ", ".join(f"{n} {w}" for w, n in sorted(counts.items())))
