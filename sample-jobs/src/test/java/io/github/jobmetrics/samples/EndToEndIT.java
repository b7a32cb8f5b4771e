package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayProcess;
import io.github.jobmetrics.testing.ScrapingPrometheus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's central promise, end to end: the sample API job runs as a real JVM against a real Pushgateway,
 * a real Prometheus scrapes it every second with {@code honor_labels: true} and evaluates docs/prometheus/rules.yml,
 * and what Prometheus' HTTP API answers equals, exactly, the figures known from the seeded input.
 *
 * <p>Seeded input of 500 rows: 10 are malformed (transform errors), so 490 reach load, and 25 rows are slow, 5 of
 * them malformed, so 20 loaded rows sleep 150 ms against a 100 ms threshold (a margin no scheduling stall on a
 * busy machine crosses; a fast record takes microseconds). (The runner and agent paths are added here when they
 * land.)
 */
class EndToEndIT {
    private static final int ROWS = 500;
    private static final int MALFORMED = SeededRows.malformedCount(ROWS);
    private static final int LOADED = ROWS - MALFORMED;
    private static final int SLOW_LOADED = SeededRows.slowCount(ROWS) - ROWS / 100;
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.eE+-]+,\"([^\"]+)\"\\]");

    private static PushgatewayProcess gateway;
    private static ScrapingPrometheus prometheus;
    private static Path tmp;

    /** The gateway's figures after each job's last run, read from its /metrics page. */
    private static String singlePage;
    private static String accumulatedPage;

    @BeforeAll
    static void runTheJobs() throws Exception {
        tmp = Files.createTempDirectory("e2e");
        // A per-job expectation, as docs/prometheus/rules.yml tells users to write one: e2e_stale must succeed
        // every 3 s, so BatchJobNoRecentSuccess fires soon after its one successful run.
        Path expectations = tmp.resolve("expectations.yml");
        Files.writeString(expectations, "groups:\n"
                + "  - name: e2e-expectations\n"
                + "    rules:\n"
                + "      - record: jobmetrics:expected_success_interval_seconds\n"
                + "        expr: vector(3)\n"
                + "        labels:\n"
                + "          job: e2e_stale\n", StandardCharsets.UTF_8);
        gateway = PushgatewayProcess.start();
        prometheus = ScrapingPrometheus.start(gateway.baseUri(),
                List.of(PrometheusRulesIT.RULES_DIR.resolve("rules.yml"), expectations));

        // accumulate off: the second run replaces the first, the group holds one run
        for (int i = 0; i < 2; i++) {
            runJob("e2e_single", false);
        }
        singlePage = gateway.metricsPage();

        // accumulate on: three runs, each scraped before the next, so increase() sees every step
        for (int i = 1; i <= 3; i++) {
            runJob("e2e_acc", true);
            awaitValue("batch_job_records_total{job=\"e2e_acc\",stage=\"transform\"}", ROWS * i, 0);
        }
        accumulatedPage = gateway.metricsPage();

        // the same job without jobmetrics code: through the runner (which attaches the agent) with accumulate,
        // and with the agent alone
        for (int i = 1; i <= 2; i++) {
            assertEquals(0, runThroughRunner("e2e_runner_acc"));
            awaitValue("batch_job_records_total{job=\"e2e_runner_acc\",stage=\"transform\"}", ROWS * i, 0);
        }
        assertEquals(0, runWithAgent("e2e_agent"));

        assertEquals(3, runJob("e2e_failed", false, "--fail", "exit"));
        runJob("e2e_stale", false);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (tmp != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temp directory; the OS cleans it
            }
        }
    }

    private static void runJob(String job, boolean accumulate) throws Exception {
        assertEquals(0, runJob(job, accumulate, new String[0]));
    }

    private static int runJob(String job, boolean accumulate, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("jobmetricsTest.apiEtlJar"), "--rows", Integer.toString(ROWS),
                "--slow-ms", "150"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("JOBMETRICS_GATEWAY", gateway.baseUri().toString());
        env.put("JOBMETRICS_JOB", job);
        env.put("JOBMETRICS_RECORD_SLO", "100ms,5s");
        env.put("JOBMETRICS_JOB_SLO", "1h");
        env.put("JOBMETRICS_ACCUMULATE", Boolean.toString(accumulate));
        env.put("JOBMETRICS_SPOOL_DIR", tmp.resolve("spool").toString());
        Path err = tmp.resolve(job + ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(job + " did not end within 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && extraArgs.length == 0) {
            throw new AssertionError(job + " exited " + p.exitValue() + ": " + stderr);
        }
        return p.exitValue();
    }

    private static final String PLAIN = "io.github.jobmetrics.samples.PlainEtlJob";
    private static final String STAGES = "transform=" + PLAIN + "#transform";

    private static int runThroughRunner(String job) throws Exception {
        return run(job, List.of("-jar", System.getProperty("jobmetricsTest.runnerJar"),
                "--gateway", gateway.baseUri().toString(), "--job", job, "--record-slo", "100ms,5s", "--accumulate",
                "--spool-dir", tmp.resolve("spool").toString(), "--records-stage", STAGES,
                "--records-stage", "load=" + PLAIN + "#load", "--",
                System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", Integer.toString(ROWS), "--slow-ms", "150"));
    }

    private static int runWithAgent(String job) throws Exception {
        return run(job, List.of("-javaagent:" + System.getProperty("jobmetricsTest.agentJar") + "=gateway="
                + gateway.baseUri() + ",job=" + job + ",record-slo=100ms,5s,spool-dir=" + tmp.resolve("spool")
                + ",records." + STAGES + ",records.load=" + PLAIN + "#load",
                "-jar", System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", Integer.toString(ROWS),
                "--slow-ms", "150"));
    }

    private static int run(String job, List<String> javaArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(javaArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(tmp.resolve(job + ".err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBMETRICS_"));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(job + " did not end within 60 s");
        }
        return p.exitValue();
    }

    /** The single value of an instant query, or null while it has no result. */
    private static String valueOf(String promql) throws Exception {
        String body = prometheus.query(promql);
        Matcher m = VALUE.matcher(body);
        if (!m.find()) {
            return null;
        }
        String value = m.group(1);
        if (m.find()) {
            throw new AssertionError("more than one series for " + promql + ": " + body);
        }
        return value;
    }

    /**
     * Polls (within {@link #BOUND}) until {@code promql} has exactly one result within {@code tolerance} of
     * {@code expected} (0: the same double), then returns it; fails with the last answer otherwise.
     */
    private static double awaitValue(String promql, double expected, double tolerance) throws Exception {
        long end = System.nanoTime() + BOUND.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            last = valueOf(promql);
            if (last != null && Math.abs(Double.parseDouble(last) - expected) <= tolerance) {
                return Double.parseDouble(last);
            }
            Thread.sleep(200);
        }
        throw new AssertionError(promql + ": expected " + expected + (tolerance == 0 ? " exactly" : " ± " + tolerance)
                + " within " + BOUND.toSeconds() + " s, last answer " + last);
    }

    /** A sample's value on the gateway's /metrics page, as the exact double Prometheus scrapes. */
    private static double gatewayValue(String page, String series) {
        return page.lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .mapToDouble(Double::parseDouble).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " on the gateway:\n" + page));
    }

    private static void awaitAlert(String alertname, String job) throws Exception {
        long end = System.nanoTime() + BOUND.toNanos();
        String body = "";
        while (System.nanoTime() < end) {
            body = prometheus.alerts();
            if (firing(body, alertname, job)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(alertname + " for job " + job + " did not fire within " + BOUND.toSeconds()
                + " s; alerts: " + body);
    }

    /** Whether one alert object of /api/v1/alerts has this name, this job and state firing. */
    private static boolean firing(String alertsJson, String alertname, String job) {
        for (String alert : alertsJson.split("\\{\"labels\":")) {
            if (alert.contains("\"alertname\":\"" + alertname + "\"") && alert.contains("\"job\":\"" + job + "\"")
                    && alert.contains("\"state\":\"firing\"")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void errorRatioIsExactlyTheSeededShareOfMalformedRows() throws Exception {
        double seeded = (double) MALFORMED / ROWS; // 10 / 500
        awaitValue("job_stage:batch_job_record_errors:ratio{job=\"e2e_single\",stage=\"transform\"}", seeded, 0);
        // three accumulated runs: 30 / 1500, the same double as 10 / 500
        awaitValue("job_stage:batch_job_record_errors:ratio{job=\"e2e_acc\",stage=\"transform\"}", seeded, 0);
        awaitValue("job_stage:batch_job_record_errors:ratio{job=\"e2e_acc\",stage=\"load\"}", 0, 0);
    }

    @Test
    void sloAttainmentIsExactlyTheSeededShareOfFastRows() throws Exception {
        double seeded = 1 - (double) SLOW_LOADED / LOADED; // 1 - 20 / 490
        awaitValue("job_stage_slo:batch_job_records_within_slo:ratio{job=\"e2e_single\",stage=\"load\",slo=\"0.1\"}",
                seeded, 0);
        awaitValue("job_stage_slo:batch_job_records_within_slo:ratio{job=\"e2e_acc\",stage=\"load\",slo=\"0.1\"}",
                seeded, 0);
        awaitValue("job_stage_slo:batch_job_records_within_slo:ratio{job=\"e2e_acc\",stage=\"load\",slo=\"5\"}", 1, 0);
    }

    @Test
    void runnerAndAgentWithoutAnyJobmetricsCodeGiveTheSameExactFigures() throws Exception {
        double errors = (double) MALFORMED / ROWS;
        double attainment = 1 - (double) SLOW_LOADED / LOADED;
        for (String job : List.of("e2e_runner_acc", "e2e_agent")) {
            awaitValue("job_stage:batch_job_record_errors:ratio{job=\"" + job + "\",stage=\"transform\"}", errors, 0);
            awaitValue("job_stage_slo:batch_job_records_within_slo:ratio{job=\"" + job
                    + "\",stage=\"load\",slo=\"0.1\"}", attainment, 0);
        }
        awaitValue("batch_job_info{job=\"e2e_runner_acc\",mode=\"runner\"}", 1, 0);
        awaitValue("batch_job_info{job=\"e2e_agent\",mode=\"agent\"}", 1, 0);
    }

    @Test
    void meanRecordDurationIsExactlyThePushedSumOverThePushedCount() throws Exception {
        String g = "{instance=\"\",job=\"e2e_single\",stage=\"load\"}";
        double single = gatewayValue(singlePage, "batch_job_record_duration_seconds_total" + g)
                / gatewayValue(singlePage, "batch_job_records_total" + g);
        awaitValue("job_stage:batch_job_record_duration_seconds:mean{job=\"e2e_single\",stage=\"load\"}", single, 0);
        // 20 of 490 rows slept 150 ms: the mean cannot be below that share
        assertTrue(single >= SLOW_LOADED * 0.150 / LOADED, "mean " + single);

        String a = "{instance=\"\",job=\"e2e_acc\",stage=\"load\"}";
        assertEquals(3.0 * LOADED, gatewayValue(accumulatedPage, "batch_job_records_total" + a));
        double accumulated = gatewayValue(accumulatedPage, "batch_job_record_duration_seconds_total" + a)
                / gatewayValue(accumulatedPage, "batch_job_records_total" + a);
        awaitValue("job_stage:batch_job_record_duration_seconds:mean{job=\"e2e_acc\",stage=\"load\"}", accumulated, 0);
    }

    @Test
    void windowedRulesSeeTheAccumulatedRunsUpToExtrapolationRounding() throws Exception {
        // increase() scales numerator and denominator by the same extrapolation factor; only rounding remains
        awaitValue("job_stage:batch_job_record_errors:ratio1h{job=\"e2e_acc\",stage=\"transform\"}",
                (double) MALFORMED / ROWS, 1e-12);
        awaitValue("job_stage:batch_job_record_errors:burn_rate1h{job=\"e2e_acc\",stage=\"transform\"}",
                (double) MALFORMED / ROWS / 0.01, 1e-9);
        awaitValue("job_stage_slo:batch_job_records_within_slo:ratio1d{job=\"e2e_acc\",stage=\"load\",slo=\"0.1\"}",
                1 - (double) SLOW_LOADED / LOADED, 1e-12);
    }

    @Test
    void failedRunFiresBatchJobFailed() throws Exception {
        awaitValue("batch_job_exit_code{job=\"e2e_failed\"}", 3, 0);
        awaitAlert("BatchJobFailed", "e2e_failed");
        assertFalse(firing(prometheus.alerts(), "BatchJobFailed", "e2e_single"), "a successful job is not failed");
    }

    @Test
    void missingSuccessFiresBatchJobNoRecentSuccessAfterTheJobsOwnInterval() throws Exception {
        awaitAlert("BatchJobNoRecentSuccess", "e2e_stale");
        // the other jobs fall under the 26 h default
        assertFalse(firing(prometheus.alerts(), "BatchJobNoRecentSuccess", "e2e_single"), prometheus.alerts());
    }

    @Test
    void jobAndInstanceComeFromThePushNotFromTheScrapeTarget() throws Exception {
        awaitValue("count(batch_job_info{job=\"e2e_single\",mode=\"api\",instance=\"\"})", 1, 0);
        awaitValue("count(batch_job_success{job=\"pushgateway\"}) or vector(0)", 0, 0);
    }
}
