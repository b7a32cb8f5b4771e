#!/usr/bin/env bash
# Measures what job-runner adds to a trivial Java job: `java -jar job-runner.jar -- hello.jar` against
# `java -jar hello.jar`, interleaved, median of N runs each (default 15): wall time and CPU time (user + sys of
# the command and every process it waited for, so the runner's and the job's JVMs together). The variant
# `default` is the runner as users run it, the agent attached (no patterns); the others use --no-agent.
# Uses the built jars: run `mvn -B -o -q -DskipTests package` first. Usage: scripts/runner-overhead.sh [N]
set -euo pipefail

N="${1:-15}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNNER="$ROOT/job-runner/target/job-runner.jar"
JAVA="${JAVA:-java}"
[[ -f "$RUNNER" ]] || { echo "no $RUNNER; build first: mvn -B -o -q -DskipTests package" >&2; exit 1; }

WORK="$(mktemp -d)"
GATEWAY_PID=""
cleanup() {
  [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/src" "$WORK/classes"
cat > "$WORK/src/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
javac -d "$WORK/classes" "$WORK/src/Hello.java"
jar --create --file "$WORK/hello.jar" --main-class Hello -C "$WORK/classes" .
HELLO="$WORK/hello.jar"

# One run of the command, its output discarded: prints "WALL_MS CPU_MS" (CPU: user + sys, bash's `time`, which
# counts the command and the processes it waited for); fails loudly if the command fails.
run_ms() {
  local t
  t=$( { TIMEFORMAT='%3R %3U %3S'; time "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; } 2>&1 )
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t"
}

median() {
  sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

declare -a VARIANTS=(plain default runner)
declare -A CMD
CMD[plain]="$JAVA -jar $HELLO"
CMD[default]="$JAVA -jar $RUNNER --spool-dir $WORK/spool -- $HELLO"
CMD[runner]="$JAVA -jar $RUNNER --no-agent --spool-dir $WORK/spool -- $HELLO"

# The runner with an AppCDS archive of its own classes (made by one run with -XX:ArchiveClassesAtExit): what a
# user can win by adding one JVM option to the runner's own command line.
"$JAVA" -XX:ArchiveClassesAtExit="$WORK/runner.jsa" -jar "$RUNNER" --no-agent --spool-dir "$WORK/spool" -- "$HELLO" \
  >/dev/null 2>&1
if [[ -f "$WORK/runner.jsa" ]]; then
  VARIANTS+=(runner_cds)
  CMD[runner_cds]="$JAVA -XX:SharedArchiveFile=$WORK/runner.jsa -jar $RUNNER --no-agent --spool-dir $WORK/spool -- $HELLO"
fi

if command -v prometheus-pushgateway >/dev/null; then
  PORT=$(( 20000 + RANDOM % 20000 ))
  prometheus-pushgateway --web.listen-address="127.0.0.1:$PORT" --persistence.file= >"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  VARIANTS+=(runner_push)
  CMD[runner_push]="$JAVA -jar $RUNNER --no-agent --spool-dir $WORK/spool --gateway http://127.0.0.1:$PORT -- $HELLO"
fi

# One warm-up of each, so that the page cache holds the jars and the JDK for every variant alike.
for v in "${VARIANTS[@]}"; do run_ms ${CMD[$v]} >/dev/null; done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${VARIANTS[@]}"; do : > "$WORK/$v.runs"; done
for _ in $(seq 1 "$N"); do
  for v in "${VARIANTS[@]}"; do run_ms ${CMD[$v]} >> "$WORK/$v.runs"; done
done
for v in "${VARIANTS[@]}"; do
  cut -d' ' -f1 "$WORK/$v.runs" > "$WORK/$v.ms"
  cut -d' ' -f2 "$WORK/$v.runs" > "$WORK/$v.cpu"
done

echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "runs: $N each, interleaved; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wall: median (min, max), overhead and ratio to plain; cpu: median user+sys of all its processes"
PLAIN=$(median < "$WORK/plain.ms")
for v in "${VARIANTS[@]}"; do
  M=$(median < "$WORK/$v.ms")
  printf '%-12s median %5d ms  (min %d, max %d)  overhead %+d ms  %5.2fx  cpu %4d ms   %s\n' "$v" "$M" \
    "$(sort -n "$WORK/$v.ms" | head -1)" "$(sort -n "$WORK/$v.ms" | tail -1)" $(( M - PLAIN )) \
    "$(awk -v m="$M" -v p="$PLAIN" 'BEGIN { printf "%.2f", (p > 0 ? m / p : 0) }')" "$(median < "$WORK/$v.cpu")" \
    "${CMD[$v]//$WORK/\$TMP}"
done
# The runner's heap stays small: the same run with a 16 MB heap cap.
if "$JAVA" -Xmx16m -jar "$RUNNER" --no-agent --spool-dir "$WORK/spool" -- "$HELLO" >/dev/null 2>&1; then
  echo "runner with -Xmx16m: ok"
else
  echo "runner with -Xmx16m: FAILED"
fi
