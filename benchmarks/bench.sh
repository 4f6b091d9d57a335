#!/usr/bin/env bash
# Runs the speed benchmark with the allocator settings the plugin's forked training JVM uses.
# Usage (after mvn install): benchmarks/bench.sh [key=value ...], e.g. steps=20 repeats=5
set -euo pipefail
cd "$(dirname "$0")/.."
cpfile="$PWD/benchmarks/target/classpath.txt"
mvn -q -B -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cpfile"
cp=$(cat "$cpfile")
python=python3
if /usr/bin/python3 -c "import torch" 2>/dev/null; then python=/usr/bin/python3; fi
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=536870912 MALLOC_ARENA_MAX=1
exec java -Dai.djl.offline=true -Xss4m -Xmx4g -cp "benchmarks/target/classes:$cp" \
  io.cnnbench.benchmarks.SpeedBenchmark python="$python" "$@"
