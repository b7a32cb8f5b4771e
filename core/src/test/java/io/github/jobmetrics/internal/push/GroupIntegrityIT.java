package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.testing.PushgatewayExtension;
import io.github.jobmetrics.testing.SwitchableProxy;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** After any run, its group in a real Pushgateway holds exactly that run's figures, whatever came before. */
class GroupIntegrityIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    private static final MetricNames NAMES = new MetricNames(MetricNames.DEFAULT_PREFIX);
    @TempDir Path spoolDir;
    private final List<String> err = new ArrayList<>();

    private PushEngine engine(URI target, GroupingKey group, boolean accumulate) {
        PushEngine.Builder b = PushEngine.builder()
                .gateway(target, new HttpPusher(target, Optional::empty, null))
                .group(group)
                .pushTimeout(Duration.ofSeconds(3))
                .retries(1)
                .spool(Spool.withDefaults(spoolDir, err::add))
                .keepLastSuccess(NAMES.lastSuccess())
                .err(err::add);
        if (accumulate) {
            b.accumulate(NAMES.counterLabels());
        }
        return b.build();
    }

    /** Labels as the Pushgateway writes them: sorted by name, with the instance="" it adds. */
    private static String labels(String job, String... own) {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(Map.of("instance", "", "job", job));
        for (String label : own) {
            all.put(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('"') + 1, label.length() - 1));
        }
        StringBuilder sb = new StringBuilder("{");
        all.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    @Test
    void failedRunLeavesOnlyItsOwnFiguresAndThePreviousLastSuccess() throws Exception {
        GroupingKey group = GroupingKey.of("failed_after_errors", Map.of());
        PushEngine e = engine(GATEWAY.get().baseUri(), group, false);
        RunRegistry first = RunRegistry.builder().build();
        for (int i = 0; i < 100; i++) {
            first.stage("main").recordSuccess(1_000);
        }
        first.stage("main").recordFailure(1_000, new IllegalStateException());
        List<MetricFamilySamples> firstFamilies = new ArrayList<>(first.collect(RunEnding.success(1_000_000)));
        firstFamilies.add(new MetricFamilySamples("job_rows", Collector.Type.GAUGE, "rows",
                List.of(new Sample("job_rows", List.of(), List.of(), 7))));
        assertEquals(PushReport.Outcome.PUSHED, e.pushFinal(firstFamilies, true).outcome(), err.toString());

        RunRegistry failed = RunRegistry.builder().build();
        failed.stage("main");
        PushReport report = e.pushFinal(failed.collect(RunEnding.failure(2_000_000, FailureReason.EXIT_CODE, 3)),
                false);
        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line() + err);

        String page = GATEWAY.get().metricsPage();
        String job = "failed_after_errors";
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds" + labels(job) + " 1000\n"), page);
        assertTrue(page.contains("batch_job_last_failure_timestamp_seconds" + labels(job) + " 2000\n"), page);
        assertTrue(page.contains("batch_job_records_total" + labels(job, "stage=\"main\"") + " 0\n"), page);
        assertFalse(page.contains("batch_job_record_errors_total" + labels(job, "error=\"IllegalStateException\"",
                "stage=\"main\"")), page);
        assertFalse(page.contains("job_rows" + labels(job)), page);
    }

    @Test
    void failedRunWithNoEarlierSuccessHasNoLastSuccess() throws Exception {
        GroupingKey group = GroupingKey.of("never_succeeded", Map.of());
        PushReport report = engine(GATEWAY.get().baseUri(), group, false).pushFinal(RunRegistry.builder().build()
                .collect(RunEnding.failure(2_000_000, FailureReason.EXIT_CODE, 1)), false);
        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line() + err);
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_success" + labels("never_succeeded") + " 0\n"), page);
        assertFalse(page.contains("batch_job_last_success_timestamp_seconds" + labels("never_succeeded")), page);
    }

    @Test
    void accumulateCountsARunThatWaitedInTheSpool() throws Exception {
        GroupingKey group = GroupingKey.of("accumulate_spooled", Map.of());
        try (SwitchableProxy gateway = SwitchableProxy.start(GATEWAY.get().baseUri())) {
            assertEquals(PushReport.Outcome.PUSHED, runOfHundred(gateway.uri(), group, 1).outcome(), err.toString());
            gateway.up(false);
            assertEquals(PushReport.Outcome.SPOOLED, runOfHundred(gateway.uri(), group, 2).outcome(),
                    err.toString());
            gateway.up(true);
            assertEquals(PushReport.Outcome.PUSHED, runOfHundred(gateway.uri(), group, 3).outcome(), err.toString());
        }
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_records_total" + labels("accumulate_spooled", "stage=\"main\"")
                + " 300\n"), page);
    }

    @Test
    void failedRunThatWaitedInTheSpoolStillKeepsTheLastSuccess() throws Exception {
        GroupingKey group = GroupingKey.of("failed_spooled", Map.of());
        try (SwitchableProxy gateway = SwitchableProxy.start(GATEWAY.get().baseUri())) {
            engine(gateway.uri(), group, false).pushFinal(RunRegistry.builder().build()
                    .collect(RunEnding.success(1_000_000)), true);
            gateway.up(false);
            PushReport spooled = engine(gateway.uri(), group, false).pushFinal(RunRegistry.builder().build()
                    .collect(RunEnding.failure(2_000_000, FailureReason.SIGNAL, 143)), false);
            assertEquals(PushReport.Outcome.SPOOLED, spooled.outcome(), spooled.line());
            gateway.up(true);
            PushReport next = engine(gateway.uri(), GroupingKey.of("failed_spooled_next", Map.of()), false)
                    .pushFinal(RunRegistry.builder().build().collect(RunEnding.success(3_000_000)), true);
            assertEquals(PushReport.Outcome.PUSHED, next.outcome(), next.line() + err);
        }
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds" + labels("failed_spooled") + " 1000\n"),
                page);
        assertTrue(page.contains("batch_job_exit_code" + labels("failed_spooled") + " 143\n"), page);
    }

    private PushReport runOfHundred(URI target, GroupingKey group, int run) {
        RunRegistry r = RunRegistry.builder().build();
        for (int i = 0; i < 100; i++) {
            r.stage("main").recordSuccess(1_000);
        }
        return engine(target, group, true).pushFinal(r.collect(RunEnding.success(run * 1_000_000L)), true);
    }
}
