#!/usr/bin/env bash
# run.sh — the project's test command: builds Release and ASan+UBSan, runs ctest in each,
# then runs each libFuzzer target for a short, bounded time (tests/fuzz/run_fuzzers.sh),
# then cross-builds for 64-bit Arm and runs the tests under qemu-user (when the cross
# compiler and qemu-aarch64 are installed).
#
#   bash tests/run.sh              both configurations, the fuzzers, then the Arm stage
#   bash tests/run.sh --release    Release only (build/)
#   bash tests/run.sh --asan       AddressSanitizer + UndefinedBehaviorSanitizer only (build-asan/)
#   bash tests/run.sh --fuzz       the fuzzers only (build-fuzz/; clang and libFuzzer)
#   bash tests/run.sh --arm        the Arm stage only (build-arm/; aarch64 cross build, qemu)
#   bash tests/run.sh -R model     extra arguments go to ctest (here: tests matching "model")
#
# Build output goes to <build dir>/build.log and is shown only when the build fails.
# MOTE_BUILD_DIR, MOTE_ASAN_BUILD_DIR and MOTE_FUZZ_BUILD_DIR override the build
# directories; MOTE_JOBS the build parallelism (default: all cores); MOTE_FUZZ_SECONDS the
# time per fuzz target (default 40; 0 skips the fuzzers); MOTE_ARM_BUILD_DIR the Arm build.
# Exits non-zero if anything fails.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
release_dir="${MOTE_BUILD_DIR:-$root/build}"
asan_dir="${MOTE_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${MOTE_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"

run_release=1
run_asan=1
run_fuzz=1
run_arm=1
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --release) run_release=1; run_asan=0; run_fuzz=0; run_arm=0 ;;
    --asan) run_release=0; run_asan=1; run_fuzz=0; run_arm=0 ;;
    --fuzz) run_release=0; run_asan=0; run_fuzz=2; run_arm=0 ;;
    --arm) run_release=0; run_asan=0; run_fuzz=0; run_arm=2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

fuzz_seconds="${MOTE_FUZZ_SECONDS:-40}"
# A run narrowed to some tests (ctest arguments) leaves the fuzzers out unless --fuzz.
[ "$run_fuzz" -eq 1 ] && [ ${#ctest_args[@]} -gt 0 ] && run_fuzz=0
if [ "$run_fuzz" -ge 1 ] && [ "$fuzz_seconds" -gt 0 ]; then
  # Each target for fuzz_seconds, two at a time: about 2 * fuzz_seconds plus the build.
  # Regression replay and the malformed models run in ctest above (label fuzz).
  start=$SECONDS
  MOTE_FUZZ_BUILD_DIR="${MOTE_FUZZ_BUILD_DIR:-$root/build-fuzz}" \
    bash "$root/tests/fuzz/run_fuzzers.sh" --seconds "$fuzz_seconds" --jobs 2
  case $? in
    0) summary+=("fuzz: ok — 3 targets, $fuzz_seconds s each ($((SECONDS - start)) s)") ;;
    77) summary+=("fuzz: skipped (no clang with libFuzzer)") ;;
    *) summary+=("fuzz: FAILED ($((SECONDS - start)) s)"); failed=1 ;;
  esac
fi

# The Arm stage: cmake/toolchain-aarch64.cmake cross-builds with Debian's aarch64 compiler
# and ctest runs every program under qemu-aarch64. Under the emulator, by default:
#  - qemu's "max" CPU (NEON, dot product, i8mm): every test of the cross build (the
#    optimized int8 tests also with MOTE_CPU_MASK=256, NEON only, and 0, portable C; the
#    golden models but the slowest, see tests/cmake/golden.cmake; no Python extension and
#    no install test, which build host programs);
#  - a Cortex-A53 (NEON without the dot product): the optimized-kernel unit tests, so that
#    nothing runs an instruction this CPU lacks.
# Extra arguments replace the first selection (and skip the second).
arm_stage() {
  local dir="${MOTE_ARM_BUILD_DIR:-$root/build-arm}" start=$SECONDS
  local cc qemu
  cc="$(command -v aarch64-linux-gnu-gcc)"
  qemu="$(command -v qemu-aarch64 || command -v qemu-aarch64-static)"
  if [ -z "$cc" ] || [ -z "$qemu" ] || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
    echo "== arm: skipped: needs gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user"
    summary+=("arm: skipped (install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)")
    return
  fi
  mkdir -p "$dir"
  echo "== arm: cross-building in $dir"
  if ! { cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release \
           -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64.cmake" &&
         cmake --build "$dir" -j "$jobs"; } >"$dir/build.log" 2>&1; then
    echo "-- arm: build failed; the end of $dir/build.log:"
    tail -n 40 "$dir/build.log"
    summary+=("arm: BUILD FAILED (see $dir/build.log)")
    failed=1
    return
  fi
  summary+=("arm: cross build ($((SECONDS - start)) s)")
  local passes=("max" "cortex-a53")
  [ ${#ctest_args[@]} -gt 0 ] && passes=("${QEMU_CPU:-max}")
  for cpu in "${passes[@]}"; do
    local args=() out="$dir/ctest-$cpu.log" t0=$SECONDS
    if [ ${#ctest_args[@]} -gt 0 ]; then
      args=("${ctest_args[@]}")
    elif [ "$cpu" != max ]; then
      args=(-R '^unit[.]test_opt_')
    fi
    echo "== arm: running tests under qemu-aarch64, CPU $cpu"
    (cd "$dir" && QEMU_CPU="$cpu" ctest --output-on-failure -j2 ${args[@]+"${args[@]}"}) 2>&1 | tee "$out"
    local status=${PIPESTATUS[0]}
    local result skipped note=""
    result="$(grep -E '^[0-9]+% tests passed' "$out" | tail -n 1)"
    skipped="$(grep -c -F '***Skipped' "$out")"
    [ "$skipped" -gt 0 ] && note=", $skipped skipped (see above)"
    if [ "$status" -eq 0 ]; then
      summary+=("arm (qemu, $cpu): ok — ${result:-no tests}$note ($((SECONDS - t0)) s)")
    else
      summary+=("arm (qemu, $cpu): FAILED — ${result:-ctest failed} ($((SECONDS - t0)) s)")
      failed=1
    fi
  done
  summary+=("arm: stage total $((SECONDS - start)) s")
}

# A run narrowed to some tests (ctest arguments) leaves the Arm stage out unless --arm.
[ "$run_arm" -eq 1 ] && [ ${#ctest_args[@]} -gt 0 ] && run_arm=0
[ "$run_arm" -ge 1 ] && arm_stage

echo
echo "== summary"
for line in "${summary[@]}"; do echo "   $line"; done
exit "$failed"
