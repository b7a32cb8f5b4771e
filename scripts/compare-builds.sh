#!/usr/bin/env bash
# Start-up of two builds of jobmetrics side by side, interleaved run by run so both see the same machine load:
# the runner's default path (agent attached, no patterns), the runner with --no-agent, the agent alone, and the
# agent with one records= pattern, each around a hello-world jar, with `java -jar hello.jar` as the floor.
# Prints the median wall time of each case for both builds and their ratio (new / old), and the median CPU time
# (user + sys of the command and every process it waited for).
#
#   scripts/compare-builds.sh OLD_ROOT NEW_ROOT [runs]     (default 11; both trees built with -DskipTests package)
set -euo pipefail

OLD=$1 NEW=$2 RUNS=${3:-11}
JAVA=${JAVA:-java}
for root in "$OLD" "$NEW"; do
  for jar in job-runner/target/job-runner.jar agent/target/job-metrics-agent.jar; do
    [ -f "$root/$jar" ] || { echo "no $root/$jar: build that tree first (mvn -B -q -DskipTests package)" >&2; exit 2; }
  done
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src/hello" "$WORK/classes"
cat > "$WORK/src/hello/Hello.java" <<'JAVA'
package hello;

public class Hello {
    public static void main(String[] args) {
        System.out.println(work("hello"));
    }

    static String work(String s) {
        return s;
    }
}
JAVA
javac -d "$WORK/classes" "$WORK/src/hello/Hello.java"
jar --create --file "$WORK/hello.jar" --main-class hello.Hello -C "$WORK/classes" .

# One case: a name and a command with ROOT standing for the build's root.
cases=(
  "plain|$JAVA -jar $WORK/hello.jar"
  "runner default (agent attached)|$JAVA -jar ROOT/job-runner/target/job-runner.jar --spool-dir $WORK/spool -- $WORK/hello.jar"
  "runner --no-agent|$JAVA -jar ROOT/job-runner/target/job-runner.jar --no-agent --spool-dir $WORK/spool -- $WORK/hello.jar"
  "agent alone|$JAVA -javaagent:ROOT/agent/target/job-metrics-agent.jar=spool-dir=$WORK/spool -jar $WORK/hello.jar"
  "agent + one pattern|$JAVA -javaagent:ROOT/agent/target/job-metrics-agent.jar=spool-dir=$WORK/spool,records=hello.Hello#work -jar $WORK/hello.jar"
)

# "WALL_MS CPU_MS" of one run of the command.
ms() {
  local t
  t=$( { TIMEFORMAT='%3R %3U %3S'; time bash -c "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; exit 1; }; } 2>&1 )
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %10s %8s %9s %9s\n' "case (median of $RUNS, ms)" old new new/old "cpu old" "cpu new"
for c in "${cases[@]}"; do
  name=${c%%|*} cmd=${c#*|}
  : > "$WORK/old" ; : > "$WORK/new"
  for _ in $(seq "$RUNS"); do
    ms "${cmd//ROOT/$OLD}" >> "$WORK/old"
    ms "${cmd//ROOT/$NEW}" >> "$WORK/new"
  done
  o=$(cut -d' ' -f1 "$WORK/old" | median) n=$(cut -d' ' -f1 "$WORK/new" | median)
  printf '%-34s %10d %10d %8s %9d %9d\n' "$name" "$o" "$n" "$(awk -v n="$n" -v o="$o" 'BEGIN {printf "%.2f", (o > 0 ? n / o : 0)}')" \
    "$(cut -d' ' -f2 "$WORK/old" | median)" "$(cut -d' ' -f2 "$WORK/new" | median)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
