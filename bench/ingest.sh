#!/usr/bin/env bash
# Ingest benchmark: generates a large gzip'd synthetic profile, then runs `validate` and `plan`
# on it in a small heap and prints throughput (per wall second and per CPU-core second) and
# peak heap. A benchmark that prints figures, not a test: no thresholds decide its exit code.
#
#   bench/ingest.sh                       # 10M requests over 1 h on 100k pods, -Xmx512m
#   REQUESTS=1000000 bench/ingest.sh      # smaller
#   PROFILE=/path/p.yaml.gz bench/ingest.sh   # reuse a generated profile
# Env: REQUESTS, DURATION (s), OBJECTS, HEAP (JVM flag), WORK (dir), KEEP=1 keeps WORK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUESTS="${REQUESTS:-10000000}"
DURATION="${DURATION:-3600}"
OBJECTS="${OBJECTS:-100000}"
HEAP="${HEAP:--Xmx512m}"
WORK="${WORK:-$(mktemp -d /tmp/kreplay-ingest.XXXXXX)}"
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

profile="${PROFILE:-$WORK/profile.yaml.gz}"
if [ ! -f "$profile" ]; then
  echo "generating $REQUESTS requests over ${DURATION}s on $OBJECTS pods -> $profile"
  "$root/bin/kreplay" generate --out="$profile" --requests="$REQUESTS" \
    --durationSeconds="$DURATION" --objects="$OBJECTS" --gzip=true >/dev/null
fi
compressed=$(stat -c %s "$profile")
uncompressed=$(gzip -dc "$profile" | wc -c)
echo "profile: $profile  gzip'd $((compressed / 1048576)) MiB, YAML $((uncompressed / 1048576)) MiB"

# run NAME ARGS...: one command with the heap and stats flag; prints one table row.
run() {
  local name="$1"; shift
  local log="$WORK/$name.log" start end rc=0
  start=$(date +%s.%N)
  KREPLAY_JAVA_OPTS="$HEAP -Dkreplay.stats=true" "$root/bin/kreplay" "$@" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  local stats; stats=$(grep '^kreplay-stats:' "$log" || echo "")
  local cpu scan peak max requests
  cpu=$(sed -n 's/.* cpuSeconds=\([0-9.]*\).*/\1/p' <<<"$stats")
  scan=$(sed -n 's/.*scanCpuSeconds=\([0-9.]*\).*/\1/p' <<<"$stats")
  peak=$(sed -n 's/.*peakHeapBytes=\([0-9]*\).*/\1/p' <<<"$stats")
  max=$(sed -n 's/.*maxHeapBytes=\([0-9]*\).*/\1/p' <<<"$stats")
  requests=$(sed -n 's/^requests: \([0-9]*\).*/\1/p' "$log" | head -1)
  awk -v n="$name" -v r="${requests:-0}" -v s="$start" -v e="$end" -v c="${cpu:-0}" \
      -v sc="${scan:-0}" -v p="${peak:-0}" -v m="${max:-0}" -v rc="$rc" 'BEGIN {
    w = e - s;
    printf "%-9s %11d %8.1f %8.1f %8.1f %10.0f %12.0f %12.0f %7.0f/%-6.0f %3d\n", n, r, w, c, sc,
      (w > 0 ? r / w : 0), (c > 0 ? r / c : 0), (sc > 0 ? r / sc : 0), p / 1048576, m / 1048576, rc }'
  [ "$rc" = 0 ] || { echo "--- $name failed; last lines of its log:"; tail -5 "$log"; }
  return "$rc"
}

# cpu_s: the whole process (JVM, Beam, DirectRunner threads); scan_s: the scanning thread alone.
printf "%-9s %11s %8s %8s %8s %10s %12s %12s %14s %3s\n" command requests wall_s cpu_s scan_s req/s \
  req/s/cpu req/s/scan "heapMiB pk/max" rc
status=0
run validate validate --profile="$profile" || status=1
run plan plan --profile="$profile" --plan="$WORK/plan" || status=1
if [ -f "$WORK/plan/manifest.json" ]; then
  echo "plan: $(find "$WORK/plan/segments" -name '*.seg' | wc -l) segment files, $(du -sh "$WORK/plan" | cut -f1) on disk"
fi
echo "goals: >= 200k requests/s/core to validate; 10M requests planned with -Xmx512m"
exit "$status"
