package io.github.jobmetrics.cli;

import io.github.jobmetrics.internal.model.ForeignFamilies;
import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunSummary;
import io.github.jobmetrics.internal.push.Exposition;
import io.github.jobmetrics.internal.push.ExpositionCheck;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.run.HandoffEnding;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * While the job runs, the runner only waits; this runs the code of the run's end once on made-up input, on a daemon
 * thread: reading a metrics file (its own, in a directory of its own), the hand-off ending, the checks, the
 * exposition and the summary line. Their classes, lambdas and regular expressions are then ready when the job
 * ends, so what the runner does after the job, and the job's wall time as a user sees it, is only the work itself
 * (measured in docs/performance-runner.md). It touches no state of the run and ignores its own failures: the real
 * end reports whatever is wrong.
 */
final class EndWarmUp implements Runnable {
    private static final String SAMPLE = "# TYPE jobmetrics_handoff_ending gauge\n"
            + "jobmetrics_handoff_ending{reason=\"\"} 0\n"
            + "# TYPE warm_up_total counter\nwarm_up_total{stage=\"main\"} 1.5\n";

    private final String metricPrefix;

    private EndWarmUp(String metricPrefix) {
        this.metricPrefix = metricPrefix;
    }

    /** Starts the warm-up; returns at once. */
    static void start(String metricPrefix) {
        Thread thread = new Thread(new EndWarmUp(metricPrefix), "jobmetrics-runner-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        Consumer<String> ignore = line -> { };
        try (JobTextfile file = JobTextfile.create()) {
            Files.write(file.path(), SAMPLE.getBytes(StandardCharsets.US_ASCII));
            List<MetricFamilySamples> read = file.read(ignore);
            RunEnding ending = HandoffEnding.refine(RunEnding.success(System.currentTimeMillis()), read);
            MetricNames names = new MetricNames(metricPrefix);
            List<MetricFamilySamples> families = new ForeignFamilies(names, ignore).admit(List.of(),
                    HandoffEnding.metrics(read), true, "warm-up");
            families = ExpositionCheck.check(families, GroupingKey.of("warm_up", Map.of()), ignore);
            Exposition.text(families);
            RunSummary.of("warm_up", ending, 0, families, names);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            // Nothing to report: the run's own end does the same work and says what is wrong.
        }
    }
}
