package io.github.jobmetrics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JobMetricsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private Map<String, String> env(String job) {
        Map<String, String> env = new HashMap<>();
        env.put("JOBMETRICS_GATEWAY", GATEWAY.get().baseUri().toString());
        env.put("JOBMETRICS_JOB", job);
        env.put("JOBMETRICS_RECORD_SLO", "5ms");
        env.put("JOBMETRICS_PUSH_AT_START", "false");
        env.put("JOBMETRICS_SPOOL_DIR", tmp.resolve("spool").toString());
        return env;
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runStartedInJobCodeIsPushedWhenClosed() throws Exception {
        try (JobRun run = JobMetrics.startOrJoin(new Properties(), env("api_job"), err)) {
            assertFalse(run.joined());
            Stage load = run.stage("load");
            load.record(() -> { });
            load.record(() -> Thread.sleep(20));
            assertThrows(IOException.class, () -> load.record(() -> {
                throw new IOException("disk full at /data/x");
            }));
            try (RecordTimer r = load.start()) {
                r.fail(new IllegalArgumentException());
            }
            long t = run.stage().begin();
            run.stage().success(t);
            load.output(2);
        }
        String page = GATEWAY.get().metricsPage();
        String job = "instance=\"\",job=\"api_job\"";
        assertTrue(page.contains("batch_job_records_total{" + job + ",stage=\"load\"} 4"), page);
        assertTrue(page.contains("batch_job_records_total{" + job + ",stage=\"main\"} 1"), page);
        assertTrue(page.contains("batch_job_record_errors_total{error=\"IOException\"," + job + ",stage=\"load\"} 1"), page);
        assertTrue(page.contains("batch_job_records_over_slo_total{" + job + ",slo=\"0.005\",stage=\"load\"} 1"), page);
        assertTrue(page.contains("batch_job_output_records_total{" + job + ",stage=\"load\"} 2"), page);
        assertTrue(page.contains("batch_job_info{" + job + ",mode=\"api\""), page);
        assertFalse(page.contains("disk full"), "messages never become labels");
        assertTrue(err().contains("pushed PUT"), err());
    }

    @Test
    void secondStartInTheSameJvmJoinsTheFirstRun() {
        try (JobRun outer = JobMetrics.startOrJoin(new Properties(), env("join_job"), err)) {
            try (JobRun inner = JobMetrics.startOrJoin(new Properties(), env("other_job"), err)) {
                assertTrue(inner.joined());
                inner.stage("x").success(inner.stage("x").begin());
            }
            assertEquals("x", outer.stage("x").name());
        }
        assertEquals(1, err().lines().filter(l -> l.contains("pushed")).count(), err());
    }

    @Test
    void failedRunIsPushedAsFailed() throws Exception {
        try (JobRun run = JobMetrics.startOrJoin(new Properties(), env("failed_api_job"), err)) {
            run.fail(new IllegalStateException("boom"));
        }
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_failure_reason{instance=\"\",job=\"failed_api_job\",reason=\"uncaught_exception\"} 1"),
                page);
    }

    @Test
    void underARunnerTheRunIsHandedOffThroughTheHandoffFile() throws Exception {
        Map<String, String> env = env("handoff_api_job");
        Path textfile = tmp.resolve("handoff.prom");
        env.put("JOBMETRICS_HANDOFF", textfile.toString());
        try (JobRun run = JobMetrics.startOrJoin(new Properties(), env, err)) {
            run.stage("load").input(5);
        }
        assertTrue(Files.readString(textfile).contains("batch_job_input_records_total{stage=\"load\",} 5.0"));
        assertFalse(GATEWAY.get().metricsPage().contains("handoff_api_job"));
    }

    @Test
    void badSettingPrintsOneLineAndTheJobStillRuns() throws Exception {
        Map<String, String> env = env("bad_setting_job");
        env.put("JOBMETRICS_PUSH_TIMEOUT", "ten seconds");
        try (JobRun run = JobMetrics.startOrJoin(new Properties(), env, err)) {
            run.stage().success(run.stage().begin());
        }
        String firstLine = err().lines().findFirst().orElse("");
        assertTrue(firstLine.contains("JOBMETRICS_PUSH_TIMEOUT") && firstLine.contains("not pushed"), err());
        assertFalse(GATEWAY.get().metricsPage().contains("bad_setting_job"), "printed, not pushed");
        assertTrue(err().contains(": 1 record, 0 errors (0%); no gateway set"), err());
    }
}
