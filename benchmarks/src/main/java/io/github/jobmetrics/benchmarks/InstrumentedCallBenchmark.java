package io.github.jobmetrics.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per call of a small method counted by the agent ({@code records=...#counted}: timed, counted, an error
 * when it throws) against the same method uninstrumented. {@link Target#plain} and {@link Target#counted} are
 * identical; only the second is named by the pattern, so one fork measures both. Run the fat jar with the agent:
 *
 * <pre>
 * mvn -B -o -q -Pbenchmarks -DskipTests install
 * java -jar benchmarks/target/benchmarks.jar InstrumentedCallBenchmark -prof gc -jvmArgsAppend \
 *   "-javaagent:agent/target/job-metrics-agent.jar=job=bench,records=io.github.jobmetrics.benchmarks.InstrumentedCallBenchmark\$Target#counted"
 * </pre>
 *
 * <p>Without the agent both report the same time; with it, {@code counted} must allocate nothing per call
 * ({@code gc.alloc.rate.norm} of 0 B/op, as {@code plain}). The agent prints the run's metrics to stderr at the
 * end of the fork (no gateway is set); its record count is the number of {@code counted} calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InstrumentedCallBenchmark {
    private int x = 17;

    @Benchmark
    public int plain() {
        return Target.plain(x);
    }

    @Benchmark
    public int counted() {
        return Target.counted(x);
    }

    /** The called methods: same bytecode, small enough to be inlined when not instrumented. */
    public static final class Target {
        private Target() {
        }

        public static int plain(int v) {
            return v * 31 + 7;
        }

        public static int counted(int v) {
            return v * 31 + 7;
        }
    }
}
