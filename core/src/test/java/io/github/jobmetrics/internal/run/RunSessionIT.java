package io.github.jobmetrics.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.StageCounters;
import io.github.jobmetrics.testing.PushgatewayExtension;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RunSessionIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;
    private final List<String> err = new ArrayList<>();

    private Settings settings(String job, String... more) throws Exception {
        Map<String, String> explicit = new HashMap<>();
        explicit.put("gateway", GATEWAY.get().baseUri().toString());
        explicit.put("job", job);
        explicit.put("spool-dir", tmp.resolve("spool").toString());
        explicit.put("push-timeout", "3s");
        explicit.put("record-slo", "1ms");
        for (int i = 0; i < more.length; i += 2) {
            explicit.put(more[i], more[i + 1]);
        }
        return SettingsLoader.load(explicit, "test", new Properties(), Map.of());
    }

    private RunSession start(Settings s, CollectorRegistry collectors) throws Exception {
        return RunSession.start(s, RunMode.API, "unused", System.currentTimeMillis(), collectors, null, err::add);
    }

    private static String line(String page, String prefix) {
        return page.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("<none: " + prefix + ">");
    }

    @Test
    void accumulateContinuesCountersOverThreeRuns() throws Exception {
        Settings s = settings("accumulate_job", "accumulate", "true", "push-at-start", "false");
        for (int run = 1; run <= 3; run++) {
            RunSession session = start(s, new CollectorRegistry());
            StageCounters main = session.registry().stage("main");
            for (int i = 0; i < 10; i++) {
                main.recordSuccess(2_000_000);
            }
            if (run == 1) {
                main.recordFailure(1, new IllegalStateException());
            }
            session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
        }
        String page = GATEWAY.get().metricsPage();
        String labels = "{instance=\"\",job=\"accumulate_job\",stage=\"main\"}";
        assertEquals("batch_job_records_total" + labels + " 31", line(page, "batch_job_records_total" + labels), err.toString());
        assertEquals("batch_job_records_over_slo_total{instance=\"\",job=\"accumulate_job\",slo=\"0.001\",stage=\"main\"} 30",
                line(page, "batch_job_records_over_slo_total{instance=\"\",job=\"accumulate_job\""));
        assertEquals("batch_job_record_errors_total{error=\"IllegalStateException\",instance=\"\",job=\"accumulate_job\",stage=\"main\"} 1",
                line(page, "batch_job_record_errors_total{error=\"IllegalStateException\",instance=\"\",job=\"accumulate_job\""),
                "an error series from run 1 survives runs that had none");
        assertTrue(line(page, "batch_job_record_duration_seconds_total" + labels).endsWith(" 0.060000001"), page);
    }

    @Test
    void withoutAccumulateEachRunPushesItsOwnCounts() throws Exception {
        Settings s = settings("own_counts_job", "push-at-start", "false");
        for (int run = 1; run <= 2; run++) {
            RunSession session = start(s, new CollectorRegistry());
            session.registry().stage("main").recordSuccess(1);
            session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
        }
        assertEquals("batch_job_records_total{instance=\"\",job=\"own_counts_job\",stage=\"main\"} 1",
                line(GATEWAY.get().metricsPage(), "batch_job_records_total{instance=\"\",job=\"own_counts_job\""));
    }

    @Test
    void startMarkerShowsTheRunAsRunningUntilTheFinalPush() throws Exception {
        RunSession session = start(settings("start_marker_job"), new CollectorRegistry());
        String running = "batch_job_running{instance=\"\",job=\"start_marker_job\"} 1";
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!GATEWAY.get().metricsPage().contains(running) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(GATEWAY.get().metricsPage().contains(running), "start marker arrived");
        session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
        assertTrue(GATEWAY.get().metricsPage().contains("batch_job_running{instance=\"\",job=\"start_marker_job\"} 0"));
    }

    @Test
    void jobCollectorsArePushedAndACollidingNameIsReportedNotPushed() throws Exception {
        CollectorRegistry collectors = new CollectorRegistry();
        Gauge.build("etl_rows_in_batch", "rows").register(collectors).set(7);
        Gauge.build("batch_job_success", "collides").register(collectors).set(42);
        RunSession session = start(settings("collectors_job", "push-at-start", "false"), collectors);
        session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.EXIT_CODE, 2), List.of());
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("etl_rows_in_batch{instance=\"\",job=\"collectors_job\"} 7"), page);
        assertTrue(page.contains("batch_job_success{instance=\"\",job=\"collectors_job\"} 0"), page);
        assertTrue(err.stream().anyMatch(l -> l.contains("batch_job_success") && l.contains("rename it")),
                err.toString());
    }

    @Test
    void runnerPushesTheJobsHandedOffRecordsButNotACopyOfItsRunMetrics() throws Exception {
        RunSession session = RunSession.start(settings("runner_textfile_job", "push-at-start", "false"),
                RunMode.RUNNER, "x", System.currentTimeMillis(), null, null, err::add);
        List<io.prometheus.client.Collector.MetricFamilySamples> handedOff = io.github.jobmetrics.internal.textformat
                .TextFormatParser.parse("# TYPE batch_job_records_total counter\n"
                        + "batch_job_records_total{stage=\"load\"} 12\n"
                        + "# TYPE batch_job_success gauge\nbatch_job_success 1\n");
        session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.EXIT_CODE, 3), handedOff);
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_records_total{instance=\"\",job=\"runner_textfile_job\",stage=\"load\"} 12"),
                page);
        assertTrue(page.contains("batch_job_success{instance=\"\",job=\"runner_textfile_job\"} 0"), page);
        assertTrue(err.stream().anyMatch(l -> l.contains("batch_job_success") && l.contains("metrics file")),
                err.toString());
    }

    @Test
    void finishPushesOnlyOnce() throws Exception {
        RunSession session = start(settings("once_job", "push-at-start", "false"), new CollectorRegistry());
        assertTrue(session.finish(RunEnding.success(1_000), List.of()));
        assertFalse(session.finish(RunEnding.failure(2_000, FailureReason.SIGNAL, 143), List.of()));
        assertTrue(GATEWAY.get().metricsPage().contains("batch_job_success{instance=\"\",job=\"once_job\"} 1"));
    }

    @Test
    void handoffRunWritesRecordsAndCollectorsToTheTextfileAndPushesNothing() throws Exception {
        Path textfile = tmp.resolve("metrics.prom");
        CollectorRegistry collectors = new CollectorRegistry();
        Gauge.build("etl_custom", "custom").register(collectors).set(3);
        RunSession session = RunSession.start(settings("handoff_job"), RunMode.AGENT, "x",
                System.currentTimeMillis(), collectors, textfile, err::add);
        session.registry().stage("load").recordSuccess(5);
        session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
        String text = Files.readString(textfile);
        assertTrue(text.contains("batch_job_records_total{stage=\"load\",} 1.0"), text);
        assertTrue(text.contains("etl_custom 3.0"), text);
        assertFalse(text.contains("batch_job_success"), "the runner owns the run metrics");
        assertFalse(GATEWAY.get().metricsPage().contains("handoff_job"));
    }
}
