#!/usr/bin/env python3
"""Forget P4 verdicts that convprobe itself spoiled, so that p4_sweep.sh runs them again (with --resume).

Removes from the database (a) every trial of a problem on which no candidate passed (a wrong reference fails
them all; run 9-13 on the H200: 13 problems, rel_err ~1.41, the sample-offset race fixed in 0ae5152) and
(b) CRASH trials lost before their candidate ran ("in reference"), then appends `rc=forgotten wall_s=0` for
their chunks to the ledger (earlier wall times stay counted: that time was spent). Prints what it removed.

usage: p4_forget.py P4.db LEDGER.txt PROBLEMS.txt   (PROBLEMS.txt: `convprobe presets gfx1010 | grep -v '^#'`)
"""
import re
import sqlite3
import sys

db_path, ledger_path, problems_path = sys.argv[1:4]
db = sqlite3.connect(db_path)
no_pass = [p for (p,) in db.execute(
    "SELECT problem FROM trials GROUP BY problem HAVING SUM(verdict = 'PASS') = 0")]
crashed = [p for (p,) in db.execute(
    "SELECT DISTINCT problem FROM trials WHERE verdict = 'CRASH' AND detail LIKE '% in reference%'")]
with db:
    for p in no_pass:
        db.execute("DELETE FROM trials WHERE problem = ?", (p,))
    db.execute("DELETE FROM trials WHERE verdict = 'CRASH' AND detail LIKE '% in reference%'")


# Chunk names come from the ledger p4_sweep.sh wrote ("problems_FIRST-LAST"), so its chunking rule lives there only.
chunks = sorted({tuple(map(int, m.groups())) for line in open(ledger_path)
                 for m in [re.match(r"problems_(\d+)-(\d+) ", line)] if m})


def chunk_name(line_number):
    for first, last in chunks:
        if first <= line_number <= last:
            return f"problems_{first}-{last}"
    raise SystemExit(f"problem #{line_number} is in no chunk of {ledger_path}: was it ever run?")


keys = [line.split('n"')[0].strip() for line in open(problems_path) if line.strip()]
reopen = sorted({chunk_name(keys.index(p) + 1) for p in set(no_pass) | set(crashed) if p in keys})
with open(ledger_path, "a") as ledger:
    for name in reopen:
        ledger.write(f"{name} rc=forgotten wall_s=0\n")
print(f"forgot {len(no_pass)} problems without a PASS, CRASH-in-reference trials on {len(crashed)} problems; "
      f"reopened chunks: {' '.join(reopen)}")
