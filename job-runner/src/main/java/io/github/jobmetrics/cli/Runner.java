package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Secrets;
import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsException;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.config.Durations;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.run.HandoffEnding;
import io.github.jobmetrics.internal.run.RunMode;
import io.github.jobmetrics.internal.run.RunSession;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The job-runner command: parses the command line, loads the settings, runs the job as a child process, pushes
 * the run once it has ended and returns the exit status for {@link RunnerMain} to exit with.
 *
 * <p>Usage from code or tests: {@code int status = Runner.execute(args, System.out, System.err, System.getenv());}
 */
public final class Runner {
    /** The runner's own error: a bad option or setting. */
    public static final int USAGE_ERROR = 125;

    /** The agent jar looked for next to the runner jar. */
    static final String AGENT_JAR_NAME = "job-metrics-agent.jar";

    // Secrets are for the runner's push only; the job does not need them, and its environment is one more place
    // where they could leak (a crash dump, a child that logs its environment).
    private static final List<String> SECRET_VARIABLES = List.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE,
            Secrets.BEARER_TOKEN_VARIABLE, Secrets.TRUST_STORE_PASSWORD_VARIABLE, Secrets.KEY_STORE_PASSWORD_VARIABLE);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Properties systemProperties;
    private final StopRequests stopRequests;

    private Runner(PrintStream out, PrintStream err, Map<String, String> env, Properties systemProperties,
            StopRequests stopRequests) {
        this.out = requireNonNull(out, "out must not be null");
        this.err = requireNonNull(err, "err must not be null");
        this.env = requireNonNull(env, "env must not be null");
        this.systemProperties = requireNonNull(systemProperties, "systemProperties must not be null");
        this.stopRequests = requireNonNull(stopRequests, "stopRequests must not be null");
    }

    /**
     * Runs the job the arguments name and returns the exit status: the job's, or 124 to 127 as the contract says.
     * {@code out} gets only {@code --help} and {@code --version}; the job writes to the real stdout and stderr.
     */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return execute(args, out, err, env, System.getProperties(), new StopRequests());
    }

    /**
     * As {@link #execute(String[], PrintStream, PrintStream, Map)}; the job is stopped as if the runner got a
     * signal when {@code stopRequest} completes (with the signal's name).
     */
    static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
            Properties systemProperties, CompletableFuture<String> stopRequest) {
        StopRequests stops = new StopRequests();
        stopRequest.thenAccept(stops::receive);
        return execute(args, out, err, env, systemProperties, stops);
    }

    /** As above, with every signal the runner caught in {@code stopRequests}. */
    static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
            Properties systemProperties, StopRequests stopRequests) {
        requireNonNull(args, "args must not be null");
        return new Runner(out, err, env, systemProperties, stopRequests).run(args);
    }

    private int run(String[] args) {
        Invocation invocation;
        Settings settings;
        try {
            Optional<Invocation> parsed = RunnerCommandLine.parse(args, out);
            if (parsed.isEmpty()) {
                out.flush();
                return 0;
            }
            invocation = parsed.get();
        } catch (UsageException e) {
            return usageError(e.getMessage());
        }
        try {
            settings = SettingsLoader.load(invocation.explicitSettings(), SettingsLoader.OPTION_SOURCE,
                    systemProperties, env);
        } catch (SettingsException e) {
            return usageError(e.getMessage() + "; " + RunnerCommandLine.HELP_POINTER);
        }
        JobSpec job = invocation.job();
        String javaagent;
        try {
            javaagent = job.isJava() && settings.agent()
                    ? javaagent(invocation.agentJar(), settings, invocation.jvmOptions()) : null;
        } catch (UsageException e) {
            return usageError(e.getMessage());
        }
        // Two files: the job's own (JOBMETRICS_TEXTFILE) and the agent's or API's hand-off, so neither replaces
        // the other when a Java job writes its own metrics too.
        try (JobTextfile textfile = JobTextfile.create(); JobTextfile handoff = JobTextfile.create()) {
            return supervise(invocation, settings, javaagent, textfile, handoff);
        } catch (IOException e) {
            return usageError("cannot create the " + RunSession.TEXTFILE_ENV + " directory: " + e.getMessage());
        }
    }

    private int supervise(Invocation invocation, Settings settings, @Nullable String javaagent, JobTextfile textfile,
            JobTextfile handoff) {
        Consumer<String> lines = err::println;
        JobSpec job = invocation.job();
        JobPlan plan = null;
        LaunchFailure failure = null;
        try {
            plan = JobPlan.of(job, invocation.jvmOptions(), javaExecutable(), javaagent);
        } catch (LaunchFailure f) {
            failure = f;
        }
        String defaultName = plan != null ? plan.defaultJobName() : JobPlan.defaultJobName(job);
        Duration grace = Supervisor.graceFor(settings.pushTimeout());
        long startMillis = System.currentTimeMillis();
        JobProcess child = null;
        if (plan != null) {
            try {
                // The job starts first; setting up the push machinery then overlaps with the job's own start-up.
                child = JobLauncher.onPath(env.get("PATH")).start(processBuilder(plan, settings, textfile, handoff),
                        grace, lines);
            } catch (LaunchFailure f) {
                failure = f;
            }
        }
        RunSession session = RunSession.start(settings, RunMode.RUNNER, defaultName, startMillis, null, null,
                lines);
        if (child != null) {
            EndWarmUp.start(settings.metricPrefix());
        }
        try {
            if (failure != null) {
                throw failure;
            }
            JobExit exit = awaitKeepingTheStatus(child, new Supervisor(settings.timeout().orElse(null), grace,
                    stopRequests.first(), lines));
            // The status is known and nothing may change it now: the files are read and the push reports trouble
            // in a line and still pushes (or spools) the run. A signal that arrives during a read cuts it short.
            RunEnding ending = exit.ending(System.currentTimeMillis());
            List<MetricFamilySamples> handedOff = handoff.read(lines, stopRequests.next());
            if (!exit.timedOut() && exit.stoppedBy() == null) {
                // The job's JVM knows why it ended (an uncaught exception, System.exit(143)); the runner only
                // knows the status. Same ending, same labels as under the agent alone.
                ending = HandoffEnding.refine(ending, handedOff);
            }
            List<MetricFamilySamples> extra = new ArrayList<>(HandoffEnding.metrics(handedOff));
            extra.addAll(textfile.read(lines, stopRequests.next()));
            session.finish(ending, extra);
            return exit.runnerStatus();
        } catch (LaunchFailure f) {
            lines.accept(RunnerCommandLine.NAME + ": " + f.getMessage());
            session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.EXIT_CODE, f.status()),
                    List.of());
            return f.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines.accept(RunnerCommandLine.NAME + ": interrupted while waiting for the job");
            session.finish(RunEnding.failure(System.currentTimeMillis(), FailureReason.SIGNAL, null), List.of());
            return USAGE_ERROR;
        }
    }

    /** The job's ending; should the runner fail while waiting (out of memory, a bug), still the job's own status. */
    private JobExit awaitKeepingTheStatus(JobProcess child, Supervisor supervisor) throws InterruptedException {
        try {
            return supervisor.await(child);
        } catch (RuntimeException | Error e) {
            err.println(RunnerCommandLine.NAME + ": internal error while waiting for the job: " + e
                    + "; waiting for its exit status");
            return new JobExit(child.main().waitFor(), false, stopRequests.first().getNow(null));
        } finally {
            child.release();
        }
    }

    private ProcessBuilder processBuilder(JobPlan plan, Settings settings, JobTextfile textfile,
            JobTextfile handoff) {
        ProcessBuilder pb = new ProcessBuilder(plan.command()).inheritIO();
        Map<String, String> childEnv = pb.environment();
        childEnv.clear();
        childEnv.putAll(env);
        SECRET_VARIABLES.forEach(childEnv::remove);
        childEnv.put(RunSession.TEXTFILE_ENV, textfile.path().toString());
        childEnv.put(RunSession.HANDOFF_ENV, handoff.path().toString());
        // The job's own records (agent or API) are shaped in the job's JVM; give it the runner's resolved values
        // so that options and -D given to the runner reach it too.
        childEnv.put(SettingKey.environmentVariable(SettingKey.METRIC_PREFIX.key()), settings.metricPrefix());
        childEnv.put(SettingKey.environmentVariable(SettingKey.MAX_LABEL_VALUES.key()),
                String.valueOf(settings.maxLabelValues()));
        if (!settings.recordSlos().isEmpty()) {
            childEnv.put(SettingKey.environmentVariable(SettingKey.RECORD_SLO.key()),
                    settings.recordSlos().stream().map(Durations::format).collect(Collectors.joining(",")));
        }
        return pb;
    }

    private @Nullable String javaagent(@Nullable Path explicitJar, Settings settings, List<String> jvmOptions)
            throws UsageException {
        if (explicitJar != null) {
            if (!Files.isReadable(explicitJar)) {
                throw new UsageException("option " + RunnerCommandLine.AGENT_JAR + ": " + explicitJar
                        + " is not a readable file; " + RunnerCommandLine.HELP_POINTER);
            }
            return AgentArgument.forJob(explicitJar, settings, jvmOptions, env);
        }
        Path next = besideRunnerJar();
        if (next == null || !Files.isReadable(next)) {
            err.println(RunnerCommandLine.NAME + ": no agent at " + (next == null ? AGENT_JAR_NAME : next)
                    + "; running the job without it (its own records are not measured; --no-agent hides this)");
            return null;
        }
        return AgentArgument.forJob(next, settings, jvmOptions, env);
    }

    private static @Nullable Path besideRunnerJar() {
        CodeSource source = Runner.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            Path dir = Files.isDirectory(location) ? location : location.getParent();
            return dir == null ? null : dir.resolve(AGENT_JAR_NAME);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code java} that runs this runner, so the job gets the same JDK. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private int usageError(String message) {
        err.println(RunnerCommandLine.NAME + ": " + message);
        return USAGE_ERROR;
    }
}
