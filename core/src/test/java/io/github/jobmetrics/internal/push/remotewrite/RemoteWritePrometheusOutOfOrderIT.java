package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.testing.PrometheusProcess;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus receiver configured with {@code storage.tsdb.out_of_order_time_window} takes a run delivered late
 * (from the spool, after a later run), and the sums include it exactly; a run ending in the same millisecond as a
 * stored one is still refused, as a duplicate.
 */
class RemoteWritePrometheusOutOfOrderIT {
    @Test
    void aLateRunIsTakenWithinTheOutOfOrderWindowAndCountedExactly() throws Exception {
        try (PrometheusProcess prometheus = PrometheusProcess.start(
                "storage:\n  tsdb:\n    out_of_order_time_window: 1d\n")) {
            RemoteWriteSink sink = new RemoteWriteSink(prometheus.writeUri(), new RemoteWritePusher(
                    prometheus.writeUri(), Map.of(), Optional::empty, null), GroupingKey.of(SeededRuns.JOB, Map.of()),
                    Duration.ofSeconds(10), 3);
            long firstEnd = System.currentTimeMillis() - 10 * 60_000;
            long[][] runs = SeededRuns.THREE_RUNS;
            List<MetricFamilySamples> first = SeededRuns.run(runs[0], firstEnd);
            List<MetricFamilySamples> late = SeededRuns.run(runs[1], firstEnd + 60_000);
            List<MetricFamilySamples> last = SeededRuns.run(runs[2], firstEnd + 120_000);
            assertEquals(PushReport.Outcome.PUSHED, sink.deliver(first, firstEnd).outcome());
            assertEquals(PushReport.Outcome.PUSHED, sink.deliver(last, firstEnd + 120_000).outcome());

            PushReport lateReport = sink.deliver(late, firstEnd + 60_000);
            PushReport sameMillisecond = sink.deliver(SeededRuns.run(new long[] {SeededRuns.MS}, firstEnd + 120_000),
                    firstEnd + 120_000);

            System.out.println("remote-write evidence: prometheus with out_of_order_time_window: late run: "
                    + lateReport.line() + "; same-millisecond run: " + sameMillisecond.line());
            assertEquals(PushReport.Outcome.PUSHED, lateReport.outcome(), lateReport.line());
            assertEquals(PushReport.Outcome.LOST, sameMillisecond.outcome(), sameMillisecond.line());
            assertTrue(sameMillisecond.line().contains("duplicate sample"), sameMillisecond.line());
            SeededRuns truth = new SeededRuns();
            truth.count(first);
            truth.count(late);
            truth.count(last);
            long at = firstEnd + 180_000;
            assertEquals(truth.records, Double.parseDouble(prometheus.scalar(
                    SeededRuns.sumOver("batch_job_records_total", "1d"), at)));
            assertEquals(truth.errors / truth.records, Double.parseDouble(prometheus.scalar(
                    SeededRuns.errorRatio("1d"), at)));
            assertEquals(truth.durationSum / truth.records, Double.parseDouble(prometheus.scalar(
                    SeededRuns.meanRecordDuration("1d"), at)));
        }
    }
}
