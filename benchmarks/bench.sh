#!/usr/bin/env bash
# Runs a benchmark with the allocator settings the plugin's forked training JVM uses by default.
# Usage (after mvn install): benchmarks/bench.sh [key=value ...], e.g. steps=20 repeats=5, runs the speed
# benchmark (SpeedBenchmark); benchmarks/bench.sh StepBreakdown [key=value ...] runs where a training step's time
# goes, evaluation by evaluation (likewise DepthwiseDirections and OnnxFormSpeed).
set -euo pipefail
cd "$(dirname "$0")/.."
main=io.cnnbench.benchmarks.SpeedBenchmark
case "${1:-}" in
  StepBreakdown|DepthwiseDirections|OnnxFormSpeed) main=io.cnnbench.benchmarks.$1; shift ;;
  *=*|"") ;;
  *) echo "unknown benchmark '$1': give key=value options for the speed benchmark, or one of StepBreakdown," \
       "DepthwiseDirections, OnnxFormSpeed first" >&2; exit 2 ;;
esac
cpfile="$PWD/benchmarks/target/classpath.txt"
mvn -q -B -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cpfile"
cp=$(cat "$cpfile")
args=("$@")
if [ "$main" = io.cnnbench.benchmarks.SpeedBenchmark ]; then
  python=python3
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then python=/usr/bin/python3; fi
  args=(python="$python" "$@")
fi
# oneDNN reads its math mode once, from the environment: precision=bf16 (the speed benchmark's option) sets it, and
# a mode left in the shell is removed otherwise, so that what runs is what the output says.
unset ONEDNN_DEFAULT_FPMATH_MODE
if [ "$main" = io.cnnbench.benchmarks.SpeedBenchmark ]; then
  for arg in "$@"; do
    if [ "$arg" = precision=bf16 ]; then export ONEDNN_DEFAULT_FPMATH_MODE=BF16; fi
  done
fi
# The allocator of the plugin's training JVM (cnn.allocator=auto by default): jemalloc keeping its pages where it is
# installed, tuned glibc otherwise; allocator=jemalloc|tuned-glibc chooses (the option is this script's, not Java's).
allocator=auto
kept=()
for arg in "${args[@]}"; do
  case "$arg" in
    allocator=*) allocator=${arg#allocator=} ;;
    *) kept+=("$arg") ;;
  esac
done
args=("${kept[@]}")
jemalloc= # the places NativeAllocator.JEMALLOC_PATHS names
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
    /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
  if [ -f "$lib" ]; then jemalloc=$lib; break; fi
done
unset LD_PRELOAD MALLOC_CONF
case "$allocator" in
  auto|jemalloc)
    if [ -n "$jemalloc" ]; then
      export LD_PRELOAD=$jemalloc MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
    else
      echo "libjemalloc.so.2 is not installed (apt-get install libjemalloc2): timing tuned glibc" >&2
      allocator=tuned-glibc
    fi ;;
  tuned-glibc) ;;
  *) echo "allocator must be auto, jemalloc or tuned-glibc, got '$allocator'" >&2; exit 2 ;;
esac
if [ "$allocator" = tuned-glibc ]; then
  export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=536870912 MALLOC_ARENA_MAX=1
fi
exec java -Dai.djl.offline=true -Xss4m -Xmx4g -cp "benchmarks/target/classes:$cp" "$main" "${args[@]}"
