#!/usr/bin/env bash
# run.sh — the project's test command: builds Release and ASan+UBSan, runs ctest in each.
#
#   bash tests/run.sh              both configurations
#   bash tests/run.sh --release    Release only (build/)
#   bash tests/run.sh --asan       AddressSanitizer + UndefinedBehaviorSanitizer only (build-asan/)
#   bash tests/run.sh -R model     extra arguments go to ctest (here: tests matching "model")
#
# Build output goes to <build dir>/build.log and is shown only when the build fails.
# MOTE_BUILD_DIR and MOTE_ASAN_BUILD_DIR override the build directories; MOTE_JOBS the
# build parallelism (default: all cores). Exits non-zero if anything fails.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
release_dir="${MOTE_BUILD_DIR:-$root/build}"
asan_dir="${MOTE_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${MOTE_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"

run_release=1
run_asan=1
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --release) run_release=1; run_asan=0 ;;
    --asan) run_release=0; run_asan=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done

for tool in cmake ctest; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run.sh: $tool not found (install cmake)" >&2
    exit 2
  fi
done

summary=()
failed=0

# build_and_test NAME DIR CMAKE_ARGS...: configure, build quietly, run ctest.
build_and_test() {
  local name="$1" dir="$2"
  shift 2
  local log="$dir/build.log" start=$SECONDS
  mkdir -p "$dir"
  echo "== $name: configuring and building in $dir"
  if ! { cmake -S "$root" -B "$dir" "$@" && cmake --build "$dir" -j "$jobs"; } >"$log" 2>&1; then
    echo "-- $name: build failed; the end of $log:"
    tail -n 40 "$log"
    summary+=("$name: BUILD FAILED (see $log)")
    failed=1
    return
  fi
  echo "== $name: running tests"
  local out="$dir/ctest.log"
  (cd "$dir" && ctest --output-on-failure -j2 "${ctest_args[@]+"${ctest_args[@]}"}") 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]}
  local result
  result="$(grep -E '^[0-9]+% tests passed' "$out" | tail -n 1)"
  local skipped note=""
  skipped="$(grep -c -F '***Skipped' "$out")"
  [ "$skipped" -gt 0 ] && note=", $skipped skipped (see above)"
  if [ "$status" -eq 0 ]; then
    summary+=("$name: ok — ${result:-no tests}$note ($((SECONDS - start)) s)")
  else
    summary+=("$name: FAILED — ${result:-ctest failed} ($((SECONDS - start)) s)")
    failed=1
  fi
}

if [ "$run_release" -eq 1 ]; then
  build_and_test "Release" "$release_dir" -DCMAKE_BUILD_TYPE=Release
fi
if [ "$run_asan" -eq 1 ]; then
  # Leaks are errors; UBSan reports stop the test (the build also disables recovery).
  export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  build_and_test "ASan+UBSan" "$asan_dir" -DCMAKE_BUILD_TYPE=Debug -DMOTE_SANITIZE=ON
fi

echo
echo "== summary"
for line in "${summary[@]}"; do echo "   $line"; done
exit "$failed"
