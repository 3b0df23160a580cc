#!/usr/bin/env bash
# run_fuzzers.sh — builds the libFuzzer targets with clang (MOTE_FUZZ=ON: ASan, UBSan, leak
# detection) and runs each for a bounded time on seeds made by fuzz_make_seeds, plus, when
# the shared assets are there, copies of ../shared/models and ../shared/opsuite models in a
# temporary folder (never in the tree). Any crash, timeout, leak or sanitizer report fails
# the run and leaves the input in the artifacts folder.
#
#   bash tests/fuzz/run_fuzzers.sh                      60 s per target, 2 at a time
#   bash tests/fuzz/run_fuzzers.sh --seconds 600 fuzz_run
#   MOTE_FUZZ_BUILD_DIR=dir MOTE_FUZZ_WORK_DIR=dir      where to build and keep corpora
#                                                       (default: build-fuzz/, a temp dir)
# Exits 0 when every target ran clean, 1 on a finding, 2 when it could not build, 77 when
# clang or libFuzzer is missing.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${MOTE_FUZZ_BUILD_DIR:-$root/build-fuzz}"
shared="${MOTE_SHARED:-$root/../shared}"
seconds=60
jobs=2
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_load fuzz_run fuzz_structured)

cc="${MOTE_FUZZ_CC:-$(command -v clang || command -v clang-14 || true)}"
if [ -z "$cc" ]; then
  echo "run_fuzzers.sh: clang not found; skipping the fuzzers" >&2
  exit 77
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; return (int)n * 0; }' |
     "$cc" -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "run_fuzzers.sh: $cc cannot link libFuzzer (install libclang-rt-14-dev); skipping" >&2
  exit 77
fi

echo "== fuzz: building in $build"
mkdir -p "$build"
if ! { CC="$cc" cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTE_FUZZ=ON \
         -DMOTE_BUILD_EXAMPLES=OFF &&
       cmake --build "$build" -j "$jobs" --target "${targets[@]}" fuzz_make_seeds; } >"$build/fuzz-build.log" 2>&1; then
  tail -n 40 "$build/fuzz-build.log"
  exit 2
fi

work="${MOTE_FUZZ_WORK_DIR:-}"
if [ -z "$work" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/mote-fuzz.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/artifacts"
"$build/tests/fuzz/fuzz_make_seeds" "$work/seeds" 2>"$work/seeds.log" || { cat "$work/seeds.log"; exit 2; }

# corpus TARGET: the folder of seeds it starts from (its own, kept between runs).
corpus() {
  local dir="$work/corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    fuzz_structured) cp -n "$work/seeds/structured/"* "$dir/" ;;
    *)
      cp -n "$work/seeds/models/"* "$dir/"
      if [ -d "$shared/models" ]; then
        local limit=$((700 * 1024))
        [ "$1" = fuzz_run ] && limit=$((256 * 1024))
        for f in "$shared"/models/*.tflite; do
          [ "$(stat -c %s "$f")" -le "$limit" ] && cp -n "$f" "$dir/shared-$(basename "$f")"
        done
        for f in "$shared"/opsuite/*/*/model.tflite; do
          [ -f "$f" ] || continue
          local name="${f#"$shared"/opsuite/}"
          name="${name%/model.tflite}"
          cp -n "$f" "$dir/ops-${name//\//-}.tflite"
        done
      fi ;;
  esac
  echo "$dir"
}

max_len() {
  case "$1" in
    fuzz_structured) echo 4096 ;;
    fuzz_run) echo $((256 * 1024)) ;;
    *) echo $((1024 * 1024)) ;;
  esac
}

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

run_one() {
  local t="$1" dir
  dir="$(corpus "$t")"
  "$build/tests/fuzz/$t" "$dir" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
    >"$work/$t.log" 2>&1
  echo $? >"$work/$t.rc"
}

echo "== fuzz: ${targets[*]}, $seconds s each, $jobs at a time (corpora in $work)"
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=0
total=0
for t in "${targets[@]}"; do
  rc="$(cat "$work/$t.rc" 2>/dev/null || echo 1)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)"
  total=$((total + ${execs:-0}))
  if [ "$rc" -eq 0 ]; then
    echo "   $t: ok, ${execs:-?} executions"
  else
    failed=1
    echo "   $t: FAILED (exit $rc); the end of its log:"
    grep -E "ERROR|SUMMARY|runtime error|broken promise|Test unit written|timeout" "$work/$t.log" | head -n 20
    ls "$work/artifacts"
    # Keep the findings when the work folder is temporary.
    if [ -z "${MOTE_FUZZ_WORK_DIR:-}" ]; then
      mkdir -p "$build/fuzz-artifacts" && cp "$work/artifacts/"* "$build/fuzz-artifacts/" 2>/dev/null
      echo "   (inputs copied to $build/fuzz-artifacts)"
    fi
  fi
done
echo "== fuzz: $total executions in all"
exit "$failed"
