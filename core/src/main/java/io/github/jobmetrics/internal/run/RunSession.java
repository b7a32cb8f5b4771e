package io.github.jobmetrics.internal.run;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.push.Exposition;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushEngine;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One measured run from start to its single final push: the registry the job counts into, the start marker, and
 * the end, which collects the run's metrics with the job's own {@link CollectorRegistry#defaultRegistry}
 * collectors and pushes them once. When a runner started this JVM ({@code JOBMETRICS_TEXTFILE} is set), the end
 * writes the record metrics and the job's collectors to that file instead, for the runner's one push.
 */
public final class RunSession {
    /** The environment variable a runner sets to receive metrics from inside the job. */
    public static final String TEXTFILE_ENV = "JOBMETRICS_TEXTFILE";

    private final RunRegistry registry;
    private final @Nullable PushEngine engine;
    private final @Nullable Path handoffFile;
    private final @Nullable CollectorRegistry jobCollectors;
    private final Consumer<String> err;
    private final AtomicBoolean finished = new AtomicBoolean();

    private RunSession(RunRegistry registry, @Nullable PushEngine engine, @Nullable Path handoffFile,
            @Nullable CollectorRegistry jobCollectors, Consumer<String> err) {
        this.registry = registry;
        this.engine = engine;
        this.handoffFile = handoffFile;
        this.jobCollectors = jobCollectors;
        this.err = err;
    }

    /**
     * Starts a run as {@code settings} say. {@code defaultJob} names the job when the settings do not;
     * {@code jobCollectors} are pushed with the run (the job's default registry; null for none);
     * {@code textfile} is where a runner waits for this JVM's metrics (null when no runner started it).
     */
    public static RunSession start(Settings settings, RunMode mode, String defaultJob, long startEpochMillis,
            @Nullable CollectorRegistry jobCollectors, @Nullable Path textfile, Consumer<String> err) {
        requireNonNull(settings, "settings must not be null");
        requireNonNull(mode, "mode must not be null");
        requireNonNull(err, "err must not be null");
        RunRegistry registry = RunRegistry.builder()
                .metricPrefix(settings.metricPrefix())
                .recordSlos(settings.recordSlos())
                .jobSlo(settings.jobSlo().orElse(null))
                .maxLabelValues(settings.maxLabelValues())
                .mode(mode.label())
                .startEpochMillis(startEpochMillis)
                .warnings(err)
                .build();
        if (textfile != null && mode != RunMode.RUNNER) {
            return new RunSession(registry, null, textfile, jobCollectors, err);
        }
        GroupingKey group = GroupingKey.of(settings.jobOr(defaultJob), settings.groupingKey());
        PushEngine engine = PushEngines.create(settings, group, registry.names(), err);
        RunSession session = new RunSession(registry, engine, null, jobCollectors, err);
        if (settings.pushAtStart()) {
            engine.pushStartAsync(registry.collectStart());
        }
        return session;
    }

    /** The registry job code and instrumentation count into. */
    public RunRegistry registry() {
        return registry;
    }

    /** Whether this run hands its metrics to a runner instead of pushing them. */
    public boolean isHandoff() {
        return handoffFile != null;
    }

    public boolean isFinished() {
        return finished.get();
    }

    /**
     * Ends the run and pushes it (or hands it off), exactly once whichever path gets here first: main returning,
     * an uncaught exception, a signal, a shutdown hook. Later calls do nothing and return false. {@code extra}
     * families (a runner's textfile) go out with the run.
     */
    public boolean finish(RunEnding ending, List<MetricFamilySamples> extra) {
        requireNonNull(ending, "ending must not be null");
        requireNonNull(extra, "extra must not be null");
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        try {
            List<MetricFamilySamples> families = new ArrayList<>(
                    handoffFile != null ? registry.collectRecords() : registry.collect(ending));
            // A runner's textfile carries the job's record metrics on purpose (hand-off); only names this run
            // already has are refused there. The job's own collectors may use none of the run's names.
            addForeign(families, extra, namesIn(families), "the job's metrics file");
            if (jobCollectors != null) {
                Set<String> taken = namesIn(families);
                taken.addAll(registry.names().all());
                addForeign(families, jobCollectors(), taken, "the job's CollectorRegistry.defaultRegistry");
            }
            if (handoffFile != null) {
                writeHandoff(families);
            } else {
                err.accept(engine.pushFinal(families, ending.success()).line());
            }
        } catch (RuntimeException | Error e) {
            // The push must never change how the job ends; say what went wrong and carry on.
            err.accept("jobmetrics: run metrics not delivered: " + e);
        } finally {
            CurrentRun.clear(this);
        }
        return true;
    }

    private List<MetricFamilySamples> jobCollectors() {
        try {
            return Collections.list(jobCollectors.metricFamilySamples());
        } catch (RuntimeException e) {
            err.accept("jobmetrics: a collector in the job's default registry failed (" + e
                    + "); its metrics are not pushed, the run's are");
            return List.of();
        }
    }

    private static Set<String> namesIn(List<MetricFamilySamples> families) {
        Set<String> names = new HashSet<>();
        for (MetricFamilySamples f : families) {
            names.add(f.name);
            f.samples.forEach(sample -> names.add(sample.name));
        }
        return names;
    }

    /** Adds the job's families, refusing names that belong to the run: two owners of one name is a config error. */
    private void addForeign(List<MetricFamilySamples> into, List<MetricFamilySamples> foreign, Set<String> taken,
            String source) {
        for (MetricFamilySamples f : foreign) {
            boolean clash = taken.contains(f.name) || f.samples.stream().anyMatch(s -> taken.contains(s.name));
            if (clash) {
                err.accept("jobmetrics: metric " + f.name + " from " + source + " has the name of a jobmetrics run"
                        + " metric and is not pushed; rename it or set another metric-prefix");
                continue;
            }
            into.add(f);
        }
    }

    private void writeHandoff(List<MetricFamilySamples> families) {
        Path target = handoffFile;
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.write(tmp, Exposition.text(families).getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            err.accept("jobmetrics: cannot write metrics to " + TEXTFILE_ENV + " file " + target + ": " + e);
        }
    }
}
