#!/usr/bin/env bash
# Start-up cost of the jobmetrics agent: median wall time and median peak RSS of N JVM starts of a hello-world
# jar, plain, with an empty agent (a premain that does nothing: the floor of any agent), with our agent, with our
# agent and one records= pattern, with the OpenTelemetry Java agent (exporters none) and with the Prometheus JMX
# exporter agent (HTTP server on a free loopback port, a one-rule config) when they are in ~/.m2.
#
#   scripts/agent-startup.sh [runs]          (default 15; needs agent/target/job-metrics-agent.jar)
#
# Environment: JAVA (default: java on PATH), AGENT (default: agent/target/job-metrics-agent.jar), OTEL_AGENT (path
# to opentelemetry-javaagent.jar, or "none" to skip), JMX_AGENT (path to jmx_prometheus_javaagent.jar, or "none";
# default: 1.0.1 from ~/.m2, fetch it with
# mvn -q dependency:get -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1), GATEWAY (a
# Pushgateway URL; by default a prometheus-pushgateway is started on a free loopback port if installed, else the
# agent prints its metrics to stderr, which goes to /dev/null).
set -euo pipefail

RUNS=${1:-15}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA=${JAVA:-java}
AGENT=${AGENT:-"$ROOT/agent/target/job-metrics-agent.jar"}
[ -f "$AGENT" ] || { echo "build first: mvn -B -o -q install -DskipTests" >&2; exit 2; }
WORK=$(mktemp -d)
GW_PID=
cleanup() { [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# --- the hello-world job and the empty agent
mkdir -p "$WORK/src/hello" "$WORK/classes"
cat > "$WORK/src/hello/Hello.java" <<'JAVA'
package hello;
public class Hello {
    public static void main(String[] args) {
        // Wall-clock millis as main starts: the script subtracts the launch time to get "time to main".
        long mainMillis = System.currentTimeMillis();
        System.out.println(work("hello world") + " " + mainMillis);
    }
    static String work(String s) { return s; }
}
JAVA
cat > "$WORK/src/hello/EmptyAgent.java" <<'JAVA'
package hello;
public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) { }
}
JAVA
javac --release 17 -d "$WORK/classes" "$WORK"/src/hello/*.java
printf 'Main-Class: hello.Hello\n' > "$WORK/hello.mf"
printf 'Premain-Class: hello.EmptyAgent\n' > "$WORK/empty.mf"
jar cfm "$WORK/hello.jar" "$WORK/hello.mf" -C "$WORK/classes" hello/Hello.class
jar cfm "$WORK/empty-agent.jar" "$WORK/empty.mf" -C "$WORK/classes" hello/EmptyAgent.class

# --- where the agent pushes
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ -z "${GATEWAY:-}" ] && command -v prometheus-pushgateway >/dev/null; then
  PORT=$(free_port)
  # No persistence file: Debian's build otherwise shares one across instances (and with a system gateway).
  prometheus-pushgateway --web.listen-address=127.0.0.1:$PORT --persistence.file= >"$WORK/gw.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  GATEWAY="http://127.0.0.1:$PORT"
fi
ARG="job=startup"
[ -n "${GATEWAY:-}" ] && ARG="gateway=$GATEWAY,$ARG"

JMX=${JMX_AGENT:-$(ls ~/.m2/repository/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/jmx_prometheus_javaagent-1.0.1.jar 2>/dev/null || true)}
# The smallest useful exporter config: every MBean attribute under its default name.
printf 'rules:\n  - pattern: ".*"\n' > "$WORK/jmx.yaml"
OTEL=${OTEL_AGENT:-$(ls ~/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/*/opentelemetry-javaagent-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1 || true)}

# --- one measurement: wall ms, ms until main ran, and peak RSS KiB of one JVM (from /usr/bin/time, else from
# /proc/<pid>/status VmHWM sampled every 2 ms)
measure() {
  local start end rss
  if [ -x /usr/bin/time ]; then
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }
    end=$(date +%s%N)
    rss=$(tail -1 "$WORK/rss")
  else
    start=$(date +%s%N)
    "$@" >"$WORK/out" 2>"$WORK/err" & local pid=$!
    rss=0
    while kill -0 $pid 2>/dev/null; do
      local hwm; hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null || true)
      [ -n "$hwm" ] && [ "$hwm" -gt "$rss" ] && rss=$hwm
      sleep 0.002
    done
    wait $pid
    end=$(date +%s%N)
  fi
  local main_ms; main_ms=$(awk '{print $NF}' "$WORK/out")
  echo "$(( (end - start) / 1000000 )) $(( main_ms - start / 1000000 )) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

row() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true   # warm the page cache
  local walls=() mains=() rsss=()
  for _ in $(seq 1 "$RUNS"); do
    read -r w m r < <(measure "$@")
    walls+=("$w"); mains+=("$m"); rsss+=("$r")
  done
  local mw mm mr
  mw=$(printf '%s\n' "${walls[@]}" | median)
  mm=$(printf '%s\n' "${mains[@]}" | median)
  mr=$(printf '%s\n' "${rsss[@]}" | median)
  printf '| %-46s | %7s | %11s | %12.1f |\n' "$name" "$mw" "$mm" "$(echo "$mr / 1024" | bc -l)"
}

echo "JVM: $("$JAVA" -version 2>&1 | head -1); load average: $(cut -d" " -f1-3 /proc/loadavg); machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); runs: $RUNS; gateway: ${GATEWAY:-none (stderr)}"
echo
echo "| hello.jar (median of $RUNS)                          | wall ms | to main ms  | peak RSS MiB |"
echo "|------------------------------------------------|---------|-------------|--------------|"
row "plain" "$JAVA" -jar "$WORK/hello.jar"
row "empty agent (premain does nothing)" "$JAVA" -javaagent:"$WORK/empty-agent.jar" -jar "$WORK/hello.jar"
row "jobmetrics agent" "$JAVA" -javaagent:"$AGENT=$ARG" -jar "$WORK/hello.jar"
row "jobmetrics agent + records=hello.Hello#work" "$JAVA" -javaagent:"$AGENT=$ARG,records=hello.Hello#work" -jar "$WORK/hello.jar"
if [ -n "$OTEL" ] && [ -f "$OTEL" ]; then
  row "OpenTelemetry agent $(basename "$OTEL" .jar | sed 's/opentelemetry-javaagent-//') (exporters none)" \
    "$JAVA" -javaagent:"$OTEL" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none \
    -jar "$WORK/hello.jar"
else
  echo "| OpenTelemetry agent: not in ~/.m2, skipped     |         |             |              |"
fi
if [ -n "$JMX" ] && [ -f "$JMX" ]; then
  row "Prometheus JMX exporter agent $(basename "$JMX" .jar | sed 's/jmx_prometheus_javaagent-//')" \
    "$JAVA" -javaagent:"$JMX=127.0.0.1:$(free_port):$WORK/jmx.yaml" -jar "$WORK/hello.jar"
else
  echo "| Prometheus JMX exporter agent: not found, skipped |       |             |              |"
fi
