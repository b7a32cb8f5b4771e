package io.github.jobmetrics.api;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsException;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.run.CurrentRun;
import io.github.jobmetrics.internal.run.JobNames;
import io.github.jobmetrics.internal.run.RunMode;
import io.github.jobmetrics.internal.run.RunSession;
import io.prometheus.client.CollectorRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Entry point for job code. Joins the run the jobmetrics agent or runner started for this JVM, or starts one
 * that is pushed when closed. Settings come from {@code jobmetrics.*} system properties, {@code JOBMETRICS_*}
 * environment variables and the file named by {@code config}.
 *
 * <pre>{@code
 * try (JobRun run = JobMetrics.startOrJoin()) {
 *     Stage load = run.stage("load");
 *     for (Row row : rows) {
 *         load.record(() -> write(row));   // timed, counted, errors by exception class
 *     }
 *     load.output(rows.size());
 * }   // pushed here unless the agent or runner owns the run
 * }</pre>
 */
public final class JobMetrics {
    private JobMetrics() {
    }

    /** Joins this JVM's run, or starts one with settings from system properties and the environment. */
    public static JobRun startOrJoin() {
        return startOrJoin(System.getProperties(), System.getenv(), System.err);
    }

    static JobRun startOrJoin(Properties systemProperties, Map<String, String> env, PrintStream err) {
        JobRun joined = joinCurrent();
        if (joined != null) {
            return joined;
        }
        Settings settings;
        try {
            settings = SettingsLoader.load(Map.of(), "api", systemProperties, env);
        } catch (SettingsException e) {
            // A metrics setting must not stop a batch job: say what is wrong and measure without pushing.
            err.println("jobmetrics: " + e.getMessage() + "; this run's metrics are printed, not pushed");
            settings = Settings.defaults();
        }
        return start(settings, handoffPath(env), err);
    }

    /** Starts a run with explicit settings, or joins this JVM's run if there is one. */
    public static JobRun startOrJoin(Settings settings) {
        requireNonNull(settings, "settings must not be null");
        JobRun joined = joinCurrent();
        return joined != null ? joined : start(settings, null, System.err);
    }

    /**
     * Starts a run for one execution of a job inside a longer-lived JVM, such as one Spring Batch job execution
     * in an application that runs several jobs or the same job again: each such run is pushed on its own, to the
     * group that {@code settings} name ({@link Settings#job()} and {@link Settings#groupingKey()}), when it is
     * closed. Unlike {@link #startOrJoin(Settings)} the run does not become this JVM's run, so several may be open
     * at once, and the JVM's own {@code CollectorRegistry.defaultRegistry} is not pushed with it.
     *
     * <p>When the agent owns this JVM's run, or a runner waits for this JVM's metrics ({@code JOBMETRICS_HANDOFF}),
     * the execution joins that run instead (the runner's one push carries it), exactly as
     * {@link #startOrJoin()} does, so a job under the runner or the agent is never pushed twice.
     */
    public static JobRun startExecution(Settings settings) {
        requireNonNull(settings, "settings must not be null");
        JobRun joined = joinCurrent();
        if (joined != null) {
            return joined;
        }
        Path handoff = handoffPath(System.getenv());
        if (handoff != null) {
            return start(settings, handoff, System.err);
        }
        PrintStream err = System.err;
        RunSession session = RunSession.start(settings, RunMode.API, JobNames.ofThisJvm(),
                System.currentTimeMillis(), null, null, err::println);
        return new JobRun(session, true, unclosedRunHook(session, err));
    }

    /** This JVM's run, joined, while it is open; null when there is none. */
    private static @Nullable JobRun joinCurrent() {
        RunSession current = CurrentRun.get();
        return current != null && !current.isFinished() ? new JobRun(current, false, null) : null;
    }

    private static @Nullable Path handoffPath(Map<String, String> env) {
        String file = RunSession.handoffFile(env);
        return file == null ? null : Path.of(file);
    }

    private static JobRun start(Settings settings, @Nullable Path textfile, PrintStream err) {
        RunSession session = RunSession.start(settings, RunMode.API, JobNames.ofThisJvm(),
                System.currentTimeMillis(), CollectorRegistry.defaultRegistry, textfile, err::println);
        RunSession winner = CurrentRun.installIfAbsent(session);
        if (winner != session) {
            return new JobRun(winner, false, null);
        }
        return new JobRun(session, true, unclosedRunHook(session, err));
    }

    private static Thread unclosedRunHook(RunSession session, PrintStream err) {
        // A run never closed (System.exit inside the try) is still pushed, as failed: it did not reach its end.
        Thread hook = new Thread(() -> {
            if (session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.EXIT_CODE, null),
                    List.of())) {
                err.println("jobmetrics: the JVM exited before the run was closed; pushed as failed");
            }
        }, "jobmetrics-unclosed-run");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
