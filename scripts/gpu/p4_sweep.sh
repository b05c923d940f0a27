#!/bin/bash
# P4 in pieces, for as long as one `run` call allows: the gfx1010 preset (720 problems, fwd f32, TF32 allowed,
# legacy + engine candidates, verified) swept by `convprobe sweep --resume` in chunks of problems. The
# database and a ledger of each chunk's wall time travel between calls in out/p4/ (git-ignored; carry it):
#   run: carry ["build-gpu", "out/p4"], command "bash scripts/gpu/p4_sweep.sh 540"
# then copy p4.db.gz and ledger.txt from the call's files into out/p4/ before the next call.
# Chunks shrink as problems grow (20 problems up to 128x128, 4 at 224 and 256, 1 at 512), so that a chunk cut
# by the call's end loses little; a cut chunk is resumed by the next call (its stored trials are kept).
# P4's figure: scripts/gpu/p4_account.py out/p4/p4.db out/p4/ledger.txt.
set -u
BUDGET_S=${1:-540}
source scripts/gpu/gpu_env.sh
dir=out/p4
mkdir -p "$dir" "$OUT/logs"
touch "$dir/ledger.txt"
# One machine name for every device machine (each start gets a new host name, which --resume would not match).
export CONVPROBE_HOST=device-nvidia-h200
db=$dir/p4.db
if [ -f "$dir/p4.db.gz" ]; then gunzip -c "$dir/p4.db.gz" >"$db"; fi
"$B/bin/convprobe" presets gfx1010 | grep -v '^#' >"$dir/problems.txt"
total=$(wc -l <"$dir/problems.txt")
chunk_size() { if [ "$1" -le 480 ]; then echo 20; elif [ "$1" -le 640 ]; then echo 4; else echo 1; fi; }
first=1
while [ "$first" -le "$total" ]; do
  n=$(chunk_size "$first")
  last=$((first + n - 1))
  name="problems_${first}-${last}"
  # Done when the chunk's last ledger line says rc=0 (scripts/gpu/p4_forget.py appends rc=forgotten lines).
  if [[ "$(grep "^$name " "$dir/ledger.txt" | tail -n 1)" != *" rc=0 "* ]]; then
    l=$(($(left) - 25))
    if [ "$l" -lt 20 ]; then break; fi
    sed -n "${first},${last}p" "$dir/problems.txt" >/tmp/p4_chunk.txt
    t0=$(date +%s.%N)
    timeout -s INT -k 20 "$l" "$B/bin/convprobe" sweep --problems /tmp/p4_chunk.txt -b cudnn --math both \
      --db "$db" --resume -q >"$OUT/logs/$name.log" 2>&1
    rc=$?
    wall=$(python3 -c "import time;print(round(time.time()-$t0,2))")
    timeline=$(grep '^time: ' "$OUT/logs/$name.log" | head -1)
    echo "$name rc=$rc wall_s=$wall ${timeline}" >>"$dir/ledger.txt"
    echo "$name rc=$rc wall_s=$wall" >>"$S"
  fi
  first=$((last + 1))
done
python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
PY
gzip -c "$db" >"$OUT/p4.db.gz"
cp "$dir/ledger.txt" "$OUT/ledger.txt"
tar czf "$OUT/logs.tgz" -C "$OUT" logs && rm -rf "$OUT/logs"
python3 scripts/gpu/p4_account.py "$db" "$dir/ledger.txt" >>"$S" 2>&1
cat "$S"
