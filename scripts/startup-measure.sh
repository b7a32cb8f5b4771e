# Measuring helpers shared by scripts/agent-startup.sh and scripts/runner-default.sh; sourced, not run.
# The caller then:
#   start_run RUNS JAR...         checks that the jars were built, makes WORK (a temporary directory removed at
#                                 exit) and compiles the jobs there
#   variant KEY LABEL EXPECT CMD...   declares one row (EXPECT: a regex its warm-up run's stderr must match, or '')
#   run_all                       one warm-up of each, then RUNS repetitions, every variant once per repetition
#   table BASE FIELDS KEYS...     a markdown table of medians and ratios to the row BASE
#   aim TEXT KEY BASE FIELD LIMIT one line against an aim of issue 14 item 4 (to $AIMS_FILE, else to stdout)
# Needs GNU time at /usr/bin/time: it gives peak RSS and CPU time (user + sys, children included, so a runner row
# counts both of its JVMs) of one run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA=${JAVA:-java}

# need_jar PATH...: one line and status 2 when a jar to measure was not built.
need_jar() {
  local jar
  for jar in "$@"; do
    [ -f "$jar" ] || { echo "missing $jar: build first with mvn -B -o -q -DskipTests package (from the repo root)" >&2; exit 2; }
  done
}

start_run() {
  RUNS=$1
  shift
  need_jar "$@"
  [ -x /usr/bin/time ] || { echo "missing /usr/bin/time (GNU time, Debian package time): it measures peak RSS and CPU" >&2; exit 2; }
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  build_jobs
}

# The jobs. Each prints "main-at-ms <System.currentTimeMillis() as main starts>" so that time to main is that minus
# the launch time taken by the script.
# - hello.jar: hello world whose class implements an interface of its own (hello.Iface#work) and a JDK interface
#   (java.util.function.Function#apply), each method called once, so that one exact, one interface and one JDK
#   interface pattern each count one record.
# - calls.jar: a job of 500 calls to 3 methods of its package (calls): 100 x Parser#parse, each calling
#   Fields#clean 3 times, and 100 x Total#add; for the cost of discover=calls against one pattern.
# - empty-agent.jar: an agent whose premain does nothing, the floor of any agent.
build_jobs() {
  mkdir -p "$WORK/src/hello" "$WORK/src/calls" "$WORK/classes"
  cat > "$WORK/src/hello/Iface.java" <<'JAVA'
package hello;
public interface Iface {
    String work(String s);
}
JAVA
  cat > "$WORK/src/hello/Hello.java" <<'JAVA'
package hello;
public class Hello implements Iface, java.util.function.Function<String, String> {
    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        Hello hello = new Hello();
        System.out.println(hello.work("hello") + " " + hello.apply("world"));
        System.out.println("main-at-ms " + mainMillis);
    }
    @Override public String work(String s) { return s; }
    @Override public String apply(String s) { return s; }
}
JAVA
  cat > "$WORK/src/hello/EmptyAgent.java" <<'JAVA'
package hello;
public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) { }
}
JAVA
  cat > "$WORK/src/calls/Job.java" <<'JAVA'
package calls;
public class Job {
    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        Total total = new Total();
        for (int i = 0; i < 100; i++) {
            total.add(Parser.parse(" a" + i + " , b , c "));
        }
        System.out.println(total.sum());
        System.out.println("main-at-ms " + mainMillis);
    }
}
class Parser {
    static int parse(String line) {
        int n = 0;
        for (String field : line.split(",")) {
            n += Fields.clean(field).length();
        }
        return n;
    }
}
class Fields {
    static String clean(String field) { return field.trim(); }
}
class Total {
    private long sum;
    void add(int n) { sum += n; }
    long sum() { return sum; }
}
JAVA
  javac --release 17 -d "$WORK/classes" "$WORK"/src/hello/*.java "$WORK"/src/calls/*.java
  printf 'Premain-Class: hello.EmptyAgent\n' > "$WORK/empty.mf"
  jar --create --file "$WORK/hello.jar" --main-class hello.Hello -C "$WORK/classes" hello/Hello.class \
    -C "$WORK/classes" hello/Iface.class
  jar --create --file "$WORK/calls.jar" --main-class calls.Job -C "$WORK/classes" calls
  jar cfm "$WORK/empty-agent.jar" "$WORK/empty.mf" -C "$WORK/classes" hello/EmptyAgent.class
}

VARIANTS=()
declare -A LABEL CMD EXPECT NOTE MEDIAN

variant() {
  local key=$1
  VARIANTS+=("$key")
  LABEL[$key]=$2
  EXPECT[$key]=$3
  shift 3
  CMD[$key]=$(printf '%q ' "$@")
}

# measure FILE CMD...: appends "wall_ms main_ms rss_kib cpu_ms" of one run of CMD, launch to exit, to FILE.
measure() {
  local file=$1 start end main_ms rss user sys
  shift
  start=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$WORK/time" "$@" >"$WORK/stdout" 2>"$WORK/stderr" \
    || { echo "failed: $* ($(tail -1 "$WORK/stderr"))" >&2; exit 1; }
  end=$(date +%s%N)
  main_ms=$(awk '$1 == "main-at-ms" { print $2 }' "$WORK/stdout")
  [ -n "$main_ms" ] || { echo "no main-at-ms line from: $*" >&2; exit 1; }
  read -r rss user sys < <(tail -1 "$WORK/time")
  echo "$(( (end - start) / 1000000 )) $(( main_ms - start / 1000000 )) $rss $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 + 0.5 }')" >> "$file"
}

FIELDS=(wall main rss cpu)   # the columns of measure's lines, in order

run_all() {
  local key i j n=${#VARIANTS[@]} f c
  # One warm-up run of each (page cache, JIT-independent file reads), which also checks that each row does what
  # its label says, such as a pattern that counts a record.
  for key in "${VARIANTS[@]}"; do
    eval "${CMD[$key]}" >"$WORK/stdout" 2>"$WORK/stderr" \
      || { echo "failed: ${LABEL[$key]}: $(tail -1 "$WORK/stderr")" >&2; exit 1; }
    if [ -n "${EXPECT[$key]}" ] && ! grep -Eq "${EXPECT[$key]}" "$WORK/stderr"; then
      NOTE[$key]=" (stderr lacks \"${EXPECT[$key]}\")"
      echo "warning: ${LABEL[$key]}: stderr does not match ${EXPECT[$key]}: $(tail -1 "$WORK/stderr")" >&2
    fi
    : > "$WORK/$key.runs"
  done
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  # Every variant once per repetition, starting one further each time, so that load from other processes and
  # each variant's position after another fall on all of them alike.
  for ((i = 0; i < RUNS; i++)); do
    for ((j = 0; j < n; j++)); do
      key=${VARIANTS[(i + j) % n]}
      eval "measure \"\$WORK/\$key.runs\" ${CMD[$key]}"
    done
  done
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  for key in "${VARIANTS[@]}"; do
    c=1
    for f in "${FIELDS[@]}"; do
      MEDIAN[$key.$f]=$(cut -d' ' -f$c "$WORK/$key.runs" | sort -n \
        | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
      c=$((c + 1))
    done
  done
}

# One line on the machine and the run, for above a table.
run_line() {
  echo "$("$JAVA" -version 2>&1 | head -1); $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); median of $RUNS runs of each row, interleaved; load average before $LOAD_BEFORE, after $LOAD_AFTER."
}

# value KEY FIELD: the median as shown (ms, or MiB for rss).
value() {
  if [ "$2" = rss ]; then awk -v v="${MEDIAN[$1.rss]}" 'BEGIN { printf "%.1f", v / 1024 }'; else printf '%.0f' "${MEDIAN[$1.$2]}"; fi
}

ratio() {  # ratio KEY BASE FIELD
  awk -v a="${MEDIAN[$1.$3]}" -v b="${MEDIAN[$2.$3]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

declare -A HEADING=([wall]="wall ms" [main]="to main ms" [rss]="peak RSS MiB" [cpu]="CPU ms")

# table BASE "FIELD..." KEY...: one row per KEY with, for each field, the median and its ratio to BASE's.
table() {
  local base=$1 fields=($2) key f line sep
  shift 2
  echo "Ratios (x) are to the row \"${LABEL[$base]}\"."
  echo
  line="| median of $RUNS"
  sep="|---"
  for f in "${fields[@]}"; do line+=" | ${HEADING[$f]} | x"; sep+="|---:|---:"; done
  echo "$line |"
  echo "$sep|"
  for key in "$@"; do
    line="| ${LABEL[$key]}${NOTE[$key]:-}"
    for f in "${fields[@]}"; do line+=" | $(value "$key" "$f") | $(ratio "$key" "$base" "$f")x"; done
    echo "$line |"
  done
}

# aim TEXT KEY BASE FIELD LIMIT: "| text | ≤ LIMITx | a / b = rx | met or missed |".
aim() {
  local r
  r=$(ratio "$2" "$3" "$4")
  aim_line "$1" "≤ $5x" "$(value "$2" "$4") / $(value "$3" "$4") = ${r}x" \
    "$(awk -v r="$r" -v l="$5" 'BEGIN { print (r <= l ? "met" : "missed") }')"
}

aim_line() {  # aim_line TEXT LIMIT MEASURED VERDICT
  echo "| $1 | $2 | $3 | $4 |" >> "${AIMS_FILE:-$WORK/aims}"
}

# Prints the aims table when the caller's caller (scripts/bench) does not collect the lines itself.
print_aims() {
  [ -z "${AIMS_FILE:-}" ] || return 0
  echo
  echo "| aim (issue 14 item 4) | limit | measured | |"
  echo "|---|---|---|---|"
  cat "$WORK/aims"
}
