package io.github.jobmetrics.internal.run;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * How the job's JVM saw its run end, carried in the hand-off file to the runner: the runner sees only an exit
 * status, the agent or the API inside the JVM also sees why ({@code uncaught_exception} rather than
 * {@code exit_code}, {@code System.exit(143)} rather than a signal). One family,
 * {@code jobmetrics_handoff_ending{reason="uncaught_exception"} 1} (reason empty for a success; the value is the exit
 * status), that the runner takes out before the push, so every mode labels the same ending the same way.
 */
public final class HandoffEnding {
    /** The family's name; not a run metric, never pushed. */
    public static final String FAMILY = "jobmetrics_handoff_ending";

    private static final String REASON = "reason";

    private HandoffEnding() {
    }

    /** The family for {@code ending}, or null when its exit status is not known (nothing to match it by). */
    static @Nullable MetricFamilySamples family(RunEnding ending) {
        OptionalInt status = ending.exitCode();
        if (status.isEmpty()) {
            return null;
        }
        String reason = ending.reason().map(FailureReason::label).orElse("");
        return new MetricFamilySamples(FAMILY, Collector.Type.GAUGE, "how the job's JVM saw its run end",
                List.of(new Sample(FAMILY, List.of(REASON), List.of(reason), status.getAsInt())));
    }

    /** {@code handedOff} without the ending family: the metrics that go out with the run. */
    public static List<MetricFamilySamples> metrics(List<MetricFamilySamples> handedOff) {
        List<MetricFamilySamples> out = new ArrayList<>(handedOff.size());
        for (MetricFamilySamples f : handedOff) {
            if (!f.name.equals(FAMILY)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The runner's ending, told apart as the job's JVM saw it: when the hand-off carries an ending with the very
     * exit status the runner saw, its success and reason win (the time stays the runner's). Otherwise (no
     * hand-off, another status, a malformed family) {@code seen} stands.
     */
    public static RunEnding refine(RunEnding seen, List<MetricFamilySamples> handedOff) {
        requireNonNull(seen, "seen must not be null");
        requireNonNull(handedOff, "handedOff must not be null");
        OptionalInt status = seen.exitCode();
        if (status.isEmpty()) {
            return seen;
        }
        for (MetricFamilySamples f : handedOff) {
            if (!f.name.equals(FAMILY) || f.samples.size() != 1) {
                continue;
            }
            Sample s = f.samples.get(0);
            int index = s.labelNames.indexOf(REASON);
            if (index < 0 || s.value != status.getAsInt()) {
                return seen;
            }
            String reason = s.labelValues.get(index);
            if (reason.isEmpty()) {
                return status.getAsInt() == 0 ? RunEnding.success(seen.endEpochMillis()) : seen;
            }
            for (FailureReason r : FailureReason.values()) {
                // Only the runner knows that its timeout expired.
                if (r != FailureReason.TIMEOUT && r.label().equals(reason)) {
                    return RunEnding.failure(seen.endEpochMillis(), r, status.getAsInt());
                }
            }
            return seen;
        }
        return seen;
    }
}
