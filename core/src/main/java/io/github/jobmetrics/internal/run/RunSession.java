package io.github.jobmetrics.internal.run;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.model.CreatedSeries;
import io.github.jobmetrics.internal.model.ForeignFamilies;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.model.RunSummary;
import io.github.jobmetrics.internal.push.Exposition;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushEngine;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.remotewrite.RemoteWriteSink;
import io.github.jobmetrics.internal.push.remotewrite.RemoteWriteSinks;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One measured run from start to its single final push: the registry the job counts into, the start marker, and
 * the end, which collects the run's metrics with the job's own {@link CollectorRegistry#defaultRegistry}
 * collectors and pushes them once. When a runner started this JVM ({@code JOBMETRICS_HANDOFF} is set), the end
 * writes the record metrics, the job's collectors and how the run ended ({@link HandoffEnding}) to that file
 * instead, for the runner's one push.
 */
public final class RunSession {
    /** The environment variable a runner sets for any job's own metrics file; jobmetrics never writes it. */
    public static final String TEXTFILE_ENV = "JOBMETRICS_TEXTFILE";

    /**
     * The environment variable a runner sets to receive the agent's or the API's run from inside the job: a file
     * of its own, so that a job writing {@link #TEXTFILE_ENV} itself keeps its metrics too.
     */
    public static final String HANDOFF_ENV = "JOBMETRICS_HANDOFF";

    /** A class of the remote-write package, which the agent jar leaves to its side jar. */
    private static final String REMOTE_WRITE_CLASS =
            "io/github/jobmetrics/internal/push/remotewrite/RemoteWriteSinks.class";

    private final RunRegistry registry;
    private final @Nullable PushEngine engine;
    /** Empty unless {@code remote-write} is set (and, under the agent alone, its side jar is there). */
    private final Optional<RemoteWriteSink> remoteWrite;
    private final @Nullable Path handoffFile;
    private final @Nullable CollectorRegistry jobCollectors;
    private final Consumer<String> err;
    private final boolean keepCreatedSeries;
    private final AtomicBoolean finished = new AtomicBoolean();

    private RunSession(RunRegistry registry, @Nullable PushEngine engine, Optional<RemoteWriteSink> remoteWrite,
            @Nullable Path handoffFile, @Nullable CollectorRegistry jobCollectors, Consumer<String> err,
            boolean keepCreatedSeries) {
        this.registry = registry;
        this.engine = engine;
        this.remoteWrite = remoteWrite;
        this.handoffFile = handoffFile;
        this.jobCollectors = jobCollectors;
        this.err = err;
        this.keepCreatedSeries = keepCreatedSeries;
    }

    /**
     * Starts a run as {@code settings} say. {@code defaultJob} names the job when the settings do not;
     * {@code jobCollectors} are pushed with the run (the job's default registry; null for none);
     * {@code textfile} is where a runner waits for this JVM's metrics, the {@link #HANDOFF_ENV} file (null when no
     * runner started it).
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
            return new RunSession(registry, null, Optional.empty(), textfile, jobCollectors, err,
                    settings.createdSeries());
        }
        GroupingKey group = GroupingKey.of(settings.jobOr(defaultJob), settings.groupingKey());
        PushEngine engine = PushEngines.create(settings, group, registry.names(), err);
        Optional<RemoteWriteSink> remoteWrite = Optional.empty();
        // The agent jar leaves remote write out: the agent appends its side jar first, or has already said in one
        // line which file is missing. Resolving a class that is not there would fail the whole run, so the run goes
        // on without remote write then (docs/remote-write.md).
        if (settings.remoteWrite().isPresent() && (mode != RunMode.AGENT || remoteWriteReachable())) {
            remoteWrite = RemoteWriteSinks.create(settings, group, err);
        }
        RunSession session = new RunSession(registry, engine, remoteWrite, null, jobCollectors, err,
                settings.createdSeries());
        if (settings.pushAtStart()) {
            engine.pushStartAsync(registry.collectStart());
            // Off the job's path: encoded and sent on a thread of its own, dropped if it cannot go within 2 s. No
            // lambda here: its bootstrap would resolve RemoteWriteSink, which the agent jar leaves out, even when
            // the Optional is empty; a call is resolved only when it runs.
            if (remoteWrite.isPresent()) {
                remoteWrite.get().writeStartAsync(registry.collectStartWithObjective(), registry.startEpochMillis());
            }
        }
        return session;
    }

    /**
     * Whether the remote-write classes can be loaded: a resource lookup, so a miss is not a failed class resolution,
     * which the JVM would remember for good.
     */
    private static boolean remoteWriteReachable() {
        ClassLoader loader = RunSession.class.getClassLoader();
        return loader != null && loader.getResource(REMOTE_WRITE_CLASS) != null;
    }

    /** The file a runner waits on for this JVM's metrics, named by {@link #HANDOFF_ENV} in {@code env}; else null. */
    public static @Nullable String handoffFile(Map<String, String> env) {
        String file = env.get(HANDOFF_ENV);
        return file == null || file.isBlank() ? null : file;
    }

    /** The registry job code and instrumentation count into. */
    public RunRegistry registry() {
        return registry;
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
            ForeignFamilies foreign = new ForeignFamilies(registry.names(), err);
            // A runner's textfile may carry the job's record counts (the hand-off); the job's own collectors may
            // use none of the run's names.
            List<MetricFamilySamples> families = foreign.admit(
                    handoffFile != null ? registry.collectRecords() : registry.collect(ending), withoutCreated(extra),
                    true, "the job's metrics file");
            if (jobCollectors != null) {
                families = foreign.admit(families, withoutCreated(jobCollectors()), false,
                        "the job's CollectorRegistry.defaultRegistry");
            }
            if (handoffFile != null) {
                MetricFamilySamples seen = HandoffEnding.family(ending);
                if (seen != null) {
                    families.add(seen);
                }
                writeHandoff(families);
            } else {
                PushReport pushed = engine.pushFinal(families, ending.success());
                String delivered = pushed.detail();
                if (remoteWrite.isPresent()) {
                    String written = remoteWrite.get().deliver(families, ending.endEpochMillis()).detail();
                    // Without a gateway the remote write is the delivery: "no gateway set" would only mislead.
                    delivered = pushed.outcome() == PushReport.Outcome.PRINTED ? written : delivered + "; " + written;
                }
                err.accept("jobmetrics: " + RunSummary.of(engine.group().job(), ending, registry.startEpochMillis(),
                        families, registry.names()) + "; " + delivered);
            }
        } catch (RuntimeException | Error e) {
            // The push must never change how the job ends; say what went wrong and carry on.
            err.accept("jobmetrics: run metrics not delivered: " + e);
        } finally {
            CurrentRun.clear(this);
        }
        return true;
    }

    private List<MetricFamilySamples> withoutCreated(List<MetricFamilySamples> families) {
        return keepCreatedSeries ? families : CreatedSeries.strip(families);
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
            err.accept("jobmetrics: cannot write metrics to " + HANDOFF_ENV + " file " + target + ": " + e);
        }
    }
}
