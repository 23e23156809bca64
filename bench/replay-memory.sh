#!/usr/bin/env bash
# Replay memory benchmark: generates a pod-lifecycle trace over many distinct objects, replays
# it in a small heap (DirectRunner, embedded API unless a target is given in ARGS) and prints
# the live heap (the largest heap left after a GC, from the JVM's GC log), how the run ended
# and how many report keys it kept. A benchmark that prints figures, not a test.
#
#   bench/replay-memory.sh                          # 6,000 requests over 3,000 pods in 20 s, -Xmx512m
#   REQUESTS=60000 OBJECTS=30000 DURATION=60 bench/replay-memory.sh
#   NGINX=1 bench/replay-memory.sh                  # against nginx on loopback (canned 200s): kreplay's heap alone
#   HEAP=-Xmx256m bench/replay-memory.sh --master=http://127.0.0.1:8080   # extra args go to `run`
# The embedded API (fabric8's mock server) keeps every pod it is sent in the same heap; nginx
# keeps nothing, so NGINX=1 measures kreplay alone.
# Env: REQUESTS, OBJECTS, DURATION (s), HEAP (JVM flags), NGINX=1, WORK (dir), KEEP=1 keeps WORK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUESTS="${REQUESTS:-6000}"
OBJECTS="${OBJECTS:-3000}"
DURATION="${DURATION:-20}"
HEAP="${HEAP:--Xmx512m}"
WORK="${WORK:-$(mktemp -d /tmp/kreplay-memory.XXXXXX)}"
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

target=()
if [ "${NGINX:-0}" = 1 ]; then
  command -v nginx >/dev/null || { echo "NGINX=1 needs nginx (Debian: apt-get install -y nginx-light)" >&2; exit 3; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type application/json; return 200 '{"kind":"Status","apiVersion":"v1","status":"Success"}'; }
  }
}
CONF
  # In the foreground of a background job, so it is stopped by its own pid and holds no pipe of ours.
  nginx -c "$WORK/nginx.conf" -p "$WORK" </dev/null >/dev/null 2>&1 &
  nginx_pid=$!
  trap 'kill "$nginx_pid" 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
  sleep 0.5
  target=(--master="http://127.0.0.1:$port")
fi

profile="$WORK/profile.yaml"
"$root/bin/kreplay" generate --out="$profile" --requests="$REQUESTS" --objects="$OBJECTS" \
  --durationSeconds="$DURATION" >/dev/null
rc=0
start=$(date +%s)
KREPLAY_JAVA_OPTS="$HEAP -Xlog:gc:file=$WORK/gc.log -Dkreplay.stats=true" \
  "$root/bin/kreplay" run --profile="$profile" --report="$WORK/report" ${target[@]+"${target[@]}"} "$@" >"$WORK/run.log" 2>&1 || rc=$?
wall=$(( $(date +%s) - start ))

# "Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(512M) 3.1ms": 40M is what the GC kept:
# live data plus old-generation garbage a young collection does not reach (an upper bound).
# Remark and Cleanup pauses are steps of a concurrent cycle, not collections: left out.
live=$(grep -E 'Pause (Young|Full)' "$WORK/gc.log" | grep -o '[0-9]*M->[0-9]*M([0-9]*M)' \
  | sed 's/.*->\([0-9]*\)M.*/\1/' | sort -n | tail -1)
peak=$(sed -n 's/.*peakHeapBytes=\([0-9]*\).*/\1/p' "$WORK/run.log" | tail -1)
echo "trace: $REQUESTS requests over $OBJECTS pods in ${DURATION}s; heap flags: $HEAP; target: ${target[*]:-embedded API}; exit code $rc; ${wall}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "heap after GC (max over young/full collections): ${live:-?} MiB; peak heap used (garbage included): $(( ${peak:-0} / 1048576 )) MiB"
if [ -f "$WORK/report/report.json" ]; then
  python3 - "$WORK/report/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = r["aggregated"]
ok = a["totalRun"] - a["totalFailed"]
print("report: total %d = ok %d + failed %d + skipped %d; %d byUrl keys; stoppedBy %s" % (
    a["total"], ok, a["totalFailed"], a.get("skipped", 0), len(a.get("byUrl", [])),
    r.get("run", {}).get("stoppedBy", "-")))
PY
else
  echo "report: none written; last lines of the run:"; tail -5 "$WORK/run.log"
fi
exit "$rc"
