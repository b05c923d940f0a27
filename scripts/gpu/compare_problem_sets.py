"""Compare two problems files as sets of problems (descriptors without labels and counts).

    python3 compare_problem_sets.py CAPTURED.txt RECORDED.txt

Prints how many problems each holds, how many both hold, and those only one holds. A tf32 problem of the first
is compared as f32 too (PyTorch's cuDNN convolutions run f32 in TF32 math by default; the recorder cannot know
the math mode), and that is said when it matters.
"""
import re
import sys


def problems(path):
    out = set()
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        line = re.sub(r"^\d+x\s+", "", line)
        line = re.sub(r'n".*"$', "", line)
        out.add(line)
    return out


def without_tf32(p):
    return p.replace("tf32_", "")


a, b = problems(sys.argv[1]), problems(sys.argv[2])
a_plain = {without_tf32(p) for p in a}
print(f"compare {sys.argv[1].split('/')[-1]} ({len(a)}) with {sys.argv[2].split('/')[-1]} ({len(b)}): "
      f"{len(a & b)} in both" + (f", {len(a_plain & b)} with tf32 read as f32" if a_plain != a else ""))
for p in sorted(a_plain - b):
    print(f"  only captured: {p}")
for p in sorted(b - a_plain):
    print(f"  only recorded: {p}")
