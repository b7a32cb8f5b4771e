package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.testing.PushgatewayExtension;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PushEngineIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path spoolDir;
    private final List<String> err = new ArrayList<>();

    private PushEngine engine(URI target, GroupingKey group) {
        return PushEngine.builder()
                .gateway(target, new HttpPusher(target, Optional::empty, null))
                .group(group)
                .pushTimeout(Duration.ofSeconds(3))
                .spool(Spool.withDefaults(spoolDir, err::add))
                .err(err::add)
                .build();
    }

    private static RunRegistry registry() {
        RunRegistry r = RunRegistry.builder().recordSlos(List.of(Duration.ofMillis(250))).build();
        r.stage("main").recordSuccess(1_000_000);
        return r;
    }

    @Test
    void successfulRunIsPushedAndReplacesTheGroup() throws Exception {
        GroupingKey group = GroupingKey.of("replace_job", Map.of());
        PushEngine e = engine(GATEWAY.get().baseUri(), group);
        PushReport first = e.pushFinal(registry().collect(RunEnding.success(1_000_000)), true);
        assertEquals(PushReport.Outcome.PUSHED, first.outcome(), first.line());

        RunRegistry noRecords = RunRegistry.builder().build();
        e.pushFinal(noRecords.collect(RunEnding.success(2_000_000)), true);
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds{instance=\"\",job=\"replace_job\"} 2000"),
                page);
        assertFalse(page.contains("batch_job_records_total{instance=\"\",job=\"replace_job\""),
                "a PUT replaces the group, so the first run's records are gone");
    }

    @Test
    void failedRunKeepsPreviousLastSuccess() throws Exception {
        GroupingKey group = GroupingKey.of("keep_success_job", Map.of());
        PushEngine e = engine(GATEWAY.get().baseUri(), group);
        e.pushFinal(registry().collect(RunEnding.success(1_000_000)), true);
        PushReport failed = e.pushFinal(registry().collect(
                RunEnding.failure(2_000_000, FailureReason.EXIT_CODE, 3)), false);
        assertEquals(PushReport.Outcome.PUSHED, failed.outcome(), failed.line());

        String page = GATEWAY.get().metricsPage();
        String labels = "{instance=\"\",job=\"keep_success_job\"}";
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds" + labels + " 1000\n"), page);
        assertTrue(page.contains("batch_job_last_failure_timestamp_seconds" + labels + " 2000\n"), page);
        assertTrue(page.contains("batch_job_success" + labels + " 0\n"), page);
        assertTrue(page.contains("batch_job_exit_code" + labels + " 3\n"), page);
        assertTrue(page.contains("batch_job_failure_reason{instance=\"\",job=\"keep_success_job\",reason=\"exit_code\"} 1"),
                page);
    }

    static Stream<Arguments> awkwardValues() {
        return Stream.of(Arguments.of("with/slash"), Arguments.of("with space"), Arguments.of("ünïcödé ✓"),
                Arguments.of(""), Arguments.of("."), Arguments.of(".."), Arguments.of("a+b"), Arguments.of("%2F"),
                Arguments.of("plain-value_1.0"));
    }

    @ParameterizedTest
    @MethodSource("awkwardValues")
    void groupingValuesArriveExactlyAsGiven(String value) throws Exception {
        String job = "awkward_job_" + Integer.toHexString(value.hashCode());
        GroupingKey group = GroupingKey.of(job, Map.of("env", value));
        PushReport report = engine(GATEWAY.get().baseUri(), group)
                .pushFinal(registry().collect(RunEnding.success(1_000_000)), true);
        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());

        String json = GATEWAY.get().apiMetrics();
        String expected = "\"env\":\"" + value + "\"";
        assertTrue(json.contains(expected), "expected " + expected + " in " + json);
        if (value.equals("..") || value.equals(".")) {
            assertFalse(GATEWAY.get().metricsPage().contains("{instance=\"\",job=\"" + job + "\"}"),
                    "no metric may land in the parent group without env");
        }
    }

    @Test
    void labelValuesWithQuotesBackslashesNewlinesAndUnicodeArriveExactly() throws Exception {
        String awkward = "say \"hi\"\\ back\nslash ✓";
        RunRegistry r = RunRegistry.builder().build();
        r.stage(awkward).recordSuccess(1);
        PushReport report = engine(GATEWAY.get().baseUri(), GroupingKey.of("label_values_job", Map.of()))
                .pushFinal(r.collect(RunEnding.success(1_000)), true);
        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        boolean found = TextFormatParser.parse(GATEWAY.get().metricsPage()).stream()
                .flatMap(f -> f.samples.stream())
                .filter(s -> s.name.equals("batch_job_records_total"))
                .anyMatch(s -> s.labelValues.contains(awkward) && s.labelValues.contains("label_values_job"));
        assertTrue(found, GATEWAY.get().metricsPage());
    }

    @Test
    void runThatCannotBePushedIsSpooledAndDeliveredByTheNextRun() throws Exception {
        GroupingKey group = GroupingKey.of("spooled_job", Map.of("env", "prod"));
        // The same gateway, unreachable for this run: a spooled entry is delivered only to the gateway it was for.
        PushReport spooled = PushEngine.builder()
                .gateway(GATEWAY.get().baseUri(), new UnavailablePusher("gateway down for this run"))
                .group(group).pushTimeout(Duration.ofSeconds(3)).spool(Spool.withDefaults(spoolDir, err::add))
                .err(err::add).build()
                .pushFinal(registry().collect(RunEnding.success(1_000_000)), true);
        assertEquals(PushReport.Outcome.SPOOLED, spooled.outcome(), spooled.line());
        try (Stream<Path> files = Files.list(spoolDir)) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".push")).count());
        }

        PushReport next = engine(GATEWAY.get().baseUri(), GroupingKey.of("other_job", Map.of()))
                .pushFinal(RunRegistry.builder().build().collect(RunEnding.success(2_000_000)), true);
        assertEquals(PushReport.Outcome.PUSHED, next.outcome(), next.line());
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds{env=\"prod\",instance=\"\",job=\"spooled_job\"} 1000"),
                page);
        try (Stream<Path> files = Files.list(spoolDir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".push")).count());
        }
    }
}
