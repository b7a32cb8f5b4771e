package io.github.jobmetrics.agent;

import io.github.jobmetrics.agent.internal.ExitStatus;
import io.github.jobmetrics.agent.internal.ExitCapture;
import io.github.jobmetrics.agent.internal.MainThreadWatch;
import io.github.jobmetrics.agent.internal.MethodProbe;
import io.github.jobmetrics.agent.internal.ProbeCounters;
import io.github.jobmetrics.agent.internal.RecordTransformer;
import io.github.jobmetrics.agent.internal.SignalChain;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsException;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.model.RunEnding;
import io.github.jobmetrics.run.CurrentRun;
import io.github.jobmetrics.run.JobNames;
import io.github.jobmetrics.run.RunMode;
import io.github.jobmetrics.run.RunSession;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's one run: loads the settings, starts the run, installs what sees how the JVM ends (exit capture,
 * signal chain, uncaught-exception watch) and the record probes, and registers the one shutdown hook that ends
 * and pushes the run.
 */
final class Agent {
    private final RunSession session;
    private final Thread main;
    private final boolean exitCaptured;
    private final MainThreadWatch watch;
    private final RecordTransformer records;
    private final PrintStream err;

    private Agent(RunSession session, Thread main, boolean exitCaptured, MainThreadWatch watch,
            RecordTransformer records, PrintStream err) {
        this.session = session;
        this.main = main;
        this.exitCaptured = exitCaptured;
        this.watch = watch;
        this.records = records;
        this.err = err;
    }

    static void start(String argument, Instrumentation inst, Thread main, Properties sys, Map<String, String> env,
            PrintStream err) throws AgentException, IOException {
        Map<String, String> arguments;
        try {
            arguments = AgentArguments.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new AgentException(e.getMessage(), JobMetricsAgent.strictAsked(Map.of(), sys, env));
        }
        Settings settings;
        try {
            settings = SettingsLoader.load(arguments, "agent argument", sys, env);
        } catch (SettingsException e) {
            throw new AgentException(e.getMessage(), JobMetricsAgent.strictAsked(arguments, sys, env));
        }
        String textfile = env.get(RunSession.TEXTFILE_ENV);
        RunSession session = RunSession.start(settings, RunMode.AGENT, JobNames.ofThisJvm(), jvmStartMillis(),
                CollectorRegistry.defaultRegistry, textfile == null || textfile.isBlank() ? null : Path.of(textfile),
                err::println);
        if (CurrentRun.installIfAbsent(session) != session) {
            err.println("jobmetrics agent: this JVM already has a run; the agent does not start a second one");
            return;
        }

        String exitProblem = ExitCapture.install(inst);
        if (exitProblem != null) {
            err.println("jobmetrics agent: the status of System.exit is not seen: " + exitProblem);
        }
        String signalProblem = SignalChain.install(ExitStatus::signal, "TERM", "INT");
        if (signalProblem != null) {
            err.println("jobmetrics agent: signals are not seen: " + signalProblem);
        }
        MainThreadWatch watch = main == null ? null : MainThreadWatch.install(main, err);
        RecordTransformer records = null;
        List<MethodProbe> probes = probes(settings);
        if (!probes.isEmpty()) {
            ProbeCounters.install(probes, session.registry());
            records = RecordTransformer.install(inst, probes, err::println);
        }
        Agent agent = new Agent(session, main, exitProblem == null, watch, records, err);
        Thread hook = new Thread(agent::end, "jobmetrics-agent-final-push");
        Runtime.getRuntime().addShutdownHook(hook);
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

    private static long jvmStartMillis() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /** The shutdown hook: decide how the run ended and push it once. Never calls System.exit (it would hang). */
    private void end() {
        try {
            if (records != null) {
                String unmatched = records.unmatchedReport();
                if (unmatched != null) {
                    err.println(unmatched);
                }
            }
            RunEnding ending = RunOutcome.decide(System.currentTimeMillis(), ExitStatus.cause(), ExitStatus.status(),
                    watch != null && watch.mainDiedOf() != null, exitCaptured, main != null && main.isAlive());
            session.finish(ending, List.of());
        } catch (Throwable t) {
            err.println("jobmetrics agent: run metrics not delivered: " + t);
        }
    }
}
