package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jobmetrics.api.JobMetrics;
import io.github.jobmetrics.api.JobRun;
import io.github.jobmetrics.api.RecordTimer;
import io.github.jobmetrics.api.Stage;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.testing.ActiveAlerts;
import io.github.jobmetrics.testing.PrometheusProcess;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import io.github.jobmetrics.testing.VmalertProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/prometheus/rules-remote-write.yml run by real rule evaluators, not only as queries: a Prometheus 2.42
 * remote-write receiver loading the file through {@code rule_files}, and vmalert evaluating it against a
 * VictoriaMetrics and writing its results back into it, both every second. Runs are written to each by the
 * library's own remote-write path (the API, {@link JobMetrics#startExecution}); the recorded series the ruler
 * wrote and the alerts it holds are then read back: the exact seeded error share, SLO attainment and mean record
 * duration (VictoriaMetrics stores them to 12 significant digits, see {@link Ruler}), BatchJobFailed for a failed
 * run, BatchJobErrorBudgetFastBurn for a run with many errors, and
 * BatchJobStuckRunning for a run still going past its 1 s objective until it ends. The rules have no {@code for:},
 * so an alert fires at the first evaluation that sees its condition.
 */
class RemoteWriteRulersIT {
    private static final Path RULES = Path.of("..", "docs", "prometheus", "rules-remote-write.yml")
            .toAbsolutePath().normalize();
    private static final Duration POLL_BOUND = Duration.ofSeconds(30);
    private static final int TRANSFORM_RECORDS = 200;
    private static final int TRANSFORM_ERRORS = 37;
    private static final int LOAD_RECORDS = TRANSFORM_RECORDS - TRANSFORM_ERRORS;
    private static final int LOAD_SLOW = 2;
    private static final Duration RECORD_SLO = Duration.ofMillis(250);
    private static final String ERRORS_JOB = "rulers_errors";
    private static final String FAILED_JOB = "rulers_failed";

    private static PrometheusProcess prometheus;
    private static VictoriaMetricsProcess victoria;
    private static VmalertProcess vmalert;
    private static Path spool;

    /**
     * A store and the ruler evaluating the rules file over it. {@code storedDigits} is how many significant
     * decimal digits of a value the store keeps: Prometheus keeps the double as it is (17); VictoriaMetrics 1.79
     * keeps 12 of a value that is not a whole number (checked by hand: 0.9877300613496932 written, 0.987730061349
     * read back), so a recorded series vmalert writes back holds the ruler's exact result cut to 12 digits, while
     * a query computing the same expression from the raw samples gives the full double.
     */
    private record Ruler(String name, URI writeUri, Query query, Get alerts, int storedDigits) {
        /** Whether {@code stored} is {@code expected} as this store keeps it. */
        boolean holdsAsStored(double expected, double stored) {
            if (storedDigits >= 17) {
                return expected == stored;
            }
            return Math.abs(expected - stored) <= Math.abs(expected) * Math.pow(10, 1 - storedDigits);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private interface Query {
        /** The single value of an instant query now, as the store printed it. */
        String scalar(String promql) throws Exception;
    }

    private interface Get {
        String body() throws Exception;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    @BeforeAll
    static void startTheRulersAndWriteTheRuns() throws Exception {
        spool = Files.createTempDirectory("rulers-spool");
        long started = System.nanoTime();
        // Appended right after the helper's `global:` block, so the first line below is still part of it.
        prometheus = PrometheusProcess.start("  evaluation_interval: 1s\nrule_files:\n  - " + RULES + "\n");
        victoria = VictoriaMetricsProcess.start();
        vmalert = VmalertProcess.start(RULES, victoria, Duration.ofSeconds(1));
        System.out.println("rulers evidence: prometheus, victoria-metrics and vmalert ready in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        for (Ruler r : rulers().toList()) {
            runWithErrorsAndSlowRecords(r);
            try (JobRun run = JobMetrics.startExecution(settings(r.writeUri(), FAILED_JOB))) {
                run.fail(2);
            }
        }
    }

    @AfterAll
    static void stopTheRulers() {
        try {
            if (vmalert != null) {
                vmalert.close();
            }
        } finally {
            try {
                if (victoria != null) {
                    victoria.close();
                }
            } finally {
                if (prometheus != null) {
                    prometheus.close();
                }
            }
        }
    }

    static Stream<Ruler> rulers() {
        return Stream.of(new Ruler("prometheus rule manager", prometheus.writeUri(),
                        q -> prometheus.scalar(q, System.currentTimeMillis()), () -> prometheus.get("/api/v1/alerts"), 17),
                new Ruler("vmalert over victoria-metrics", victoria.writeUri(), q -> {
                    victoria.flush();
                    return victoria.scalar(q, System.currentTimeMillis());
                }, () -> vmalert.get("/api/v1/alerts"), 12));
    }

    private static Settings settings(URI receiver, String job, String... more) throws Exception {
        Map<String, String> explicit = new HashMap<>();
        explicit.put("remote-write", receiver.toString());
        explicit.put("job", job);
        explicit.put("spool-dir", spool.toString());
        explicit.put("push-timeout", "5s");
        for (int i = 0; i < more.length; i += 2) {
            explicit.put(more[i], more[i + 1]);
        }
        return SettingsLoader.load(explicit, "test", new Properties(), Map.of());
    }

    /**
     * One successful run: 200 transform records of which 37 fail, and the 163 good ones loaded, 2 of them slower
     * than the 250 ms record objective.
     */
    private static void runWithErrorsAndSlowRecords(Ruler r) throws Exception {
        try (JobRun run = JobMetrics.startExecution(settings(r.writeUri(), ERRORS_JOB, "record-slo",
                RECORD_SLO.toMillis() + "ms"))) {
            Stage transform = run.stage("transform");
            Stage load = run.stage("load");
            for (int i = 0; i < TRANSFORM_RECORDS; i++) {
                try (RecordTimer t = transform.start()) {
                    if (i < TRANSFORM_ERRORS) {
                        t.fail(new IllegalArgumentException("malformed row " + i));
                    }
                }
            }
            for (int i = 0; i < LOAD_RECORDS; i++) {
                try (RecordTimer t = load.start()) {
                    if (i < LOAD_SLOW) {
                        // A slow record: 100 ms past the objective, so a stalled clock cannot make it fast.
                        LockSupport.parkNanos(RECORD_SLO.plusMillis(100).toNanos());
                    }
                }
            }
        }
    }

    /** The value once it is {@code expected}, or whatever it is (or why there is none) after {@link #POLL_BOUND}. */
    private static String settled(Ruler r, String promql, String expected) throws Exception {
        return settled(r, promql, expected::equals);
    }

    /** The value once {@code ok} accepts it, or whatever it is (or why there is none) after {@link #POLL_BOUND}. */
    private static String settled(Ruler r, String promql, Predicate<String> ok) throws Exception {
        long end = System.nanoTime() + POLL_BOUND.toNanos();
        while (true) {
            String value;
            try {
                value = r.query().scalar(promql);
            } catch (IOException e) {
                value = e.getMessage();
            }
            if (ok.test(value) || System.nanoTime() > end) {
                return value;
            }
            Thread.sleep(200);
        }
    }

    private static void await(String what, Check check) throws Exception {
        long end = System.nanoTime() + POLL_BOUND.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                fail("not within " + POLL_BOUND + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    private static boolean alert(Ruler r, String alertname, String job, String state) throws Exception {
        return ActiveAlerts.has(r.alerts().body(), alertname, job, state);
    }

    private static String recorded(String record, String stage, String... slo) {
        return record + "{job=\"" + ERRORS_JOB + "\",stage=\"" + stage + "\""
                + (slo.length == 0 ? "" : ",slo=\"" + slo[0] + "\"") + "}";
    }

    /** The raw per-run sample the run wrote, as a double (one run, so its sum over the hour). */
    private static double written(Ruler r, String name, String stage) throws Exception {
        String query = "sum_over_time(" + name + "{job=\"" + ERRORS_JOB + "\",stage=\"" + stage + "\"}[1h])";
        String[] value = new String[1];
        await(query + " on " + r, () -> {
            try {
                value[0] = r.query().scalar(query);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return Double.parseDouble(value[0]);
    }

    private static void assertRecorded(Ruler r, double expected, String series) throws Exception {
        String got = settled(r, series, v -> isNumber(v) && r.holdsAsStored(expected, Double.parseDouble(v)));
        System.out.println("rulers evidence: " + r + ": " + series + " = " + got + " (expected " + expected + ")");
        assertTrue(isNumber(got) && r.holdsAsStored(expected, Double.parseDouble(got)), r + ": " + series
                + " is " + got + ", expected " + expected + " to " + r.storedDigits() + " significant digits");
    }

    private static boolean isNumber(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulers")
    void theRulerRecordsTheSeededErrorShareAndItsBurnRateExactly(Ruler r) throws Exception {
        double share = (double) TRANSFORM_ERRORS / TRANSFORM_RECORDS;
        assertRecorded(r, share, recorded("job_stage:batch_job_record_errors:ratio1h", "transform"));
        assertRecorded(r, share, recorded("job_stage:batch_job_record_errors:ratio5m", "transform"));
        assertRecorded(r, share / 0.01, recorded("job_stage:batch_job_record_errors:burn_rate1h", "transform"));
        assertRecorded(r, 0.0, recorded("job_stage:batch_job_record_errors:ratio1h", "load"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulers")
    void theRulerRecordsTheSeededSloAttainmentAndTheRunsMeanRecordDurationExactly(Ruler r) throws Exception {
        String slo = Double.toString(RECORD_SLO.toMillis() / 1000.0);
        double attainment = 1 - (double) LOAD_SLOW / LOAD_RECORDS;
        assertRecorded(r, attainment, recorded("job_stage_slo:batch_job_records_within_slo:ratio1d", "load", slo));
        assertRecorded(r, attainment, recorded("job_stage_slo:batch_job_records_within_slo:ratio30d", "load", slo));
        double mean = written(r, "batch_job_record_duration_seconds_total", "load")
                / written(r, "batch_job_records_total", "load");
        assertTrue(mean >= LOAD_SLOW * 0.35 / LOAD_RECORDS, "two records slept 350 ms: " + mean);
        assertRecorded(r, mean, recorded("job_stage:batch_job_record_duration_seconds:mean1h", "load"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulers")
    void aFailedRunFiresBatchJobFailedAndASuccessfulOneDoesNot(Ruler r) throws Exception {
        await("BatchJobFailed firing for " + FAILED_JOB + " on " + r,
                () -> alert(r, "BatchJobFailed", FAILED_JOB, "firing"));
        assertEquals("1", settled(r, "count(ALERTS{alertname=\"BatchJobFailed\",job=\"" + FAILED_JOB
                + "\",alertstate=\"firing\"})", "1"), "the ruler wrote the ALERTS series to the store");
        assertFalse(alert(r, "BatchJobFailed", ERRORS_JOB, "firing"), "the run with errors succeeded");
        assertFalse(alert(r, "BatchJobFailed", ERRORS_JOB, "pending"), "the run with errors succeeded");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulers")
    void anErrorShareOverFourteenPointFourTimesTheBudgetFiresTheFastBurnAlert(Ruler r) throws Exception {
        await("BatchJobErrorBudgetFastBurn firing for " + ERRORS_JOB + " on " + r,
                () -> alert(r, "BatchJobErrorBudgetFastBurn", ERRORS_JOB, "firing"));
        String alerts = r.alerts().body();
        assertTrue(alerts.contains("\"stage\":\"transform\""), alerts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulers")
    void aRunStillGoingPastItsOneSecondObjectiveFiresBatchJobStuckRunningUntilItEnds(Ruler r) throws Exception {
        String job = "rulers_stuck";
        long started = System.nanoTime();
        JobRun run = JobMetrics.startExecution(settings(r.writeUri(), job, "job-slo", "1s"));
        try {
            await("BatchJobStuckRunning firing for " + job + " on " + r,
                    () -> alert(r, "BatchJobStuckRunning", job, "firing"));
            long firedAfter = Duration.ofNanos(System.nanoTime() - started).toMillis();
            System.out.println("rulers evidence: " + r + ": BatchJobStuckRunning firing " + firedAfter
                    + " ms after the run started (objective 1 s, evaluated every 1 s)");
            assertTrue(firedAfter >= 1_000, "not before the objective passed: " + firedAfter + " ms");
        } finally {
            run.close();
        }
        long ended = System.nanoTime();
        await("BatchJobStuckRunning no longer firing for " + job + " on " + r,
                () -> !alert(r, "BatchJobStuckRunning", job, "firing"));
        String alertsSeries;
        try {
            alertsSeries = r.query().scalar("ALERTS{alertname=\"BatchJobStuckRunning\",job=\"" + job + "\"}");
        } catch (IOException e) {
            alertsSeries = e.getMessage();
        }
        // Only printed: what the store shows of the resolved alert depends on staleness handling, not on the rules.
        System.out.println("rulers evidence: " + r + ": BatchJobStuckRunning resolved "
                + Duration.ofNanos(System.nanoTime() - ended).toMillis() + " ms after the run ended; its ALERTS"
                + " series now: " + alertsSeries);
    }
}
