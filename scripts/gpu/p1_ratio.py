"""P1 from a GPU script's summary: wall times of p1_supervised_* and p1_in-process_* steps, ratio of means."""
import re
import sys

t = {m[0]: float(m[1]) for m in re.findall(r"^p1_(\S+): rc=0 ([0-9.]+) s", open(sys.argv[1]).read(), re.M)}
s = [t[k] for k in ("supervised_1", "supervised_2") if k in t]
i = [t[k] for k in ("in-process_1", "in-process_2") if k in t]
if s and i:
    print(f"P1 supervised {s} s, in-process {i} s: ratio of means {sum(s)/len(s)/(sum(i)/len(i)):.3f} (goal <= 1.10)")
