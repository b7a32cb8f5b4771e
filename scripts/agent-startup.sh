#!/usr/bin/env bash
# Start-up cost of the jobmetrics agent, against its floors and peers in the same run (issue 14 items 4 and 5).
# Prints markdown: medians of time to main, wall time, peak RSS and CPU time, each with its ratio to the empty
# agent, for hello.jar
#   - without an agent, with an empty agent (a premain that does nothing: the floor of any agent),
#   - with our agent and no pattern, with one exact-class pattern (hello.Hello#work), one interface pattern
#     (hello.Iface#work) and one JDK interface pattern (java.util.function.Function#apply, implemented by the job),
#   - with the OpenTelemetry Java agent (exporters none) and the Prometheus JMX exporter agent when found in ~/.m2;
# then the cost of discovery mode on calls.jar (500 calls to 3 methods of one package): no agent, our agent without
# pattern, one pattern, discover=calls; then the agent jar's size and the lines against the aims of issue 14.
#
#   scripts/agent-startup.sh [runs]      (default 11; needs agent/target/job-metrics-agent.jar from
#                                          mvn -B -o -q -DskipTests package)
#
# Every variant runs once per repetition (interleaved), after one warm-up run each. No network is needed: the agent
# prints what it would push (no gateway) and spools into a temporary directory.
# Environment: JAVA (default java on PATH), AGENT (default agent/target/job-metrics-agent.jar), GATEWAY (a
# Pushgateway URL to push to instead), OTEL_AGENT / JMX_AGENT (paths to those agents' jars, or "none"; default:
# the newest in ~/.m2), AIMS_FILE (append the aim lines there instead of printing them; used by scripts/bench).
set -euo pipefail

. "$(dirname "$0")/startup-measure.sh"
AGENT=${AGENT:-"$ROOT/agent/target/job-metrics-agent.jar"}
start_run "${1:-11}" "$AGENT"

ARG="job=startup,spool-dir=$WORK/spool"
[ -n "${GATEWAY:-}" ] && ARG="gateway=$GATEWAY,$ARG"
JA="-javaagent:$AGENT=$ARG"
ONE_RECORD=': 1 record,'

variant plain "no agent" '' "$JAVA" -jar "$WORK/hello.jar"
variant empty "empty agent (premain does nothing)" '' "$JAVA" -javaagent:"$WORK/empty-agent.jar" -jar "$WORK/hello.jar"
variant agent "jobmetrics agent, no pattern" '' "$JAVA" "$JA" -jar "$WORK/hello.jar"
variant exact "+ records=hello.Hello#work (class)" "$ONE_RECORD" \
  "$JAVA" "$JA,records=hello.Hello#work" -jar "$WORK/hello.jar"
variant iface "+ records=hello.Iface#work (interface)" "$ONE_RECORD" \
  "$JAVA" "$JA,records=hello.Iface#work" -jar "$WORK/hello.jar"
variant jdk "+ records=java.util.function.Function#apply (JDK interface)" "$ONE_RECORD" \
  "$JAVA" "$JA,records=java.util.function.Function#apply" -jar "$WORK/hello.jar"
HELLO_ROWS=(plain empty agent exact iface jdk)

OTEL=${OTEL_AGENT:-$(ls ~/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/*/opentelemetry-javaagent-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1 || true)}
if [ -f "$OTEL" ]; then
  variant otel "OpenTelemetry agent $(basename "$OTEL" .jar | sed 's/opentelemetry-javaagent-//') (exporters none)" '' \
    "$JAVA" -javaagent:"$OTEL" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none \
    -jar "$WORK/hello.jar"
  HELLO_ROWS+=(otel)
fi
JMX=${JMX_AGENT:-$(ls ~/.m2/repository/io/prometheus/jmx/jmx_prometheus_javaagent/*/jmx_prometheus_javaagent-*.jar 2>/dev/null | sort -V | tail -1 || true)}
if [ -f "$JMX" ]; then
  # The smallest useful exporter config: every MBean attribute under its default name, on a free loopback port.
  printf 'rules:\n  - pattern: ".*"\n' > "$WORK/jmx.yaml"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  variant jmx "Prometheus JMX exporter agent $(basename "$JMX" .jar | sed 's/jmx_prometheus_javaagent-//')" '' \
    "$JAVA" -javaagent:"$JMX=127.0.0.1:$PORT:$WORK/jmx.yaml" -jar "$WORK/hello.jar"
  HELLO_ROWS+=(jmx)
fi

variant calls_plain "no agent" '' "$JAVA" -jar "$WORK/calls.jar"
variant calls_agent "jobmetrics agent, no pattern" '' "$JAVA" "$JA" -jar "$WORK/calls.jar"
variant calls_one "+ records=calls.Parser#parse" ': 100 records,' \
  "$JAVA" "$JA,records=calls.Parser#parse" -jar "$WORK/calls.jar"
variant calls_discover "+ discover=calls" 'discover=calls: [0-9]+ methods called' \
  "$JAVA" "$JA,discover=calls" -jar "$WORK/calls.jar"

run_all

JAR_BYTES=$(stat -c %s "$AGENT")
JAR_MIB=$(awk -v b="$JAR_BYTES" 'BEGIN { printf "%.2f", b / 1048576 }')
run_line
echo
[ -f "$OTEL" ] || echo "OpenTelemetry agent not in ~/.m2 (or OTEL_AGENT=none): its row is left out."
[ -f "$JMX" ] || echo "Prometheus JMX exporter agent not in ~/.m2 (or JMX_AGENT=none): its row is left out."
echo
echo "### hello.jar"
echo
table empty "main wall rss cpu" "${HELLO_ROWS[@]}"
echo
echo "Agent jar: \`${AGENT#"$ROOT"/}\`, $JAR_BYTES bytes ($JAR_MIB MiB)."
echo
echo "### Discovery mode: calls.jar (500 calls to 3 methods of package calls)"
echo
table calls_plain "wall rss cpu main" calls_plain calls_agent calls_one calls_discover
echo
echo "discover=calls over one pattern: wall $(ratio calls_discover calls_one wall)x, peak RSS $(ratio calls_discover calls_one rss)x, CPU $(ratio calls_discover calls_one cpu)x."

for key in exact iface jdk; do
  aim "one pattern, ${LABEL[$key]#+ }: time to main vs empty agent" "$key" empty main 2.5
  aim "one pattern, ${LABEL[$key]#+ }: peak RSS vs empty agent" "$key" empty rss 1.2
done
aim "no pattern: time to main vs empty agent" agent empty main 1.3
aim "no pattern: peak RSS vs empty agent" agent empty rss 1.15
aim_line "agent jar size" "< 1 MB (1,000,000 bytes)" "$JAR_BYTES bytes ($JAR_MIB MiB)" \
  "$([ "$JAR_BYTES" -lt 1000000 ] && echo met || echo missed)"
print_aims
