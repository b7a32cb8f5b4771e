package io.github.jobmetrics.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunRegistryTest {
    private static double value(List<MetricFamilySamples> families, String sampleName, String... labelValues) {
        for (MetricFamilySamples f : families) {
            for (Sample s : f.samples) {
                if (s.name.equals(sampleName) && s.labelValues.equals(List.of(labelValues))) {
                    return s.value;
                }
            }
        }
        throw new AssertionError("no sample " + sampleName + List.of(labelValues) + " in " + families);
    }

    private static boolean has(List<MetricFamilySamples> families, String sampleName) {
        return families.stream().flatMap(f -> f.samples.stream()).anyMatch(s -> s.name.equals(sampleName));
    }

    @Test
    void eightThreadsRecordingAMillionRecordsEachGiveExactTotals() throws Exception {
        RunRegistry registry = RunRegistry.builder()
                .recordSlos(List.of(Duration.ofNanos(500), Duration.ofNanos(900))).build();
        StageCounters stage = registry.stage("load");
        int threads = 8;
        int perThread = 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    // durations 0..999 ns: 499 of every 1000 exceed 500, 99 exceed 900
                    long d = i % 1000;
                    if (i % 100 == 0) {
                        stage.recordFailure(d, new IllegalStateException());
                    } else {
                        stage.recordSuccess(d);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<MetricFamilySamples> out = registry.collect(RunEnding.success(2_000));
        long total = (long) threads * perThread;
        assertEquals(total, (long) value(out, "batch_job_records_total", "load"));
        assertEquals(total / 100, (long) value(out, "batch_job_record_errors_total", "load", "IllegalStateException"));
        assertEquals(total / 1000 * 499, (long) value(out, "batch_job_records_over_slo_total", "load", "0.0000005"));
        assertEquals(total / 1000 * 99, (long) value(out, "batch_job_records_over_slo_total", "load", "0.0000009"));
        // sum of 0..999 is 499500 ns per 1000 records
        assertEquals(total / 1000 * 499_500 / 1e9, value(out, "batch_job_record_duration_seconds_total", "load"),
                1e-12);
    }

    @Test
    void configuredStageThatSawNoCallsShowsZeros() {
        RunRegistry registry = RunRegistry.builder().recordSlos(List.of(Duration.ofMillis(250))).build();
        registry.stage("load");
        for (List<MetricFamilySamples> out : List.of(registry.collect(RunEnding.failure(1_000,
                FailureReason.EXIT_CODE, 1)), registry.collectRecords())) {
            assertEquals(0, value(out, "batch_job_records_total", "load"));
            assertEquals(0, value(out, "batch_job_record_duration_seconds_total", "load"));
            assertEquals(0, value(out, "batch_job_records_over_slo_total", "load", "0.25"));
        }
    }

    @Test
    void successfulRunHasLastSuccessAndNoFailureMetrics() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(1_000).jobSlo(Duration.ofHours(1)).build();
        List<MetricFamilySamples> out = r.collect(RunEnding.success(3_500));
        assertEquals(1.0, value(out, "batch_job_start_timestamp_seconds"));
        assertEquals(2.5, value(out, "batch_job_duration_seconds"));
        assertEquals(3.5, value(out, "batch_job_last_success_timestamp_seconds"));
        assertEquals(3.5, value(out, "batch_job_last_completion_timestamp_seconds"));
        assertEquals(1.0, value(out, "batch_job_success"));
        assertEquals(0.0, value(out, "batch_job_exit_code"));
        assertEquals(0.0, value(out, "batch_job_running"));
        assertEquals(3600.0, value(out, "batch_job_duration_slo_seconds"));
        assertFalse(has(out, "batch_job_last_failure_timestamp_seconds"));
        assertFalse(has(out, "batch_job_failure_reason"));
        assertFalse(has(out, "batch_job_records_total"), "no stage was used");
    }

    @Test
    void failedRunHasReasonAndExitCodeButNoLastSuccess() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(1_000).build();
        List<MetricFamilySamples> out = r.collect(RunEnding.failure(2_000, FailureReason.SIGNAL, 143));
        assertEquals(1.0, value(out, "batch_job_failure_reason", "signal"));
        assertEquals(143.0, value(out, "batch_job_exit_code"));
        assertEquals(0.0, value(out, "batch_job_success"));
        assertEquals(2.0, value(out, "batch_job_last_failure_timestamp_seconds"));
        assertFalse(has(out, "batch_job_last_success_timestamp_seconds"));
    }

    @Test
    void startSnapshotHoldsOnlyStartTimeAndRunningMarker() {
        List<MetricFamilySamples> out = RunRegistry.builder().startEpochMillis(5_000).build().collectStart();
        assertEquals(2, out.size());
        assertEquals(5.0, value(out, "batch_job_start_timestamp_seconds"));
        assertEquals(1.0, value(out, "batch_job_running"));
    }

    @Test
    void sloThresholdsAreExportedAsGaugesWithPlainDecimalLabels() {
        RunRegistry r = RunRegistry.builder()
                .recordSlos(List.of(Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofMillis(250))).build();
        r.stage("main").recordSuccess(300_000_000);
        List<MetricFamilySamples> out = r.collect(RunEnding.success(1));
        assertEquals(0.25, value(out, "batch_job_record_slo_seconds", "0.25"));
        assertEquals(10.0, value(out, "batch_job_record_slo_seconds", "10"));
        assertEquals(1.0, value(out, "batch_job_records_over_slo_total", "main", "0.25"));
        assertEquals(0.0, value(out, "batch_job_records_over_slo_total", "main", "10"));
    }

    @Test
    void cardinalityGuardFoldsExtraErrorClassesIntoOtherAndCountsThem() {
        List<String> warnings = new ArrayList<>();
        RunRegistry r = RunRegistry.builder().maxLabelValues(3).warnings(warnings::add).build();
        StageCounters s = r.stage("main");
        Throwable[] errors = {new IllegalStateException(), new IllegalArgumentException(),
            new ArithmeticException(), new ArrayStoreException(), new ClassCastException()};
        for (Throwable e : errors) {
            s.recordFailure(1, e);
        }
        List<MetricFamilySamples> out = r.collect(RunEnding.success(1));
        long errorSeries = out.stream().filter(f -> f.name.equals("batch_job_record_errors"))
                .mapToLong(f -> f.samples.size()).sum();
        assertEquals(3, errorSeries, "bounded to 3 values, other included");
        assertEquals(3.0, value(out, "batch_job_record_errors_total", "main", "other"));
        assertEquals(3.0, value(out, "batch_job_label_values_dropped_total", "batch_job_record_errors_total", "error"));
        assertEquals(1, warnings.size(), "reported once: " + warnings);
        assertTrue(warnings.get(0).contains("max-label-values"), warnings.get(0));
    }

    @Test
    void anonymousExceptionClassGetsABoundedName() {
        RunRegistry r = RunRegistry.builder().build();
        r.stage("main").recordFailure(1, new RuntimeException("user 12345 not found") { });
        List<MetricFamilySamples> out = r.collect(RunEnding.success(1));
        assertEquals(1.0, value(out, "batch_job_record_errors_total", "main", "RunRegistryTest$1"));
    }

    @Test
    void prefixChangesEveryName() {
        RunRegistry r = RunRegistry.builder().metricPrefix("etl").build();
        r.stage("main").recordSuccess(1);
        List<MetricFamilySamples> out = r.collect(RunEnding.success(1));
        assertTrue(out.stream().allMatch(f -> f.name.startsWith("etl_")), out.toString());
    }
}
