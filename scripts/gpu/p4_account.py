#!/usr/bin/env python3
"""P4's figure from the chunked sweep (scripts/gpu/p4_sweep.sh): problems and trials stored, verdicts, the
sweep's wall time (every chunk's, cut ones included, from the ledger) against the candidates' own kernel
time (median x launches, summed over timed trials in the database).

usage: p4_account.py P4.db LEDGER.txt
"""
import collections
import re
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT problem, verdict, time_median_ms, time_launches FROM trials").fetchall()
problems = {r[0] for r in rows}
verdicts = collections.Counter(r[1] for r in rows)
kernel_ms = sum(m * n for _, _, m, n in rows if m is not None and n)
uncounted = sum(1 for _, _, m, n in rows if m is not None and not n)
ledger = [l.split() for l in open(sys.argv[2]) if l.strip()]
wall = sum(float(f[2].split("=")[1]) for f in ledger)
last_status = {f[0]: f[1] for f in ledger}  # a chunk's last line decides (p4_forget.py can reopen one)
chunks_done = {name for name, status in last_status.items() if status == "rc=0"}
done = [f for f in ledger if f[1] == "rc=0"]
print(f"P4: {len(problems)} of 720 problems stored, {len(rows)} trials: " +
      " ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
print(f"P4: chunks finished {len(chunks_done)}, chunk runs {len(ledger)} (not rc=0: {len(ledger) - len(done)})")
print(f"P4: wall {wall:.1f} s, candidates' kernel time {kernel_ms / 1000:.1f} s (median x launches; "
      f"{uncounted} timed trials without a launch count): wall/kernel "
      f"{wall / (kernel_ms / 1000) if kernel_ms else float('nan'):.2f}")
# Runs of a chunk before its `rc=forgotten` line (p4_forget.py) included verdicts that were deleted and redone:
# that wall time was spent (counted above) but its kernel time is no longer in the database. Those runs' other
# verdicts were kept, so the honest figure lies between the ratio without them and the ratio with them; the
# redo (runs after the forgotten line, which ran only the deleted problems) estimates the spoiled share.
before, redo, seen, reopened = 0.0, 0.0, collections.defaultdict(float), set()
for f in ledger:
    if f[1] == "rc=forgotten":
        before += seen.pop(f[0], 0.0)
        reopened.add(f[0])
    elif f[0] in reopened:
        redo += float(f[2].split("=")[1])
    else:
        seen[f[0]] += float(f[2].split("=")[1])
if reopened:
    k = kernel_ms / 1000
    print(f"P4: {before:.1f} s of the wall went to runs of the {len(reopened)} reopened chunks before the reopening "
          f"and {redo:.1f} s to redoing their deleted problems: wall/kernel between {(wall - before) / k:.2f} and "
          f"{wall / k:.2f}, about {(wall - redo) / k:.2f} if the spoiled part took as long as its redo")
listing = sum(float(m.group(1)) for f in ledger for m in [re.search(r"listing candidates ([0-9.]+) s", " ".join(f))] if m)
print(f"P4: listing candidates {listing:.1f} s of the finished chunks' wall")
