#!/usr/bin/env bash
# The runner's default path against its floor, in one run (issue 14 items 4 and 5): `java -jar hello.jar` (the
# floor: one JVM; the runner starts two, so 2x is the floor of the floor), `java -jar job-runner.jar --no-agent
# -- hello.jar`, and `java -jar job-runner.jar -- hello.jar` (the default: no pattern, the agent attached as the
# runner sees fit). Prints markdown: medians of wall time, CPU time (user + sys of every process of the run), time
# until the job's main and peak RSS (of the largest process), each with its ratio to plain; then the aim line.
#
#   scripts/runner-default.sh [runs]     (default 11; needs job-runner/target/job-runner.jar and the agent jar
#                                          beside it, from mvn -B -o -q -DskipTests package)
#
# Every variant runs once per repetition (interleaved), after one warm-up run each. No gateway: the runner prints
# what it would push and spools into a temporary directory.
# Environment: JAVA (default java on PATH), RUNNER (default job-runner/target/job-runner.jar), AIMS_FILE (append the
# aim lines there instead of printing them; used by scripts/bench).
set -euo pipefail

. "$(dirname "$0")/startup-measure.sh"
RUNNER=${RUNNER:-"$ROOT/job-runner/target/job-runner.jar"}
start_run "${1:-11}" "$RUNNER" "$(dirname "$RUNNER")/job-metrics-agent.jar"

variant plain "java -jar hello.jar" '' "$JAVA" -jar "$WORK/hello.jar"
variant noagent "runner --no-agent" '' "$JAVA" -jar "$RUNNER" --no-agent --spool-dir "$WORK/spool" -- "$WORK/hello.jar"
variant default "runner, default path" '' "$JAVA" -jar "$RUNNER" --spool-dir "$WORK/spool" -- "$WORK/hello.jar"

run_all

run_line
echo
table plain "wall cpu main rss" plain noagent default

aim "runner default path: wall time vs \`java -jar hello.jar\`" default plain wall 2.5
aim_line "runner default path: CPU time vs \`java -jar hello.jar\`" "reported" \
  "$(value default cpu) / $(value plain cpu) = $(ratio default plain cpu)x" "-"
print_aims
