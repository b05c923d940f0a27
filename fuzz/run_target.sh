#!/usr/bin/env bash
# Runs one libFuzzer target for a few seconds over a copy of its seed corpus (the ctest tests labelled
# `fuzz`, registered by fuzz/CMakeLists.txt in the ci build; docs/fuzzing.md).
#   bash fuzz/run_target.sh BINARY SEEDS DICT SECONDS ARTIFACT_DIR
# Fails when the binary is missing (a fuzz build that did not happen must not pass), when a seed or a new
# input breaks a property or trips a sanitizer (the input is kept in ARTIFACT_DIR and printed), or when
# libFuzzer stops for any reason other than its time limit. The checked-in corpus is never written.
set -euo pipefail
if (($# != 5)); then
  echo "usage: run_target.sh BINARY SEEDS DICT SECONDS ARTIFACT_DIR" >&2
  exit 2
fi
bin=$1 seeds=$2 dict=$3 seconds=$4 artifacts=$5
if [[ ! -x $bin ]]; then
  echo "fuzz: $bin is missing: build the fuzz preset first (cmake --preset fuzz && cmake --build --preset fuzz;" \
       "bash scripts/bootstrap.sh ci does both)" >&2
  exit 1
fi
[[ -d $seeds && -f $dict ]] || { echo "fuzz: no seed corpus $seeds or dictionary $dict" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/convprobe-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
cp "$seeds"/* "$work/corpus/"
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*
echo "fuzz: $(basename "$bin") for ${seconds} s over $(ls "$work/corpus" | wc -l) seeds"
set +e
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -dict="$dict" \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1
rc=$?
set -e
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::new_units_added|Done [0-9]+ runs)' "$work/log" || true
if ((rc != 0)); then
  tail -n 60 "$work/log"
  for f in "$artifacts"/*; do
    [[ -f $f ]] || continue
    echo "fuzz: input kept as $f ($(stat -c %s "$f") bytes); reproduce: $bin $f"
    od -c "$f" | head -n 20
  done
  echo "fuzz: $(basename "$bin") FAILED (libFuzzer exit $rc)" >&2
  exit 1
fi
echo "fuzz: $(basename "$bin") passed"
