package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.run.RunMode;
import io.github.jobmetrics.internal.run.RunSession;
import io.github.jobmetrics.testing.PrometheusProcess;
import io.github.jobmetrics.testing.RuleExpressions;
import io.github.jobmetrics.testing.SlowDripServer;
import io.github.jobmetrics.testing.SwitchableProxy;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run written by remote write is visible while it runs: its start sample ({@code running 1}, the start time, the
 * objective) reaches a real Prometheus 2.42 and VictoriaMetrics 1.79 at the run's start, the final write says
 * {@code running 0}, and BatchJobStuckRunning, read out of docs/prometheus/rules-remote-write.yml as shipped, fires
 * through PromQL (and MetricsQL) past the objective and stops once the run has ended. Then what happens to runs of
 * one job one after another and at once, and that a slow receiver never holds the run up beyond the start write's
 * bound.
 */
class RemoteWriteStartSampleIT {
    private static final Path RULES = Path.of("..", "docs", "prometheus", "rules-remote-write.yml")
            .toAbsolutePath().normalize();
    private static final Duration POLL_BOUND = Duration.ofSeconds(15);

    private static PrometheusProcess prometheus;
    private static VictoriaMetricsProcess victoria;
    private static String stuckRunning;

    @TempDir Path tmp;
    private final List<String> err = new CopyOnWriteArrayList<>();

    /**
     * One real receiver, queried at a given time. VictoriaMetrics is flushed first, and still shows what was just
     * written after a moment only, so a query that does not give the expected value is asked again, with a bound.
     */
    private record Receiver(String name, URI writeUri, Query query) {
        String scalar(String promql, long atMillis) throws Exception {
            return query.scalar(promql, atMillis);
        }

        /** The value, once it is {@code expected} or {@link #POLL_BOUND} has passed. */
        String settled(String promql, long atMillis, String expected) throws Exception {
            long end = System.nanoTime() + POLL_BOUND.toNanos();
            String value;
            do {
                try {
                    value = scalar(promql, atMillis);
                } catch (java.io.IOException e) {
                    value = e.getMessage();
                }
                if (value.equals(expected) || System.nanoTime() > end) {
                    return value;
                }
                Thread.sleep(100);
            } while (true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private interface Query {
        String scalar(String promql, long atMillis) throws Exception;
    }

    @BeforeAll
    static void startReceivers() throws Exception {
        prometheus = PrometheusProcess.start();
        victoria = VictoriaMetricsProcess.start();
        stuckRunning = RuleExpressions.of(RULES, "BatchJobStuckRunning");
    }

    @AfterAll
    static void stopReceivers() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (victoria != null) {
            victoria.close();
        }
    }

    static Stream<Receiver> receivers() {
        return Stream.of(new Receiver("prometheus", prometheus.writeUri(), prometheus::scalar),
                new Receiver("victoria-metrics", victoria.writeUri(), (q, at) -> {
                    victoria.flush();
                    return victoria.scalar(q, at);
                }));
    }

    private Settings settings(URI receiver, String job, String... more) throws Exception {
        Map<String, String> explicit = new HashMap<>();
        explicit.put("remote-write", receiver.toString());
        explicit.put("job", job);
        explicit.put("spool-dir", tmp.resolve("spool").toString());
        explicit.put("push-timeout", "5s");
        for (int i = 0; i < more.length; i += 2) {
            explicit.put(more[i], more[i + 1]);
        }
        return SettingsLoader.load(explicit, "test", new Properties(), Map.of());
    }

    /** How many series of {@code job} the shipped BatchJobStuckRunning expression returns at {@code atMillis}. */
    private static String stuckQuery(String job) {
        return "count((" + stuckRunning + ") and on (job) last_over_time(batch_job_running{job=\"" + job
                + "\"}[30d])) or vector(0)";
    }

    private static String last(Receiver r, String name, String job, long atMillis, String expected)
            throws Exception {
        return r.settled("last_over_time(" + name + "{job=\"" + job + "\"}[1h])", atMillis, expected);
    }

    private static void await(String what, Check check) throws Exception {
        long end = System.nanoTime() + POLL_BOUND.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                fail("not within " + POLL_BOUND + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The first wall-clock millisecond after {@code millis}, waited for with a bound. */
    private static long millisAfter(long millis) throws Exception {
        await("the clock past " + millis, () -> System.currentTimeMillis() > millis);
        return System.currentTimeMillis();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static boolean answers(Receiver r, String promql, String expected) {
        try {
            return expected.equals(r.scalar(promql, System.currentTimeMillis()));
        } catch (Exception e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receivers")
    void anApiRunInProgressIsRunningOnTheReceiverAndTheStuckAlertFiresPastItsObjectiveUntilItEnds(Receiver r)
            throws Exception {
        String job = "api_in_progress_" + r.name().replace('-', '_');
        long beforeStart = System.nanoTime();
        RunSession session = RunSession.start(settings(r.writeUri(), job, "job-slo", "1s"), RunMode.API, "unused",
                System.currentTimeMillis(), null, null, err::add);
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeStart);
        System.out.println("remote-write evidence: " + r + ": RunSession.start with remote write returned in "
                + startMillis + " ms");

        await(job + " running 1 on " + r, () -> answers(r, "last_over_time(batch_job_running{job=\"" + job
                + "\"}[1h])", "1"));
        long now = System.currentTimeMillis();
        assertEquals("1", last(r, "batch_job_duration_slo_seconds", job, now, "1"),
                "the objective came with the start");
        assertEquals("1", r.settled("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])", now, "1"),
                "only the start sample so far");
        // The objective is 1 s: the run, still going, is stuck once that has passed.
        await("BatchJobStuckRunning firing for " + job + " on " + r, () -> {
            try {
                return "1".equals(r.scalar(stuckQuery(job), System.currentTimeMillis()));
            } catch (Exception e) {
                return false;
            }
        });

        assertTrue(session.finish(RunEnding.success(System.currentTimeMillis()), List.of()));
        long after = System.currentTimeMillis() + 1;
        assertEquals("0", last(r, "batch_job_running", job, after, "0"), String.join("\n", err));
        assertEquals("2", r.settled("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])", after, "2"));
        assertEquals("0", r.settled(stuckQuery(job), after, "0"), "an ended run is not stuck");
        assertTrue(err.stream().anyMatch(l -> l.contains("; wrote ")), String.join("\n", err));
        assertFalse(err.stream().anyMatch(l -> l.contains("start sample")), String.join("\n", err));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receivers")
    void consecutiveRunsWriteTheirStartAndEndInTimeOrderAndTheReceiverTakesEveryWrite(Receiver r) throws Exception {
        String job = "consecutive_" + r.name().replace('-', '_');
        Settings settings = settings(r.writeUri(), job, "job-slo", "1h");
        long previousEnd = 0;
        for (int run = 0; run < 3; run++) {
            // Runs of a few milliseconds, each starting after the previous one ended, as separate processes would.
            long start = millisAfter(previousEnd);
            RunSession session = RunSession.start(settings, RunMode.API, "unused", start, null, null, err::add);
            previousEnd = millisAfter(start + 5);
            session.finish(RunEnding.success(previousEnd), List.of());
        }
        long after = System.currentTimeMillis() + 1;
        System.out.println("remote-write evidence: " + r + ": three consecutive runs: " + err);
        assertEquals(3, err.stream().filter(l -> l.contains("; wrote ")).count(), String.join("\n", err));
        assertFalse(err.stream().anyMatch(l -> l.contains("start sample") || l.contains("answered 400")),
                String.join("\n", err));
        assertEquals("6", r.settled("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])", after, "6"),
                "a start and an end sample per run");
        assertEquals("3", r.settled("sum_over_time(batch_job_running{job=\"" + job + "\"}[1h])", after, "3"),
                "running 1 once per run");
        assertEquals("0", last(r, "batch_job_running", job, after, "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receivers")
    void aRunEndingInTheMillisecondItStartedIsWrittenJustAfterItsStartSampleNotRefusedAsADuplicate(Receiver r)
            throws Exception {
        String job = "same_millisecond_" + r.name().replace('-', '_');
        long at = System.currentTimeMillis();
        RunSession session = RunSession.start(settings(r.writeUri(), job), RunMode.API, "unused", at, null, null,
                err::add);
        session.finish(RunEnding.success(at), List.of());
        assertTrue(err.stream().anyMatch(l -> l.contains("; wrote ")), String.join("\n", err));
        assertEquals("0", last(r, "batch_job_running", job, at + 2, "0"));
        assertEquals("1", last(r, "batch_job_success", job, at + 2, "1"));
        assertEquals("2", r.settled("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])", at + 2,
                "2"));
    }

    private RemoteWriteSink sink(URI url, String job, Map<String, String> grouping, Spool spool) {
        return new RemoteWriteSink(url, pusher(url), GroupingKey.of(job, grouping), Duration.ofSeconds(5), 1, spool,
                err::add, pusher(url));
    }

    private static RemoteWritePusher pusher(URI url) {
        return new RemoteWritePusher(url, Map.of(), Optional::empty, null);
    }

    private static RunRegistry registry(long startMillis) {
        return RunRegistry.builder().startEpochMillis(startMillis).jobSlo(Duration.ofMinutes(10)).build();
    }

    /** Writes a start sample and waits, with a bound, until the receiver has it. */
    private void start(Receiver r, RemoteWriteSink sink, String selector, long startMillis, int expectedCount)
            throws Exception {
        sink.writeStartAsync(registry(startMillis).collectStartWithObjective(), startMillis);
        await("start sample of " + selector + " on " + r, () -> answers(r, "count_over_time(batch_job_running"
                + selector + "[1h])", Integer.toString(expectedCount)));
    }

    private static PushReport end(RemoteWriteSink sink, long startMillis, long endMillis) {
        return sink.deliver(registry(startMillis).collect(RunEnding.success(endMillis)), endMillis);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receivers")
    void twoRunsAtOnceOfOneJobHideEachOtherWhileAnInstanceLabelKeepsThemApart(Receiver r) throws Exception {
        String job = "concurrent_" + r.name().replace('-', '_');
        long t0 = System.currentTimeMillis() - 60_000;
        // A starts, B starts, A ends, B ends: every sample of each series is newer than the one before.
        RemoteWriteSink a = sink(r.writeUri(), job, Map.of(), null);
        RemoteWriteSink b = sink(r.writeUri(), job, Map.of(), null);
        start(r, a, "{job=\"" + job + "\"}", t0, 1);
        start(r, b, "{job=\"" + job + "\"}", t0 + 100, 2);
        assertEquals(PushReport.Outcome.PUSHED, end(a, t0, t0 + 200).outcome());
        assertEquals(PushReport.Outcome.PUSHED, end(b, t0 + 100, t0 + 300).outcome());
        assertEquals("1", last(r, "batch_job_running", job, t0 + 150, "1"), "both running");
        assertEquals("0", last(r, "batch_job_running", job, t0 + 250, "0"),
                "B still runs, but A's end is the latest");
        assertEquals("0", last(r, "batch_job_running", job, t0 + 301, "0"));

        String apart = job + "_by_instance";
        RemoteWriteSink c = sink(r.writeUri(), apart, Map.of("instance", "c"), null);
        RemoteWriteSink d = sink(r.writeUri(), apart, Map.of("instance", "d"), null);
        start(r, c, "{job=\"" + apart + "\",instance=\"c\"}", t0, 1);
        start(r, d, "{job=\"" + apart + "\",instance=\"d\"}", t0 + 100, 1);
        assertEquals(PushReport.Outcome.PUSHED, end(c, t0, t0 + 200).outcome());
        assertEquals(PushReport.Outcome.PUSHED, end(d, t0 + 100, t0 + 300).outcome());
        String byInstance = "last_over_time(batch_job_running{job=\"" + apart + "\",instance=\"%s\"}[1h])";
        assertEquals("1", r.settled(byInstance.formatted("d"), t0 + 250, "1"), "d is seen running while c has ended");
        assertEquals("0", r.settled(byInstance.formatted("c"), t0 + 250, "0"));
        assertEquals(List.of(), err.stream().filter(l -> l.contains("start sample")).toList());
    }

    @Test
    void aStartSampleOlderThanOneAlreadyStoredIsDroppedInOneLineByPrometheusAndTakenByVictoriaMetrics()
            throws Exception {
        for (Receiver r : receivers().toList()) {
            err.clear();
            String job = "late_start_" + r.name().replace('-', '_');
            long t0 = System.currentTimeMillis() - 60_000;
            RemoteWriteSink a = sink(r.writeUri(), job, Map.of(), null);
            RemoteWriteSink b = sink(r.writeUri(), job, Map.of(), null);
            // B started after A but its start sample arrives first (A's writing thread was slow).
            start(r, b, "{job=\"" + job + "\"}", t0 + 100, 1);
            a.writeStartAsync(registry(t0).collectStartWithObjective(), t0);
            PushReport endA = end(a, t0, t0 + 200);
            PushReport endB = end(b, t0 + 100, t0 + 300);
            System.out.println("remote-write evidence: " + r + ": start sample older than a stored one: " + err);
            assertEquals(PushReport.Outcome.PUSHED, endA.outcome(), endA.line());
            assertEquals(PushReport.Outcome.PUSHED, endB.outcome(), endB.line());
            String expected = r.name().equals("prometheus") ? "3" : "4";
            String count = r.settled("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])", t0 + 301,
                    expected);
            if (r.name().equals("prometheus")) {
                assertEquals(1, err.stream().filter(l -> l.startsWith("jobmetrics: start sample of /metrics/job/"
                        + job + " not written") && l.contains("400") && l.contains("out of order")).count(),
                        String.join("\n", err));
                assertEquals("3", count, "B's start, A's end, B's end");
            } else {
                assertEquals(List.of(), err, "taken");
                assertEquals("4", count);
            }
        }
    }

    @Test
    void aStartSampleIsNotWrittenWhileEarlierWritesOfItsGroupWaitInTheSpoolSoTheyAreNotRefusedAsOutOfOrder()
            throws Exception {
        Receiver r = receivers().findFirst().orElseThrow();
        String job = "spooled_before_start";
        try (SwitchableProxy proxy = SwitchableProxy.start(prometheus.uri(""))) {
            URI url = proxy.uri().resolve("/api/v1/write");
            Spool spool = Spool.withDefaults(tmp.resolve("spool"), err::add);
            long t0 = System.currentTimeMillis() - 60_000;
            proxy.up(false);
            PushReport first = end(sink(url, job, Map.of(), spool), t0, t0 + 100);
            assertEquals(PushReport.Outcome.SPOOLED, first.outcome(), first.line());
            proxy.up(true);
            RemoteWriteSink second = sink(url, job, Map.of(), spool);
            second.writeStartAsync(registry(t0 + 200).collectStartWithObjective(), t0 + 200);
            PushReport secondEnd = end(second, t0 + 200, t0 + 300);
            assertEquals(PushReport.Outcome.PUSHED, secondEnd.outcome(), secondEnd.line());
            assertTrue(err.stream().anyMatch(l -> l.contains("start sample of /metrics/job/" + job + " not written")
                    && l.contains("earlier writes of this group wait in the spool")), String.join("\n", err));
            // Had the start sample gone first, Prometheus would have refused the spooled run as out of order.
            assertEquals("2", r.settled("count_over_time(batch_job_success{job=\"" + job + "\"}[1h])", t0 + 301,
                    "2"),
                    String.join("\n", err));
        }
    }

    @Test
    void aSlowReceiverNeverHoldsTheJobUpAndTheRunsEndWaitsForTheStartWriteNoLongerThanHalfThePushTimeout()
            throws Exception {
        try (SlowDripServer slow = SlowDripServer.start(Duration.ofMillis(200))) {
            URI url = slow.uri().resolve("/api/v1/write");
            Settings settings = settings(url, "slow_receiver", "push-timeout", "3s", "push-retries", "0");
            long beforeStart = System.nanoTime();
            RunSession session = RunSession.start(settings, RunMode.API, "unused", System.currentTimeMillis(), null,
                    null, err::add);
            long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeStart);
            long beforeEnd = System.nanoTime();
            session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
            long endMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeEnd);
            System.out.println("remote-write evidence: slow receiver: start returned in " + startMillis
                    + " ms, the run's end took " + endMillis + " ms: " + err);
            assertTrue(startMillis < 1_000, "the start write is sent off the job's thread: " + startMillis + " ms");
            assertTrue(endMillis < 3_000 + 500, "the end stays within push-timeout 3 s: " + endMillis + " ms");
            assertTrue(err.stream().anyMatch(l -> l.equals("jobmetrics: start sample abandoned: it was still under"
                    + " way when the run ended")), String.join("\n", err));
        }
    }

    @Test
    void aStartWriteTheReceiverDoesNotAnswerIsDroppedInOneLineAfterItsTwoSecondBoundWhileTheJobRunsOn()
            throws Exception {
        try (SlowDripServer slow = SlowDripServer.start(Duration.ofMillis(200))) {
            URI url = slow.uri().resolve("/api/v1/write");
            Settings settings = settings(url, "unanswered_start", "push-timeout", "10s", "push-retries", "0");
            long started = System.nanoTime();
            RunSession session = RunSession.start(settings, RunMode.API, "unused", System.currentTimeMillis(), null,
                    null, err::add);
            await("the start sample dropped", () -> err.stream().anyMatch(l -> l.contains("start sample")));
            long droppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("remote-write evidence: unanswered start write dropped after " + droppedAfter
                    + " ms: " + err);
            assertTrue(droppedAfter >= 1_900 && droppedAfter < 4_000, droppedAfter + " ms");
            assertEquals(1, err.size(), String.join("\n", err));
            assertTrue(err.get(0).startsWith("jobmetrics: start sample of /metrics/job/unanswered_start not written"
                    + " to " + url + " (dropped: a start sample is never spooled): no answer within"), err.get(0));
            assertFalse(session.isFinished(), "the run goes on");
        }
    }
}
