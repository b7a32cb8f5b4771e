package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runs of {@link RemoteWritePrometheusIT} written to a real VictoriaMetrics, plus the two collisions Prometheus
 * refuses: a late (spooled) run, older than one already stored, and a second run ending in the same millisecond.
 * VictoriaMetrics has no out-of-order limit and takes both; the MetricsQL answers are the exact doubles of all
 * five runs.
 */
class RemoteWriteVictoriaMetricsIT {
    private static final long MS = SeededRuns.MS;
    private static final long[] LATE = {5 * MS, -5 * MS};
    /**
     * Records of no duration: which of two samples at one timestamp the store adds first is its choice, and adding
     * an exact zero gives the same double in either order, so the duration truth stays exact.
     */
    private static final long[] SAME_MILLISECOND = {0, 0, 0};
    private static final SeededRuns truth = new SeededRuns();

    private static VictoriaMetricsProcess vm;
    private static long queryAt;
    private static PushReport lateReport;
    private static PushReport sameMillisecondReport;

    @BeforeAll
    static void writeFiveRuns() throws Exception {
        vm = VictoriaMetricsProcess.start();
        long firstEnd = System.currentTimeMillis() - 10 * 60_000;
        long[] ends = new long[SeededRuns.THREE_RUNS.length];
        List<List<MetricFamilySamples>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < ends.length; i++) {
            ends[i] = firstEnd + i * 60_000L;
            runs.add(SeededRuns.run(SeededRuns.THREE_RUNS[i], ends[i]));
            PushReport report = sink().deliver(runs.get(i), ends[i]);
            assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        }
        long lateEnd = firstEnd + 90_000;
        List<MetricFamilySamples> late = SeededRuns.run(LATE, lateEnd);
        lateReport = sink().deliver(late, lateEnd);
        List<MetricFamilySamples> same = SeededRuns.run(SAME_MILLISECOND, ends[2]);
        sameMillisecondReport = sink().deliver(same, ends[2]);
        System.out.println("remote-write evidence: victoria-metrics late run: " + lateReport.line());
        System.out.println("remote-write evidence: victoria-metrics same-millisecond run: "
                + sameMillisecondReport.line());
        // The truth in time order, as sum_over_time adds: run 1, run 2, the late run, then the two ending together.
        truth.count(runs.get(0));
        truth.count(runs.get(1));
        truth.count(late);
        truth.count(runs.get(2));
        truth.count(same);
        vm.flush();
        queryAt = firstEnd + 3 * 60_000L;
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            vm.close();
        }
    }

    private static RemoteWriteSink sink() {
        return new RemoteWriteSink(vm.writeUri(), new RemoteWritePusher(vm.writeUri(), Map.of(), Optional::empty,
                null), GroupingKey.of(SeededRuns.JOB, Map.of()), Duration.ofSeconds(10), 3);
    }

    private static double query(String metricsql) throws Exception {
        return Double.parseDouble(vm.scalar(metricsql, queryAt));
    }

    @Test
    void aLateRunAndASameMillisecondRunAreBothAccepted() {
        assertEquals(PushReport.Outcome.PUSHED, lateReport.outcome(), lateReport.line());
        assertEquals(PushReport.Outcome.PUSHED, sameMillisecondReport.outcome(), sameMillisecondReport.line());
    }

    @Test
    void recordAndErrorCountsOverAnHourADayAndThirtyDaysAreExactlyThoseOfAllFiveRuns() throws Exception {
        for (String window : List.of("1h", "1d", "30d")) {
            assertEquals(truth.records, query(SeededRuns.sumOver("batch_job_records_total", window)), window);
            assertEquals(truth.errors, query(SeededRuns.sumOver("batch_job_record_errors_total", window)), window);
        }
        assertEquals(17.0 + 2 + 3, truth.records, "the seed itself");
    }

    @Test
    void errorRatioIsTheSameDoubleAsTheSeededTruth() throws Exception {
        assertEquals(truth.errors / truth.records, query(SeededRuns.errorRatio("1d")));
    }

    @Test
    void sloAttainmentIsTheSameDoubleAsTheSeededTruth() throws Exception {
        assertEquals(1 - truth.overSlo / truth.records, query(SeededRuns.attainment("30d")));
    }

    @Test
    void meanRecordDurationIsTheSameDoubleAsTheSeededTruth() throws Exception {
        assertEquals(truth.durationSum / truth.records, query(SeededRuns.meanRecordDuration("1d")));
    }
}
