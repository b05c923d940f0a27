#!/usr/bin/env bash
# Long fuzzing runs (docs/fuzzing.md): each libFuzzer target of fuzz/ for SECONDS (default 600), JOBS targets
# at a time (default 1), niced; then one line per target: executions, coverage, corpus size, crashes.
#   bash scripts/fuzz_long.sh [-t SECONDS] [-j JOBS] [TARGET...]      (default: every target)
# Needs the fuzz build: cmake --preset fuzz && cmake --build --preset fuzz. Work files, per target, in
# build-fuzz/long/TARGET/: corpus/ (the seeds plus what the run added; the checked-in corpus is not touched),
# artifacts/ (crash-*, timeout-*, oom-* inputs), log. libFuzzer stops at the first crash: a crashed target
# shows a shorter wall time, and its input is in artifacts/ (reproduce: build-fuzz/bin/fuzz_TARGET FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
jobs=1
while getopts t:j:h opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if (($#)); then
  targets=("$@")
else
  read -r -a targets < <(sed -n 's/^set(CONVPROBE_FUZZ_TARGETS \(.*\))$/\1/p' fuzz/CMakeLists.txt)
  read -r -a appended < <(sed -n 's/^list(APPEND CONVPROBE_FUZZ_TARGETS \(.*\))$/\1/p' fuzz/CMakeLists.txt | tr '\n' ' ')
  targets+=("${appended[@]}")
fi
bin=build-fuzz/bin
out=build-fuzz/long
for t in "${targets[@]}"; do
  [[ -x $bin/fuzz_$t ]] || { echo "fuzz_long: $bin/fuzz_$t is missing: build the fuzz preset first" >&2; exit 1; }
done

run_one() {
  local t=$1 d=$out/$1
  rm -rf "$d"
  mkdir -p "$d/corpus" "$d/artifacts"
  cp fuzz/corpus/"$t"/* "$d/corpus/"
  local start rc=0
  start=$(date +%s)
  nice -n 10 "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -dict="fuzz/dict/$t.dict" -artifact_prefix="$d/artifacts/" -print_final_stats=1 "$d/corpus" \
    >"$d/log" 2>&1 || rc=$?
  echo "$rc $(($(date +%s) - start))" >"$d/result"
}

echo "fuzz_long: ${#targets[@]} target(s), ${seconds} s each, ${jobs} at a time, $(nproc) cores; $(clang --version | head -n 1)"
running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
  echo "fuzz_long: $t started $(date -u +%H:%M:%S)"
  run_one "$t" &
  running=$((running + 1))
done
wait

printf '\n| target | wall s | executions | exec/s | cov | ft | corpus (files) | crashes | libFuzzer exit |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
failed=0
for t in "${targets[@]}"; do
  d=$out/$t
  read -r rc wall <"$d/result"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log" | tail -n 1)
  cov=$(grep -Eo 'cov: [0-9]+' "$d/log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -Eo 'ft: [0-9]+' "$d/log" | tail -n 1 | cut -d' ' -f2)
  crashes=$(find "$d/artifacts" -type f | wc -l)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "$wall" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$(find "$d/corpus" -type f | wc -l)" "$crashes" "$rc"
  ((rc == 0 && crashes == 0)) || failed=1
done
for f in "$out"/*/artifacts/*; do [[ -f $f ]] && echo "fuzz_long: crash input $f"; done
exit $failed
