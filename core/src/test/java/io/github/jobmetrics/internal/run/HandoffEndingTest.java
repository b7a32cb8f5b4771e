package io.github.jobmetrics.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.push.Exposition;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HandoffEndingTest {
    private static final long JVM_END = 1_000L;
    private static final long RUNNER_END = 2_000L;

    /** What the runner reads back after the JVM wrote {@code ending} (and one metric of the job's) to the file. */
    private static List<MetricFamilySamples> handedOff(RunEnding ending) throws Exception {
        List<MetricFamilySamples> families = new ArrayList<>(TextFormatParser.parse(new ByteArrayInputStream(
                "# TYPE rows_total counter\nrows_total 3\n".getBytes(StandardCharsets.UTF_8))));
        MetricFamilySamples seen = HandoffEnding.family(ending);
        if (seen != null) {
            families.add(seen);
        }
        return TextFormatParser.parse(new ByteArrayInputStream(
                Exposition.text(families).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUncaughtExceptionSeenInTheJvmIsTheReasonTheRunnerPushes() throws Exception {
        RunEnding seen = RunEnding.fromExitStatus(RUNNER_END, 1, false);
        RunEnding e = HandoffEnding.refine(seen, handedOff(
                RunEnding.failure(JVM_END, FailureReason.UNCAUGHT_EXCEPTION, 1)));
        assertEquals(FailureReason.UNCAUGHT_EXCEPTION, e.reason().orElseThrow());
        assertEquals(OptionalInt.of(1), e.exitCode());
        assertEquals(RUNNER_END, e.endEpochMillis());
    }

    @Test
    void anExitWith143IsAnExitCodeNotASignalWhenTheJvmSawSystemExit() throws Exception {
        RunEnding seen = RunEnding.fromExitStatus(RUNNER_END, 143, true);
        RunEnding e = HandoffEnding.refine(seen, handedOff(RunEnding.failure(JVM_END, FailureReason.EXIT_CODE, 143)));
        assertEquals(FailureReason.EXIT_CODE, e.reason().orElseThrow());
    }

    @Test
    void anotherStatusThanTheRunnerSawLeavesTheRunnersEnding() throws Exception {
        RunEnding seen = RunEnding.fromExitStatus(RUNNER_END, 0, false);
        assertSame(seen, HandoffEnding.refine(seen, handedOff(
                RunEnding.failure(JVM_END, FailureReason.UNCAUGHT_EXCEPTION, 1))));
        assertSame(seen, HandoffEnding.refine(seen, List.of()));
    }

    @Test
    void anEndingOfUnknownStatusIsNotHandedOffAndATimeoutIsNeverTakenFromTheJob() throws Exception {
        assertNull(HandoffEnding.family(RunEnding.failure(JVM_END, FailureReason.EXIT_CODE, null)));
        RunEnding seen = RunEnding.fromExitStatus(RUNNER_END, 124, false);
        assertSame(seen, HandoffEnding.refine(seen, handedOff(RunEnding.failure(JVM_END, FailureReason.TIMEOUT, 124))));
    }

    @Test
    void theEndingIsTakenOutOfTheMetricsThatArePushed() throws Exception {
        List<MetricFamilySamples> metrics = HandoffEnding.metrics(handedOff(RunEnding.success(JVM_END)));
        assertEquals(1, metrics.size());
        assertTrue(metrics.get(0).name.startsWith("rows"), metrics.toString());
        assertTrue(HandoffEnding.refine(RunEnding.fromExitStatus(RUNNER_END, 0, false),
                handedOff(RunEnding.success(JVM_END))).success());
    }
}
