package io.github.jobmetrics.benchmarks;

import io.github.jobmetrics.api.JobMetrics;
import io.github.jobmetrics.api.JobRun;
import io.github.jobmetrics.api.RecordTimer;
import io.github.jobmetrics.api.Stage;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of counting one record: the floor (two {@code nanoTime} calls, count, duration sum, one SLO comparison
 * on {@link LongAdder}s), jobmetrics' record paths, and the same counting with simpleclient 0.16,
 * prometheus-metrics-core 1.x and Micrometer. Run with {@code -t 1} and {@code -t 2} and {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBenchmark {
    private static final long SLO_NANOS = 250_000_000L;

    // the floor
    private final LongAdder floorCount = new LongAdder();
    private final LongAdder floorNanos = new LongAdder();
    private final LongAdder floorOver = new LongAdder();

    private JobRun oneSloRun;
    private Stage oneSlo;
    private JobRun threeSloRun;
    private Stage threeSlo;

    private io.prometheus.client.Counter simpleRecords;
    private io.prometheus.client.Counter simpleDuration;
    private io.prometheus.client.Counter simpleOver;

    private io.prometheus.metrics.core.metrics.Counter pmRecords;
    private io.prometheus.metrics.core.metrics.Counter pmDuration;
    private io.prometheus.metrics.core.metrics.Counter pmOver;

    private Counter mmRecords;
    private Counter mmDuration;
    private Counter mmOver;

    @Setup
    public void setUp() throws Exception {
        oneSloRun = JobMetrics.startOrJoin(settings("250ms"));
        oneSlo = oneSloRun.stage("one");
        oneSloRun.close();
        threeSloRun = JobMetrics.startOrJoin(settings("100ms,250ms,1s"));
        threeSlo = threeSloRun.stage("three");

        io.prometheus.client.CollectorRegistry sc = new io.prometheus.client.CollectorRegistry();
        simpleRecords = io.prometheus.client.Counter.build("records_total", "r").labelNames("stage").register(sc);
        simpleDuration = io.prometheus.client.Counter.build("duration_total", "d").labelNames("stage").register(sc);
        simpleOver = io.prometheus.client.Counter.build("over_total", "o").labelNames("stage", "slo").register(sc);

        io.prometheus.metrics.model.registry.PrometheusRegistry pr =
                new io.prometheus.metrics.model.registry.PrometheusRegistry();
        pmRecords = io.prometheus.metrics.core.metrics.Counter.builder().name("records_total").labelNames("stage")
                .register(pr);
        pmDuration = io.prometheus.metrics.core.metrics.Counter.builder().name("duration_total")
                .labelNames("stage").register(pr);
        pmOver = io.prometheus.metrics.core.metrics.Counter.builder().name("over_total").labelNames("stage", "slo")
                .register(pr);

        SimpleMeterRegistry mm = new SimpleMeterRegistry();
        mmRecords = Counter.builder("records").tag("stage", "main").register(mm);
        mmDuration = Counter.builder("duration").tag("stage", "main").register(mm);
        mmOver = Counter.builder("over").tag("stage", "main").tag("slo", "0.25").register(mm);
    }

    private static Settings settings(String slos) throws Exception {
        // No gateway: closing prints instead of pushing, and the benchmark never touches the network.
        return SettingsLoader.load(Map.of("record-slo", slos, "push-at-start", "false"), "benchmark",
                new Properties(), Map.of());
    }

    @TearDown
    public void tearDown() {
        threeSloRun.close();
    }

    @Benchmark
    public void floor() {
        long t = System.nanoTime();
        long d = System.nanoTime() - t;
        floorCount.increment();
        floorNanos.add(d);
        if (d > SLO_NANOS) {
            floorOver.increment();
        }
    }

    @Benchmark
    public void jobmetricsOneSlo() {
        long t = oneSlo.begin();
        oneSlo.success(t);
    }

    @Benchmark
    public void jobmetricsThreeSlos() {
        long t = threeSlo.begin();
        threeSlo.success(t);
    }

    @Benchmark
    public void jobmetricsLambda() throws Exception {
        oneSlo.record(RecordBenchmark::work);
    }

    @Benchmark
    public void jobmetricsHandle() {
        try (RecordTimer r = oneSlo.start()) {
            work();
        }
    }

    private static void work() {
        // the record's own work is not what is measured
    }

    @Benchmark
    public void simpleclientLabelledCounters() {
        long t = System.nanoTime();
        long d = System.nanoTime() - t;
        simpleRecords.labels("main").inc();
        simpleDuration.labels("main").inc(d / 1e9);
        if (d > SLO_NANOS) {
            simpleOver.labels("main", "0.25").inc();
        }
    }

    @Benchmark
    public void prometheusMetricsCoreCounters() {
        long t = System.nanoTime();
        long d = System.nanoTime() - t;
        pmRecords.labelValues("main").inc();
        pmDuration.labelValues("main").inc(d / 1e9);
        if (d > SLO_NANOS) {
            pmOver.labelValues("main", "0.25").inc();
        }
    }

    @Benchmark
    public void micrometerCounters() {
        long t = System.nanoTime();
        long d = System.nanoTime() - t;
        mmRecords.increment();
        mmDuration.increment(d / 1e9);
        if (d > SLO_NANOS) {
            mmOver.increment();
        }
    }

    @Benchmark
    public void blackholeBaseline(Blackhole bh) {
        bh.consume(System.nanoTime());
    }
}
