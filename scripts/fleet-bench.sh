#!/usr/bin/env bash
# Fleet simulation (issue 12 item 5): JOBS distinct jobs, SERIES series each, delivered by jobmetrics' own push
# code with THREADS concurrent deliveries, to a real Pushgateway, Prometheus (remote-write receiver) and
# VictoriaMetrics, each on a free 127.0.0.1 port with temp storage. Prints a markdown table on stdout.
# Not part of the test run; about 1 to 2 minutes on 2 cores.
#
#   scripts/fleet-bench.sh                       # 2000 jobs x 50 series, 8 threads
#   JOBS=1000 THREADS=4 scripts/fleet-bench.sh
#
# Expects benchmarks/target/benchmarks.jar (mvn -B -o -q -P benchmarks -pl core,benchmarks -am -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${JOBS:-2000}
SERIES=${SERIES:-50}
THREADS=${THREADS:-8}
JAR=$ROOT/benchmarks/target/benchmarks.jar
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$JAR" ] || { echo "missing $JAR: build the benchmarks first" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Polls URL for up to 30 s.
wait_ready() {
  for _ in $(seq 1 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "not ready: $1" >&2; return 1
}
rss_mib() { awk '/^VmRSS:/{printf "%.0f", $2/1024}' "/proc/$1/status"; }
sim() { java -Xmx512m -cp "$JAR" io.github.jobmetrics.benchmarks.FleetSimulation "$@"; }
# Checkpoints 500, 1000, 2000 (those not above JOBS), then JOBS.
CHECKS=$(for c in 500 1000 2000; do [ "$c" -lt "$JOBS" ] && echo -n "$c "; done; echo "$JOBS")

echo "== Pushgateway" >&2
PORT=$(free_port)
prometheus-pushgateway --web.listen-address=127.0.0.1:$PORT --persistence.file= >"$WORK/gw.log" 2>&1 &
GW=$!; PIDS+=("$GW")
wait_ready "http://127.0.0.1:$PORT/-/ready"
GW_IDLE=$(rss_mib "$GW")
sim gateway "http://127.0.0.1:$PORT" "$SERIES" "$THREADS" $CHECKS >"$WORK/gw.tsv"
GW_RSS=$(rss_mib "$GW")

echo "== Prometheus remote-write receiver" >&2
PORT=$(free_port)
prometheus --web.listen-address=127.0.0.1:$PORT --web.enable-remote-write-receiver \
  --storage.tsdb.path="$WORK/prom" --config.file=<(echo 'global: {}') >"$WORK/prom.log" 2>&1 &
PROM=$!; PIDS+=("$PROM")
wait_ready "http://127.0.0.1:$PORT/-/ready"
PROM_IDLE=$(rss_mib "$PROM")
sim remote-write "http://127.0.0.1:$PORT/api/v1/write" "$SERIES" "$THREADS" "$JOBS" >"$WORK/prom.tsv"
PROM_RSS=$(rss_mib "$PROM")
PROM_SERIES=$(curl -sf "http://127.0.0.1:$PORT/api/v1/query?query=count(%7B__name__%3D~%22job_.%2B%22%7D)" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')

echo "== VictoriaMetrics" >&2
PORT=$(free_port)
victoria-metrics -httpListenAddr=127.0.0.1:$PORT -storageDataPath="$WORK/vm" -retentionPeriod=1d \
  >"$WORK/vm.log" 2>&1 &
VM=$!; PIDS+=("$VM")
wait_ready "http://127.0.0.1:$PORT/health"
VM_IDLE=$(rss_mib "$VM")
sim remote-write "http://127.0.0.1:$PORT/api/v1/write" "$SERIES" "$THREADS" "$JOBS" >"$WORK/vm.tsv"
VM_RSS=$(rss_mib "$VM")
curl -sf "http://127.0.0.1:$PORT/internal/force_flush" >/dev/null || true
VM_SERIES=$(curl -sf "http://127.0.0.1:$PORT/api/v1/series/count" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')

runs() { awk -F'\t' '$1=="runs"{print $4}' "$1"; }
secs() { awk -F'\t' '$1=="runs"{print $3}' "$1"; }
echo "Fleet: $JOBS distinct jobs, $SERIES series each ($((JOBS * SERIES)) series), $THREADS deliveries at a time."
echo
echo "| Target | Runs delivered/s | Time for $JOBS runs (s) | Receiver RSS idle → after (MiB) | Series the receiver answers |"
echo "|---|---:|---:|---:|---:|"
echo "| Pushgateway (PUT per group, \`PushEngine\`) | $(runs "$WORK/gw.tsv") | $(secs "$WORK/gw.tsv") | $GW_IDLE → $GW_RSS | n/a |"
echo "| Prometheus remote-write receiver (\`RemoteWriteSink\`) | $(runs "$WORK/prom.tsv") | $(secs "$WORK/prom.tsv") | $PROM_IDLE → $PROM_RSS | $PROM_SERIES |"
echo "| VictoriaMetrics (\`RemoteWriteSink\`) | $(runs "$WORK/vm.tsv") | $(secs "$WORK/vm.tsv") | $VM_IDLE → $VM_RSS | $VM_SERIES |"
echo
echo "| Pushgateway groups | Pushes/s to reach them (from the previous row) | \`/metrics\` page size | One \`GET /metrics\` (median of 3, ms) |"
echo "|---:|---:|---:|---:|"
awk -F'\t' '$1=="step"{rate[$3]=$4} $1=="scrape"{printf "| %d | %s | %.1f MiB | %s |\n", $2, rate[$2], $3/1048576, $4}' "$WORK/gw.tsv"
