package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.testing.PrometheusProcess;
import io.github.jobmetrics.testing.SwitchableProxy;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import io.prometheus.client.Collector.MetricFamilySamples;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A run spooled while its receiver was down, delivered by this machine's next run after another machine already
 * wrote a later run of the same job: what real receivers do with it. Prometheus 2.42 (no out-of-order window)
 * refuses it as out of order, which is said in one line and the entry moved aside; VictoriaMetrics takes it.
 */
class RemoteWriteSpooledLateRunIT {
    @TempDir Path thisMachine;
    @TempDir Path otherMachine;
    private final List<String> err = new ArrayList<>();
    private final SeededRuns delivered = new SeededRuns();
    private long firstEnd;

    private PushReport write(URI url, Path spoolDir, int run, long end) {
        RemoteWriteSink sink = new RemoteWriteSink(url, new RemoteWritePusher(url, Map.of(), Optional::empty, null),
                GroupingKey.of(SeededRuns.JOB, Map.of()), Duration.ofSeconds(2), 1,
                Spool.withDefaults(spoolDir, err::add), err::add);
        List<MetricFamilySamples> families = SeededRuns.run(SeededRuns.THREE_RUNS[run], end);
        PushReport report = sink.deliver(families, end);
        System.out.println("remote-write evidence: spooled late run, run " + run + ": " + report.line());
        return report;
    }

    /** Run 0 spooled here, run 1 written by another machine, then run 2 from here, which delivers run 0 first. */
    private void spoolThenLate(SwitchableProxy proxy) throws Exception {
        URI url = proxy.uri().resolve("/api/v1/write");
        firstEnd = System.currentTimeMillis() - 10 * 60_000;
        proxy.up(false);
        assertEquals(PushReport.Outcome.SPOOLED, write(url, thisMachine, 0, firstEnd).outcome());
        proxy.up(true);
        assertEquals(PushReport.Outcome.PUSHED, write(url, otherMachine, 1, firstEnd + 60_000).outcome());
        assertEquals(PushReport.Outcome.PUSHED, write(url, thisMachine, 2, firstEnd + 120_000).outcome());
        err.forEach(l -> System.out.println("remote-write evidence: spooled late run: " + l));
    }

    private List<String> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(thisMachine)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }

    private void countDelivered(int... runs) {
        for (int run : runs) {
            delivered.count(SeededRuns.run(SeededRuns.THREE_RUNS[run], firstEnd + run * 60_000L));
        }
    }

    @Test
    void prometheusRefusesTheSpooledRunAsOutOfOrderWhichIsSaidInOneLineAndCountsOnlyTheOtherTwo() throws Exception {
        try (PrometheusProcess prometheus = PrometheusProcess.start();
                SwitchableProxy proxy = SwitchableProxy.start(prometheus.uri("/"))) {
            spoolThenLate(proxy);

            assertEquals(1, err.stream().filter(l -> l.contains("was refused by its remote-write receiver")
                    && l.contains("out of order sample")).count(), err.toString());
            assertEquals(1, files(".rejected").size());
            assertEquals(List.of(), files(".push"));
            countDelivered(1, 2);
            long at = firstEnd + 180_000;
            assertEquals(delivered.records, Double.parseDouble(prometheus.scalar(
                    SeededRuns.sumOver("batch_job_records_total", "1h"), at)));
            assertEquals(delivered.errors, Double.parseDouble(prometheus.scalar(
                    SeededRuns.sumOver("batch_job_record_errors_total", "1h"), at)));
        }
    }

    @Test
    void victoriaMetricsTakesTheSpooledRunAndCountsAllThree() throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start();
                SwitchableProxy proxy = SwitchableProxy.start(vm.uri("/"))) {
            spoolThenLate(proxy);

            assertTrue(err.stream().anyMatch(l -> l.contains("delivered spooled")), err.toString());
            assertEquals(List.of(), files(".push"));
            assertEquals(List.of(), files(".rejected"));
            vm.flush();
            countDelivered(0, 1, 2);
            long at = firstEnd + 180_000;
            assertEquals(delivered.records, Double.parseDouble(vm.scalar(
                    SeededRuns.sumOver("batch_job_records_total", "1h"), at)));
            assertEquals(delivered.errors, Double.parseDouble(vm.scalar(
                    SeededRuns.sumOver("batch_job_record_errors_total", "1h"), at)));
        }
    }
}
