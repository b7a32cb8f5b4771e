package io.github.jobmetrics.api;

import static java.util.Objects.requireNonNull;

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
        RunSession current = CurrentRun.get();
        if (current != null && !current.isFinished()) {
            return new JobRun(current, false, null);
        }
        Settings settings;
        try {
            settings = SettingsLoader.load(Map.of(), "api", systemProperties, env);
        } catch (SettingsException e) {
            // A metrics setting must not stop a batch job: say what is wrong and measure without pushing.
            err.println("jobmetrics: " + e.getMessage() + "; this run's metrics are printed, not pushed");
            settings = Settings.defaults();
        }
        String textfile = env.get(RunSession.TEXTFILE_ENV);
        return start(settings, textfile == null || textfile.isBlank() ? null : Path.of(textfile), err);
    }

    /** Starts a run with explicit settings, or joins this JVM's run if there is one. */
    public static JobRun startOrJoin(Settings settings) {
        requireNonNull(settings, "settings must not be null");
        RunSession current = CurrentRun.get();
        if (current != null && !current.isFinished()) {
            return new JobRun(current, false, null);
        }
        return start(settings, null, System.err);
    }

    private static JobRun start(Settings settings, Path textfile, PrintStream err) {
        RunSession session = RunSession.start(settings, RunMode.API, JobNames.ofThisJvm(),
                System.currentTimeMillis(), CollectorRegistry.defaultRegistry, textfile, err::println);
        RunSession winner = CurrentRun.installIfAbsent(session);
        if (winner != session) {
            return new JobRun(winner, false, null);
        }
        // A run never closed (System.exit inside the try) is still pushed, as failed: it did not reach its end.
        Thread hook = new Thread(() -> {
            if (session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.EXIT_CODE, null),
                    List.of())) {
                err.println("jobmetrics: the JVM exited before the run was closed; pushed as failed");
            }
        }, "jobmetrics-unclosed-run");
        Runtime.getRuntime().addShutdownHook(hook);
        return new JobRun(session, true, hook);
    }
}
