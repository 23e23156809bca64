#!/usr/bin/env bash
# Null-server benchmark: replays a constant-rate synthetic profile against nginx serving canned
# JSON on loopback (started here), and prints, for that rate: the achieved rate, dispatch lag
# measured AT THE SERVER (nginx's $msec arrival time vs. the request's intended time; 1 ms
# resolution) and as kreplay reports it, and the same server's ceiling under wrk.
# A benchmark that prints figures; no threshold decides its exit code.
#
#   bench/replay-null-server.sh                          # 2,000 req/s for 20 s, DirectRunner
#   RATE=10000 RUNNER=FlinkRunner bench/replay-null-server.sh   # needs: mvn -Pflink install
#   RUNNER=none bench/replay-null-server.sh              # the sending half alone, no runner
#     (SenderBench in transforms' test classes: mvn install -DskipTests compiles it)
# Env: RATE (req/s), DURATION (s), SHARDS, INFLIGHT (per shard), CONNS (per shard), RUNNER, WARMUP (s), EXTRA (more kreplay
# options), KEEP=1 keeps the work dir. TLS=1 serves https with a throwaway self-signed certificate
# and HTTP/2 by ALPN (kreplay gets --insecureSkipTlsVerify): the replay then speaks HTTP/2 through
# the JDK client, or HTTP/1.1 through Vert.x with DISABLE_HTTP2=true; on cleartext it is always
# Vert.x (see Fabric8Executor.httpClientFactory).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${RATE:-2000}"
DURATION="${DURATION:-20}"
SHARDS="${SHARDS:-4}"
INFLIGHT="${INFLIGHT:-64}"
CONNS="${CONNS:-$INFLIGHT}"   # connections per shard (kperf's connsPerRunner; on HTTP/1.1 also the in-flight bound)
RUNNER="${RUNNER:-DirectRunner}"
DISABLE_HTTP2="${DISABLE_HTTP2:-false}"
TLS="${TLS:-0}"
WARMUP="${WARMUP:-10}"   # seconds to the shared start; raise it on a busy machine
for tool in nginx wrk python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y nginx-light wrk)" >&2; exit 3; }
done
work="$(mktemp -d /tmp/kreplay-null.XXXXXX)"
mkdir -p "$work/tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
listen="127.0.0.1:$port backlog=4096;"
scheme=http
if [ "$TLS" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  listen="127.0.0.1:$port ssl http2 backlog=4096; ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;"
  scheme=https
fi
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/tmp;
  log_format arrival '\$msec \$request_uri';
  server {
    listen $listen
    keepalive_requests 1000000;
    location /api/ {
      access_log $work/access.log arrival buffer=1m flush=1s;
      default_type application/json;
      return 200 '{"kind":"Status","apiVersion":"v1","status":"Success"}';
    }
    location /wrk/ { default_type application/json; return 200 '{"kind":"Status","apiVersion":"v1","status":"Success"}'; }
    location / { default_type application/json; return 200 '{"major":"1","minor":"31"}'; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
cleanup() { nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
url="$scheme://127.0.0.1:$port"

echo "null server: nginx at $url (1 worker); replay: $RATE req/s for ${DURATION}s on $SHARDS shards, $INFLIGHT in flight and $CONNS connections per shard, $RUNNER; load: $(cut -d' ' -f1-3 /proc/loadavg)"
ceiling=$(wrk -t2 -c64 -d10s "$url/wrk/x" | awk '/Requests\/sec/ {print $2}')

requests=$((RATE * DURATION))
"$root/bin/kreplay" generate --shape=deletes --out="$work/profile.yaml" --requests="$requests" \
  --durationSeconds="$DURATION" --runnerCount="$SHARDS" --objects=1000 >/dev/null
extra=(${EXTRA:-})   # more kreplay options, e.g. EXTRA="--leadMillis=1000"
[ "$TLS" = 1 ] && extra+=(--insecureSkipTlsVerify)
if [ "$RUNNER" = none ]; then
  # The sending half alone (ShardRun: sender threads, fabric8, caps, measurement), fed by one
  # thread instead of a runner: what our sending costs, without the runner's (SenderBench).
  java ${KREPLAY_JAVA_OPTS:-} -Dkreplay.disableHttp2="$DISABLE_HTTP2" -Dkreplay.conns="$CONNS" -cp "$root/transforms/target/test-classes:$root/pipeline/target/lib/*" \
    io.kreplay.transforms.replay.SenderBench "$url" "$RATE" "$DURATION" "$SHARDS" "$INFLIGHT" "$WARMUP" "$work/report" \
    >"$work/run.out" 2>"$work/run.err" || { echo "SenderBench failed:"; tail -5 "$work/run.err"; exit 1; }
  grep "sender only\|process CPU\|^errors" "$work/run.out"
else
  [ "$RUNNER" = DirectRunner ] || extra+=(--runner="$RUNNER" --flinkMaster=[local] --streaming=true --parallelism=2)
  "$root/bin/kreplay" run --profile="$work/profile.yaml" --master="$url" --report="$work/report" \
    --maxInFlight="$INFLIGHT" --conns="$CONNS" --disableHttp2="$DISABLE_HTTP2" --warmupSeconds="$WARMUP" --graceSeconds=10 "${extra[@]}" >"$work/run.out" 2>"$work/run.err" || {
    echo "kreplay run failed:"; tail -5 "$work/run.err"; exit 1; }
fi
nginx -c "$work/nginx.conf" -p "$work" -s reopen 2>/dev/null; sleep 1.5   # flush the access log
start=$(sed -n 's/.*epoch ms \([0-9]*\)).*/\1/p' "$work/run.out")

python3 - "$work/access.log" "$start" "$work/report/report.json" "$ceiling" "$requests" "$RATE" <<'EOF'
import json, math, re, sys
log, start, report, ceiling, planned, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
lags, arrivals = [], []
for line in open(log):
    msec, uri = line.split(" ", 1)
    m = re.search(r"/t(\d+)-\d+", uri)
    if not m:
        continue
    arrival = float(msec) * 1000.0
    arrivals.append(arrival)
    lags.append(arrival - (start + int(m.group(1))))
lags.sort()
def pct(v, p):
    return v[max(0, math.ceil(len(v) * p) - 1)]
span = (max(arrivals) - min(arrivals)) / 1000.0
a = json.load(open(report))["aggregated"]
lagp = {p: v for p, v in a["lagPercentiles"]}
print(f"planned {planned} requests at {rate:.0f}/s; server saw {len(lags)}; kreplay: {a['totalRun'] - a['totalFailed']} ok, "
      f"{a['totalFailed']} failed, {a['skipped']} skipped")
print(f"achieved rate at the server: {len(arrivals) / span:.0f} req/s over {span:.1f} s")
print(f"dispatch lag at the server (arrival - intended, 1 ms resolution): p50 {pct(lags, .5):.1f} ms  "
      f"p99 {pct(lags, .99):.1f} ms  max {lags[-1]:.1f} ms")
print(f"dispatch lag reported by kreplay (actual - intended send):       p50 {lagp[0.5]*1e3:.2f} ms  "
      f"p99 {lagp[0.99]*1e3:.2f} ms  max {lagp[1.0]*1e3:.2f} ms")
print(f"service time reported by kreplay: p50 {a['servicePercentiles'][1][1]*1e3:.2f} ms  p99 {a['servicePercentiles'][4][1]*1e3:.2f} ms")
print(f"the same server under wrk (2 threads, 64 connections, 10 s): {ceiling:.0f} req/s; "
      f"this rate is {rate / ceiling:.2f}x of it")
EOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
