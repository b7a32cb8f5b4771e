package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.config.Durations;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The metrics of one run: run gauges and per-stage record counters, collected into simpleclient families at the
 * start push and at the end. Thread-safe; built once per run.
 */
public final class RunRegistry {
    private final MetricNames names;
    private final List<Duration> recordSlos;
    private final long[] sloNanos;
    private final String[] sloLabels;
    @Nullable private final Duration jobSlo;
    private final int maxLabelValues;
    private final String mode;
    private final String version;
    private final long startEpochMillis;
    private final Consumer<String> warnings;
    private final LabelGuard<StageCounters> stages;

    private RunRegistry(Builder b) {
        this.names = new MetricNames(b.metricPrefix);
        this.recordSlos = List.copyOf(b.recordSlos);
        this.sloNanos = recordSlos.stream().mapToLong(Duration::toNanos).toArray();
        this.sloLabels = recordSlos.stream().map(Durations::toSecondsLabel).toArray(String[]::new);
        this.jobSlo = b.jobSlo;
        this.maxLabelValues = b.maxLabelValues;
        this.mode = b.mode;
        this.version = b.version;
        this.startEpochMillis = b.startEpochMillis;
        this.warnings = b.warnings;
        this.stages = new LabelGuard<>(names.recordsTotal(), "stage", maxLabelValues, warnings);
    }

    /** A builder with the contract's defaults: prefix {@code batch_job}, no thresholds, 20 label values. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The counters of stage {@code name}, created on first use. Callers keep the result: this is a map lookup,
     * the counters are not.
     */
    public StageCounters stage(String name) {
        requireNonNull(name, "name must not be null");
        return stages.get(name, s -> new StageCounters(s, sloNanos, maxLabelValues, names.recordErrorsTotal(),
                warnings));
    }

    /** The metric names of this run. */
    public MetricNames names() {
        return names;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** What the start push sends: the start time and {@code running 1}. */
    public List<MetricFamilySamples> collectStart() {
        List<MetricFamilySamples> out = new ArrayList<>();
        FamilyBuilder.gauge(names.startTimestamp(), "Unix time the job started.")
                .add(startEpochMillis / 1000.0).addTo(out);
        FamilyBuilder.gauge(names.running(), "1 while the run is in progress, 0 once it ended.").add(1).addTo(out);
        return out;
    }

    /**
     * What a remote-write start sample holds: {@link #collectStart()} and the job's duration objective, which a
     * receiver has no group to keep from an earlier run (BatchJobStuckRunning compares against it).
     */
    public List<MetricFamilySamples> collectStartWithObjective() {
        List<MetricFamilySamples> out = collectStart();
        if (jobSlo != null) {
            FamilyBuilder.gauge(names.durationSlo(), "Job duration objective in seconds.")
                    .add(jobSlo.toNanos() / 1e9).addTo(out);
        }
        return out;
    }

    /** Every run and record metric of the finished run. */
    public List<MetricFamilySamples> collect(RunEnding ending) {
        requireNonNull(ending, "ending must not be null");
        List<MetricFamilySamples> out = new ArrayList<>();
        double end = ending.endEpochMillis() / 1000.0;
        FamilyBuilder.gauge(names.startTimestamp(), "Unix time the job started.")
                .add(startEpochMillis / 1000.0).addTo(out);
        FamilyBuilder.gauge(names.duration(), "Wall time of this run in seconds.")
                .add(Math.max(0, ending.endEpochMillis() - startEpochMillis) / 1000.0).addTo(out);
        FamilyBuilder.gauge(names.lastCompletion(), "Unix time the last run ended, however it ended.")
                .add(end).addTo(out);
        if (ending.success()) {
            FamilyBuilder.gauge(names.lastSuccess(), "Unix time of the last successful run.").add(end).addTo(out);
        } else {
            FamilyBuilder.gauge(names.lastFailure(), "Unix time of the last failed run.").add(end).addTo(out);
            FamilyBuilder.gauge(names.failureReason(), "1, labelled with why the run failed.", "reason")
                    .add(1, ending.reason().orElseThrow().label()).addTo(out);
        }
        FamilyBuilder.gauge(names.success(), "1 if this run succeeded, else 0.")
                .add(ending.success() ? 1 : 0).addTo(out);
        ending.exitCode().ifPresent(code -> FamilyBuilder.gauge(names.exitCode(),
                "Exit status of the job (128+N when killed by signal N).").add(code).addTo(out));
        if (jobSlo != null) {
            FamilyBuilder.gauge(names.durationSlo(), "Job duration objective in seconds.")
                    .add(jobSlo.toNanos() / 1e9).addTo(out);
        }
        FamilyBuilder.gauge(names.running(), "1 while the run is in progress, 0 once it ended.").add(0).addTo(out);
        FamilyBuilder.gauge(names.info(), "1, labelled with the jobmetrics version and how the run was measured.",
                "version", "mode").add(1, version, mode).addTo(out);
        addSloThresholds(out);
        addRecords(out);
        return out;
    }

    /**
     * Only the record counters, for handing off to a runner that owns the run metrics (start, duration, ending)
     * and exports the same thresholds, which it passes to the job.
     */
    public List<MetricFamilySamples> collectRecords() {
        List<MetricFamilySamples> out = new ArrayList<>();
        addRecords(out);
        return out;
    }

    private void addSloThresholds(List<MetricFamilySamples> out) {
        FamilyBuilder sloGauge = FamilyBuilder.gauge(names.recordSlo(), "Record duration threshold in seconds.",
                "slo");
        for (int i = 0; i < sloNanos.length; i++) {
            sloGauge.add(sloNanos[i] / 1e9, sloLabels[i]);
        }
        sloGauge.addTo(out);
    }

    private void addRecords(List<MetricFamilySamples> out) {
        FamilyBuilder records = FamilyBuilder.counter(names.recordsTotal(),
                "Records processed, successful or not.", "stage");
        FamilyBuilder errors = FamilyBuilder.counter(names.recordErrorsTotal(),
                "Records that failed, by exception class.", "stage", "error");
        FamilyBuilder overSlo = FamilyBuilder.counter(names.recordsOverSloTotal(),
                "Records whose duration exceeded the threshold slo (seconds).", "stage", "slo");
        FamilyBuilder duration = FamilyBuilder.counter(names.recordDurationSecondsTotal(),
                "Running sum of record durations in seconds.", "stage");
        FamilyBuilder input = FamilyBuilder.counter(names.inputRecordsTotal(), "Records read.", "stage");
        FamilyBuilder output = FamilyBuilder.counter(names.outputRecordsTotal(), "Records written.", "stage");
        FamilyBuilder dropped = FamilyBuilder.counter(names.labelValuesDroppedTotal(),
                "Label values counted as \"other\" by the cardinality guard.", "metric", "label");

        for (StageCounters s : sorted(stages.values()).values()) {
            String stage = s.stage();
            // A stage exists because the job or a pattern named it: it shows zeros rather than nothing, so a run
            // that processed nothing says so instead of leaving a reader to guess.
            records.add(s.records(), stage);
            duration.add(nanosToSeconds(s.durationNanos()), stage);
            for (int i = 0; i < sloNanos.length; i++) {
                overSlo.add(s.overSlo(i), stage, sloLabels[i]);
            }
            for (Map.Entry<String, LongAdder> e : sorted(s.errors().values()).entrySet()) {
                errors.add(e.getValue().sum(), stage, e.getKey());
            }
            if (s.input() > 0) {
                input.add(s.input(), stage);
            }
            if (s.output() > 0) {
                output.add(s.output(), stage);
            }
            addDropped(dropped, s.errors());
        }
        addDropped(dropped, stages);
        for (FamilyBuilder f : List.of(records, errors, overSlo, duration, input, output, dropped)) {
            f.addTo(out);
        }
    }

    private static void addDropped(FamilyBuilder dropped, LabelGuard<?> guard) {
        long n = guard.dropped();
        if (n > 0) {
            dropped.add(n, guard.metric(), guard.label());
        }
    }

    private static <V> TreeMap<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    /** Exact decimal seconds: a running sum of nanoseconds is exact; only the final division rounds. */
    static double nanosToSeconds(long nanos) {
        return nanos / 1e9;
    }

    /** Builds a {@link RunRegistry}; every setting has the contract's default. */
    public static final class Builder {
        private String metricPrefix = MetricNames.DEFAULT_PREFIX;
        private List<Duration> recordSlos = List.of();
        @Nullable private Duration jobSlo;
        private int maxLabelValues = 20;
        private String mode = "api";
        private String version = Version.current();
        private long startEpochMillis = System.currentTimeMillis();
        private Consumer<String> warnings = w -> { };

        private Builder() {
        }

        /** Prefix of every run and record metric; default {@code batch_job}. */
        public Builder metricPrefix(String prefix) {
            this.metricPrefix = requireNonNull(prefix, "prefix must not be null");
            return this;
        }

        /** Record duration thresholds; default none. */
        public Builder recordSlos(List<Duration> slos) {
            List<Duration> copy = List.copyOf(slos);
            for (Duration d : copy) {
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("record SLO thresholds must be positive, was " + d);
                }
            }
            this.recordSlos = copy.stream().distinct().sorted().toList();
            return this;
        }

        /** The job duration objective; default none. */
        public Builder jobSlo(@Nullable Duration slo) {
            this.jobSlo = slo;
            return this;
        }

        /** Cardinality bound per label and metric, {@code other} included; default 20. */
        public Builder maxLabelValues(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLabelValues must be at least 1, was " + max);
            }
            this.maxLabelValues = max;
            return this;
        }

        /** {@code runner}, {@code agent} or {@code api}; default {@code api}. */
        public Builder mode(String mode) {
            this.mode = requireNonNull(mode, "mode must not be null");
            return this;
        }

        /** The tool version shown in {@code batch_job_info}; default the jar's. */
        public Builder version(String version) {
            this.version = requireNonNull(version, "version must not be null");
            return this;
        }

        /** When the run started; default now. */
        public Builder startEpochMillis(long millis) {
            this.startEpochMillis = millis;
            return this;
        }

        /** Where one-line warnings go (labels dropped); default nowhere. */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = requireNonNull(warnings, "warnings must not be null");
            return this;
        }

        public RunRegistry build() {
            return new RunRegistry(this);
        }
    }
}
