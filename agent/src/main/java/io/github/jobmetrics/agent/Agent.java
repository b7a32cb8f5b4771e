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
import io.github.jobmetrics.config.SettingsLoader;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;

/**
 * The agent's one run. On the job's path (in {@code premain}) it does only what must be in place before
 * {@code main}: the argument check, the exit capture, the signal and uncaught-exception watch, the shutdown hook
 * and, when patterns are configured, the settings and the class-load watch. Everything else (the settings
 * otherwise, the run itself and its start push, Byte Buddy) happens on daemon threads while the JVM loads the
 * job.
 */
final class Agent implements Callable<RunSession> {
    /** How long the shutdown hook waits for a start still under way; a start takes tens of milliseconds. */
    private static final long START_WAIT_SECONDS = 10;

    private final @Nullable Thread main;
    private final MainThreadWatch watch;
    private final PrintStream err;
    private final @Nullable Settings loaded;
    private final Map<String, String> arguments;
    private final Properties sys;
    private final Map<String, String> env;
    private final FutureTask<RunSession> session = new FutureTask<>(this);
    private volatile @Nullable RecordTransformer records;

    private Agent(@Nullable Thread main, @Nullable MainThreadWatch watch, PrintStream err, @Nullable Settings loaded,
            Map<String, String> arguments, Properties sys, Map<String, String> env) {
        this.main = main;
        this.watch = watch;
        this.err = err;
        this.loaded = loaded;
        this.arguments = arguments;
        this.sys = sys;
        this.env = env;
    }

    static void start(String argument, Instrumentation inst, @Nullable Thread main, Properties sys,
            Map<String, String> env, PrintStream err) throws AgentException {
        Map<String, String> arguments;
        try {
            arguments = AgentArguments.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new AgentException(e.getMessage(), JobMetricsAgent.strictAsked(Map.of(), sys, env));
        }
        boolean strict = JobMetricsAgent.strictAsked(arguments, sys, env);
        // Patterns must be known before the job's classes load; without any, the settings can wait.
        Settings settings = strict || mayNamePatterns(arguments, sys, env) ? load(arguments, sys, env, strict) : null;

        // Before main: a job that exits in its first milliseconds must report its status too.
        String exitProblem = ExitCapture.install(inst);
        if (exitProblem != null) {
            err.println("jobmetrics agent: the status of System.exit is not seen: " + exitProblem);
        }
        String signalProblem = SignalChain.install("TERM", "INT");
        if (signalProblem != null) {
            err.println("jobmetrics agent: signals are not seen: " + signalProblem);
        }
        // No lambdas on this path: the first one costs the JVM several milliseconds of set-up.
        Agent agent = new Agent(main, main == null ? null : MainThreadWatch.install(main, err), err, settings,
                arguments, sys, env);
        CurrentRun.announce(agent.session);
        Thread starter = new Thread(agent.session, "jobmetrics-agent-start");
        starter.setDaemon(true);
        starter.start();
        Runtime.getRuntime().addShutdownHook(new Thread(new FinalPush(agent), "jobmetrics-agent-final-push"));
        if (settings != null) {
            List<MethodProbe> probes = probes(settings);
            if (!probes.isEmpty()) {
                agent.records = RecordTransformer.install(inst, probes, agent.session, err::println);
            }
        }
    }

    private static Settings load(Map<String, String> arguments, Properties sys, Map<String, String> env,
            boolean strict) throws AgentException {
        try {
            return SettingsLoader.load(arguments, "agent argument", sys, env);
        } catch (SettingsException e) {
            throw new AgentException(e.getMessage(), strict);
        }
    }

    /** Whether any source can hold a pattern: a pattern key or a properties file. */
    static boolean mayNamePatterns(Map<String, String> arguments, Properties sys, Map<String, String> env) {
        for (String key : arguments.keySet()) {
            if (patternOrConfigKey(key)) {
                return true;
            }
        }
        for (String name : sys.stringPropertyNames()) {
            if (name.startsWith("jobmetrics.") && patternOrConfigKey(name.substring("jobmetrics.".length()))) {
                return true;
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith("JOBMETRICS_RECORDS") || name.equals("JOBMETRICS_INPUT")
                    || name.equals("JOBMETRICS_OUTPUT") || name.equals("JOBMETRICS_CONFIG")) {
                return true;
            }
        }
        return false;
    }

    private static boolean patternOrConfigKey(String key) {
        return key.equals("records") || key.startsWith("records.") || key.equals("input") || key.equals("output")
                || key.equals("config");
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
            String textfile = env.get(RunSession.TEXTFILE_ENV);
            RunSession run = RunSession.start(settings, RunMode.AGENT, JobNames.ofThisJvm(),
                    ManagementFactory.getRuntimeMXBean().getStartTime(), CollectorRegistry.defaultRegistry,
                    textfile == null || textfile.isBlank() ? null : Path.of(textfile), err::println);
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

    /** The shutdown hook: decide how the run ended and push it once. Never calls System.exit (it would hang). */
    private void end() {
        try {
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
            String unmatched = r == null ? null : r.unmatchedReport();
            if (unmatched != null) {
                err.println(unmatched);
            }
            RunEnding ending = RunOutcome.decide(System.currentTimeMillis(), ExitStatus.cause(), ExitStatus.status(),
                    watch != null && watch.mainDiedOf() != null, main != null && main.isAlive());
            run.finish(ending, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            err.println("jobmetrics agent: run metrics not delivered: " + t);
        }
    }
}
