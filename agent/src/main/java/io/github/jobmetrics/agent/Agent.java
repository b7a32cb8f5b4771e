package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.agent.internal.ExitCapture;
import io.github.jobmetrics.agent.internal.ExitStatus;
import io.github.jobmetrics.agent.internal.MainThreadWatch;
import io.github.jobmetrics.agent.internal.MethodProbe;
import io.github.jobmetrics.agent.internal.RecordTransformer;
import io.github.jobmetrics.agent.internal.SignalChain;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsException;
import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.internal.config.AgentArguments;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.run.CurrentRun;
import io.github.jobmetrics.internal.run.JobNames;
import io.github.jobmetrics.internal.run.RunMode;
import io.github.jobmetrics.internal.run.RunSession;
import io.prometheus.client.CollectorRegistry;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;

/**
 * The agent's one run. On the job's path (in {@code premain}) it does only what must be in place before
 * {@code main}: the argument check, the exit capture, the signal and uncaught-exception watch, the shutdown hook
 * and, when patterns are configured, the settings and the class-load watch. Everything else (the settings
 * otherwise, the run itself and its start push, the weaver) happens on daemon threads while the JVM loads the
 * job. Under a runner without patterns the run starts only when job code joins it, or at exit when the job's
 * default registry holds metrics; otherwise the exit writes the ending alone ({@link EndingHandoff}).
 */
final class Agent implements Callable<RunSession> {
    /** How long the shutdown hook waits for a start still under way; a start takes tens of milliseconds. */
    private static final long START_WAIT_SECONDS = 10;

    private final Instrumentation inst;
    private final @Nullable Thread main;
    private final @Nullable JobJvm jvm;
    private final MainThreadWatch watch;
    private final PrintStream err;
    private final @Nullable Settings loaded;
    private final Map<String, String> arguments;
    private final Properties sys;
    private final Map<String, String> env;
    /** The run being started: on a daemon thread at once, or {@link StartOnDemand on demand}. */
    private final Future<RunSession> session;
    /** The keys that can name a method pattern, directly or through a properties file. */
    private static final List<SettingKey> PATTERN_SOURCES = List.of(SettingKey.RECORDS, SettingKey.RECORDS_STAGE,
            SettingKey.INPUT, SettingKey.OUTPUT, SettingKey.DISCOVER, SettingKey.CONFIG);

    /** The package of the job's {@code CollectorRegistry.defaultRegistry}, which a run hands off with its own. */
    private static final String JOB_COLLECTORS_PACKAGE = "io.prometheus.client";

    private volatile @Nullable RecordTransformer records;
    /** The file a runner waits on for this JVM's metrics; null when no runner does. */
    private final @Nullable String handoff;

    private Agent(Instrumentation inst, @Nullable Thread main, @Nullable JobJvm jvm, @Nullable MainThreadWatch watch,
            PrintStream err, @Nullable Settings loaded, Map<String, String> arguments, Properties sys,
            Map<String, String> env) {
        this.inst = inst;
        this.main = main;
        this.jvm = jvm;
        this.watch = watch;
        this.err = err;
        this.loaded = loaded;
        this.arguments = arguments;
        this.sys = sys;
        this.env = env;
        // Not RunSession.handoffFile: that would load RunSession before main, which a job that never joins the run
        // must not pay for (AgentUnderRunnerIT); the constant is compiled in.
        String file = env.get(RunSession.HANDOFF_ENV);
        this.handoff = file == null || file.isBlank() ? null : file;
        this.session = onDemand() ? new StartOnDemand(this) : new FutureTask<>(this);
    }

    /**
     * Under a runner and without patterns (no settings read before main): the run starts only if job code joins it
     * or the job's default registry has metrics; otherwise the exit hands off the ending alone.
     */
    private boolean onDemand() {
        return loaded == null && handoff != null;
    }

    /**
     * Starts the agent's run; {@code jvm} is this JVM as its command line describes it, null when the agent was
     * attached to a running JVM on purpose (then it measures whatever runs).
     */
    static void start(String argument, Instrumentation inst, @Nullable Thread main, @Nullable JobJvm jvm,
            Properties sys, Map<String, String> env, PrintStream err) throws AgentException {
        Map<String, String> arguments;
        try {
            arguments = AgentArguments.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new AgentException(e.getMessage(), JobMetricsAgent.strictAsked(Map.of(), sys, env));
        }
        if (jvm != null && !isTheJob(jvm, jobMainAsked(arguments, sys, env))) {
            return;
        }
        boolean strict = JobMetricsAgent.strictAsked(arguments, sys, env);
        // Patterns must be known before the job's classes load; without any, the settings can wait.
        Settings settings = strict || mayNamePatterns(arguments, sys, env) ? load(arguments, sys, env, strict) : null;

        // Before main: a job that exits in its first milliseconds must report its status too.
        String exitProblem = ExitCapture.install(inst);
        if (exitProblem != null) {
            err.println("jobmetrics agent: the status of System.exit is not seen: " + exitProblem);
        }
        String signalProblem = signalChain();
        if (signalProblem != null) {
            err.println("jobmetrics agent: signals are not seen: " + signalProblem);
        }
        // Under a runner and without patterns the run's figures are the runner's; the job's JVM only has to tell
        // how it ended. The run starts if job code joins it (or at exit, if the job's default registry has
        // metrics), so a plain job runs none of it: no settings, no registry, no thread.
        // No lambdas on this path: the first one costs the JVM several milliseconds of set-up.
        Agent agent = new Agent(inst, main, jvm, main == null ? null : MainThreadWatch.install(main, err), err,
                settings, arguments, sys, env);
        CurrentRun.announce(agent.session);
        if (!agent.onDemand()) {
            Thread starter = new Thread((FutureTask<RunSession>) agent.session, "jobmetrics-agent-start");
            starter.setDaemon(true);
            starter.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new FinalPush(agent), "jobmetrics-agent-final-push"));
        if (settings != null) {
            List<MethodProbe> probes = probes(settings);
            String discover = settings.discover().orElse(null);
            if (!probes.isEmpty() || discover != null) {
                agent.records = RecordTransformer.install(inst, probes, settings.countNestedCalls(), discover,
                        agent.session, err::println);
            }
        }
    }

    /**
     * Watches SIGTERM and SIGINT; the reason why not, or null. {@code sun.misc.Signal} lives in the module
     * {@code jdk.unsupported}, which a modular job ({@code java -m}) may leave out of the boot layer: the run is then
     * measured without seeing signals, rather than not at all.
     */
    private static @Nullable String signalChain() {
        try {
            return SignalChain.install("TERM", "INT");
        } catch (LinkageError e) {
            return "module jdk.unsupported is not in this JVM (" + e.getMessage() + "); give the job's JVM"
                    + " --add-modules jdk.unsupported";
        }
    }

    /** Whether {@code jvm} is the job's: any application JVM unless {@code job-main} names another. */
    private static boolean isTheJob(JobJvm jvm, @Nullable String jobMain) {
        return jobMain == null || jobMain.isBlank() || jvm.isNamed(jobMain);
    }

    /**
     * {@code job-main} from the places that are cheap to read before {@code main}; a properties file is read on
     * the start thread, which then stands down as silently, only later (the exit watch is in place by then).
     */
    static @Nullable String jobMainAsked(Map<String, String> arguments, Properties sys, Map<String, String> env) {
        return SettingKey.JOB_MAIN.rawValue(arguments, sys, env).orElse(null);
    }

    private static Settings load(Map<String, String> arguments, Properties sys, Map<String, String> env,
            boolean strict) throws AgentException {
        try {
            return SettingsLoader.load(arguments, "agent argument", sys, env);
        } catch (SettingsException e) {
            // strict=true in the properties file counts too, although the file's settings are unusable.
            throw new AgentException(e.getMessage(), strict || e.strictRequested());
        }
    }

    /** Whether any source can hold a pattern: a pattern key or a properties file. */
    static boolean mayNamePatterns(Map<String, String> arguments, Properties sys, Map<String, String> env) {
        for (SettingKey key : PATTERN_SOURCES) {
            if (key.givenIn(arguments, sys, env)) {
                return true;
            }
        }
        return false;
    }

    /** The probes of every pattern, ids 0..n-1: records by stage, then input, then output. */
    static List<MethodProbe> probes(Settings settings) {
        List<MethodProbe> out = new ArrayList<>();
        settings.recordPatterns().forEach((stage, patterns) -> {
            for (String p : patterns) {
                out.add(new MethodProbe(out.size(), MethodProbe.Kind.RECORD, stage, p));
            }
        });
        for (String p : settings.inputPatterns()) {
            out.add(new MethodProbe(out.size(), MethodProbe.Kind.INPUT, Settings.MAIN_STAGE, p));
        }
        for (String p : settings.outputPatterns()) {
            out.add(new MethodProbe(out.size(), MethodProbe.Kind.OUTPUT, Settings.MAIN_STAGE, p));
        }
        return out;
    }

    /** On the daemon thread: the settings if not loaded yet, the run and its start push; null if none. */
    @Override
    public @Nullable RunSession call() {
        try {
            Settings settings = loaded != null ? loaded : load(arguments, sys, env, false);
            if (jvm != null && !isTheJob(jvm, settings.jobMain().orElse(null))) {
                return null;
            }
            if (settings.remoteWrite().isPresent() && handoff == null) {
                // Before the run: its first reference to a remote-write class must find the side jar appended.
                String missing = RemoteWriteSideJar.append(inst, RemoteWriteSideJar.jarOf(Agent.class),
                        Agent.class.getPackage().getImplementationVersion(), ClassLoader.getSystemClassLoader());
                if (missing != null) {
                    err.println(missing);
                }
            }
            RunSession run = RunSession.start(settings, RunMode.AGENT, JobNames.ofThisJvm(),
                    ManagementFactory.getRuntimeMXBean().getStartTime(), CollectorRegistry.defaultRegistry,
                    handoff == null ? null : Path.of(handoff), err::println);
            if (CurrentRun.installIfAbsent(run) != run) {
                err.println("jobmetrics agent: this JVM already has a run; the agent does not start a second one");
                return null;
            }
            return run;
        } catch (AgentException e) {
            err.println("jobmetrics agent: " + e.getMessage() + "; this run is not measured");
        } catch (Throwable t) {
            err.println("jobmetrics agent: cannot start the run (" + t + "); this run is not measured");
        }
        return null;
    }

    /** The shutdown hook, a class of its own to keep lambdas off the start-up path. */
    private static final class FinalPush implements Runnable {
        private final Agent agent;

        FinalPush(Agent agent) {
            this.agent = agent;
        }

        @Override
        public void run() {
            agent.end();
        }
    }

    /** How the run ended, as this JVM saw it. */
    private RunEnding ending() {
        return RunOutcome.decide(System.currentTimeMillis(), ExitStatus.cause(), ExitStatus.status(),
                watch != null && watch.mainDiedOf() != null, main != null && main.isAlive());
    }

    /**
     * Whether the job may have metrics in its {@code CollectorRegistry.defaultRegistry}: only if a class of that
     * library was loaded by the system class loader, the one whose registry a run hands off. The agent itself
     * loads none before its run starts.
     */
    private static boolean jobCollectorsLoaded() {
        return ClassLoader.getSystemClassLoader().getDefinedPackage(JOB_COLLECTORS_PACKAGE) != null;
    }

    /** The shutdown hook: decide how the run ended and push it once. Never calls System.exit (it would hang). */
    private void end() {
        try {
            if (onDemand() && !jobCollectorsLoaded() && ((StartOnDemand) session).close()) {
                // Nobody joined the run and the job's registry is empty: the ending is all there is to hand off.
                EndingHandoff.write(handoff, ending(), err);
                return;
            }
            RunSession run;
            try {
                run = session.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                err.println("jobmetrics agent: the run had not started when the JVM exited; nothing is pushed");
                return;
            }
            if (run == null) {
                return;
            }
            RecordTransformer r = records;
            if (r != null) {
                for (String line : r.discoveryReport()) {
                    err.println(line);
                }
            }
            String unmatched = r == null ? null : r.unmatchedReport();
            boolean strict = loaded != null && loaded.strict();
            if (unmatched != null) {
                err.println(unmatched + (strict ? "; strict=true: the run is a failure (reason config)" : ""));
            }
            RunEnding ending = ending();
            if (unmatched != null && strict) {
                // strict: a pattern that counted nothing makes the run's figures wrong, so the run failed.
                ending = RunEnding.failure(ending.endEpochMillis(), FailureReason.CONFIG,
                        ending.exitCode().isPresent() ? ending.exitCode().getAsInt() : null);
            }
            run.finish(ending, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            err.println("jobmetrics agent: run metrics not delivered: " + t);
        }
    }
}
