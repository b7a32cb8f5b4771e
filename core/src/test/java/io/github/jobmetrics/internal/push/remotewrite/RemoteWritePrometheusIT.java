package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.testing.PrometheusProcess;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three runs of one job written to a real Prometheus receiver, then read back through PromQL: error ratio, SLO
 * attainment, mean record duration and record counts over 1 h, 1 d and 30 d come out as the very doubles the runs
 * carried, because each run is one sample per series at its end and the queries add them with
 * {@code sum_over_time} (docs/remote-write.md). Then the two collisions a receiver without an out-of-order window
 * refuses: a late (spooled) run and a second run ending in the same millisecond.
 */
class RemoteWritePrometheusIT {
    private static final String MAIN = SeededRuns.MAIN;
    private static final long MS = SeededRuns.MS;
    private static final SeededRuns truth = new SeededRuns();

    private static PrometheusProcess prometheus;
    private static long firstEnd;
    private static long queryAt;

    @BeforeAll
    static void writeThreeRuns() throws Exception {
        prometheus = PrometheusProcess.start();
        // Minutes, not hours, in the past: the receiver's head block takes samples up to an hour behind its newest.
        firstEnd = System.currentTimeMillis() - 10 * 60_000;
        for (int i = 0; i < SeededRuns.THREE_RUNS.length; i++) {
            long end = firstEnd + i * 60_000L;
            List<MetricFamilySamples> families = run(SeededRuns.THREE_RUNS[i], end);
            truth.count(families);
            PushReport report = sink().deliver(families, end);
            assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        }
        queryAt = firstEnd + SeededRuns.THREE_RUNS.length * 60_000L;
        assertEquals(17.0, truth.records, "the seed itself");
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static RemoteWriteSink sink() {
        return new RemoteWriteSink(prometheus.writeUri(), new RemoteWritePusher(prometheus.writeUri(), Map.of(),
                Optional::empty, null), GroupingKey.of(SeededRuns.JOB, Map.of()), Duration.ofSeconds(10), 3);
    }

    private static List<MetricFamilySamples> run(long[] durations, long end) {
        return SeededRuns.run(durations, end);
    }

    private static double query(String promql) throws Exception {
        return Double.parseDouble(prometheus.scalar(promql, queryAt));
    }

    private static String sumOver(String name, String window) {
        return SeededRuns.sumOver(name, window);
    }

    @Test
    void recordAndErrorCountsOverAnHourADayAndThirtyDaysAreExactlyTheSeededOnes() throws Exception {
        for (String window : List.of("1h", "1d", "30d")) {
            assertEquals(truth.records, query(sumOver("batch_job_records_total", window)), window);
            assertEquals(truth.errors, query(sumOver("batch_job_record_errors_total", window)), window);
        }
        assertEquals(4.0, truth.errors, "the seed itself");
    }

    @Test
    void errorRatioIsTheSameDoubleAsTheSeededTruth() throws Exception {
        double ratio = query(SeededRuns.errorRatio("1d"));
        assertEquals(truth.errors / truth.records, ratio);
    }

    @Test
    void sloAttainmentIsTheSameDoubleAsTheSeededTruth() throws Exception {
        double attainment = query(SeededRuns.attainment("30d"));
        assertEquals(1 - truth.overSlo / truth.records, attainment);
        assertEquals(5.0, truth.overSlo, "180, 101, 250, 420 and the failed 300 ms are over 100 ms");
    }

    @Test
    void meanRecordDurationIsTheSameDoubleAsTheSeededTruth() throws Exception {
        double mean = query(SeededRuns.meanRecordDuration("1d"));
        assertEquals(truth.durationSum / truth.records, mean);
    }

    @Test
    void increaseOnTheSameSamplesIsNotExactWhichIsWhyTheQueriesUseSumOverTime() throws Exception {
        double increase = query("sum(increase(batch_job_records_total" + MAIN + "[1h]))");
        System.out.println("remote-write evidence: increase() over 1h gives " + increase + ", the runs carried "
                + truth.records);
        assertNotEquals(truth.records, increase);
    }

    @Test
    void aLateRunIsRefusedAsOutOfOrderWholeAndSaidSoInOneLine() throws Exception {
        long late = firstEnd + 90_000; // after run 2, before run 3 which is already stored
        PushReport report = sink().deliver(run(new long[] {5 * MS, -5 * MS}, late), late);
        System.out.println("remote-write evidence: late run: " + report.line());
        assertEquals(PushReport.Outcome.LOST, report.outcome(), report.line());
        assertTrue(report.line().contains("answered 400") && report.line().contains("out of order"),
                report.line());
        assertEquals(truth.records, query(sumOver("batch_job_records_total", "1d")), "nothing of it was stored");
    }

    @Test
    void aSecondRunEndingInTheSameMillisecondIsRefusedAsADuplicateAndSaidSoInOneLine() throws Exception {
        long sameEnd = firstEnd + 2 * 60_000L;
        PushReport report = sink().deliver(run(new long[] {1 * MS, 2 * MS, 3 * MS}, sameEnd), sameEnd);
        System.out.println("remote-write evidence: concurrent run: " + report.line());
        assertEquals(PushReport.Outcome.LOST, report.outcome(), report.line());
        assertTrue(report.line().contains("answered 400") && report.line().contains("duplicate sample"),
                report.line());
        assertEquals(truth.records, query(sumOver("batch_job_records_total", "1d")), "nothing of it was stored");
    }

    @Test
    void tenThousandSeriesGoInOneRequestWellWithinTheDeadline() throws Exception {
        List<Collector.MetricFamilySamples.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            samples.add(new Collector.MetricFamilySamples.Sample("bench_series", List.of("series", "stage"),
                    List.of(Integer.toString(i), "main"), i * 0.5));
        }
        List<MetricFamilySamples> families = List.of(new MetricFamilySamples("bench_series",
                Collector.Type.GAUGE, "bench", samples));
        long end = queryAt;
        byte[] body = WriteRequests.compressed(WriteRequests.of(families, GroupingKey.of("rw_bench", Map.of()), end));
        long started = System.nanoTime();
        PushReport report = new RemoteWriteSink(prometheus.writeUri(), new RemoteWritePusher(prometheus.writeUri(),
                Map.of(), Optional::empty, null), GroupingKey.of("rw_bench", Map.of()), Duration.ofSeconds(10), 0)
                .deliver(families, end);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("remote-write evidence: 10000 series, " + body.length + " bytes ("
                + body.length / 10_000.0 + " bytes per series), delivered in " + tookMillis + " ms: "
                + report.line());
        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        assertEquals(10_000.0, Double.parseDouble(prometheus.scalar("count(bench_series{job=\"rw_bench\"})",
                end)));
        assertTrue(tookMillis < 10_000, "took " + tookMillis + " ms");
    }
}
