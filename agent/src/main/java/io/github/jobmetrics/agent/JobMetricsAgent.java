package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.internal.config.AgentArguments;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;

/**
 * Entry point of {@code -javaagent:job-metrics-agent.jar=key=value,key=value}: measures the run of the JVM it is
 * loaded into and pushes it once when the JVM exits. Whatever goes wrong, the job runs: the agent prints one line
 * and stays out of the way, unless {@code strict=true} asks it to stop the JVM instead.
 *
 * <pre>
 * java -javaagent:job-metrics-agent.jar=gateway=http://pushgateway:9091,records=com.acme.Etl#processRow -jar etl.jar
 * </pre>
 */
public final class JobMetricsAgent {
    /**
     * The status the JVM ends with when {@code strict=true} and the agent cannot start as configured (EX_CONFIG of
     * sysexits.h), before {@code main}.
     */
    public static final int CONFIG_STATUS = 78;

    // The agent given twice (say -javaagent and JAVA_TOOL_OPTIONS) must still make one run and one push. A plain
    // field under the class's lock: an AtomicBoolean sets up a VarHandle, milliseconds before main.
    private static boolean started;

    private JobMetricsAgent() {
    }

    /** Called by the JVM before {@code main} for {@code -javaagent}. */
    public static void premain(String argument, Instrumentation inst) {
        start(argument, inst, Thread.currentThread());
    }

    /** Called by the JVM when the agent is attached to a running JVM; the run is then measured from the JVM start. */
    public static void agentmain(String argument, Instrumentation inst) {
        start(argument, inst, null);
    }

    private static void start(String argument, Instrumentation inst, Thread main) {
        JobJvm jvm = null;
        if (main != null) {
            // Every JVM of a container loads the agent from JAVA_TOOL_OPTIONS: all but the job's stand down, silently.
            jvm = JobJvm.of(System.getProperty("sun.java.command"));
            if (jvm == null) {
                return;
            }
        }
        PrintStream err = System.err;
        if (!firstStart()) {
            err.println("jobmetrics agent: loaded twice; the second one does nothing");
            return;
        }
        try {
            Agent.start(argument, inst, main, jvm, System.getProperties(), System.getenv(), err);
        } catch (AgentException e) {
            if (e.strict()) {
                stop(main, err, e.getMessage());
            }
            err.println("jobmetrics agent: " + e.getMessage() + "; this run is not measured");
        } catch (Throwable t) {
            if (strictAsked(argument)) {
                stop(main, err, "cannot start (" + t + ")");
            }
            // Never the agent's reason for a job to fail: one line, and the job runs unmeasured.
            err.println("jobmetrics agent: cannot start (" + t + "); this run is not measured");
        }
    }

    private static synchronized boolean firstStart() {
        if (started) {
            return false;
        }
        started = true;
        return true;
    }

    /**
     * strict=true: one line, and before {@code main} the JVM ends with {@link #CONFIG_STATUS}. Thrown out of
     * {@code premain}, the error would end the JVM too, but with a JVM assertion dump and status 134; attached to
     * a running JVM, the agent does not end it and the attach fails instead.
     */
    private static void stop(@Nullable Thread main, PrintStream err, String problem) {
        err.println("jobmetrics agent (strict=true): " + problem + "; the JVM ends with status " + CONFIG_STATUS);
        if (main != null) {
            err.flush();
            Runtime.getRuntime().halt(CONFIG_STATUS);
        }
        throw new IllegalStateException("jobmetrics agent (strict=true): " + problem);
    }

    private static boolean strictAsked(String argument) {
        try {
            return "true".equals(AgentArguments.parse(argument).get("strict"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean strictAsked(Map<String, String> arguments, java.util.Properties sys, Map<String, String> env) {
        String value = SettingKey.STRICT.rawValue(arguments, sys, env).orElse(null);
        return value != null && "true".equalsIgnoreCase(value.strip());
    }
}
