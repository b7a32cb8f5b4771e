package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.config.AgentArguments;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the agent's record options into a {@code -javaagent:} argument:
 * {@code -javaagent:/opt/job-metrics-agent.jar=records=com.acme.Etl#row,records.load=com.acme.Load#batch}.
 * Keys are the settings keys, pairs are separated by {@code ,} and patterns by {@code ;}. Only the record options
 * go here; the agent finds the run's other settings in its environment, and hands its metrics to the runner
 * because {@code JOBMETRICS_HANDOFF} is set. No secret is ever rendered: the JVM's command line is public.
 */
final class AgentArgument {
    private static final String JAVAAGENT = "-javaagent:";
    /** Variables from which the launcher or the JVM take further options. */
    private static final List<String> LAUNCHER_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS");

    private AgentArgument() {
    }

    /** Rendered by {@link AgentArguments#render}, the counterpart of what the agent parses. */
    static String javaagent(Path agentJar, Settings settings) {
        requireNonNull(agentJar, "agentJar must not be null");
        requireNonNull(settings, "settings must not be null");
        Map<String, String> pairs = new LinkedHashMap<>();
        Map<String, List<String>> stages = settings.recordPatterns();
        add(pairs, SettingKey.RECORDS.key(), stages.getOrDefault(Settings.MAIN_STAGE, List.of()));
        for (Map.Entry<String, List<String>> stage : stages.entrySet()) {
            if (!stage.getKey().equals(Settings.MAIN_STAGE)) {
                add(pairs, SettingKey.RECORDS_STAGE.prefix() + stage.getKey(), stage.getValue());
            }
        }
        add(pairs, SettingKey.INPUT.key(), settings.inputPatterns());
        add(pairs, SettingKey.OUTPUT.key(), settings.outputPatterns());
        if (settings.strict()) {
            pairs.put(SettingKey.STRICT.key(), "true");
        }
        if (settings.countNestedCalls()) {
            pairs.put(SettingKey.COUNT_NESTED_CALLS.key(), "true");
        }
        settings.discover().ifPresent(p -> pairs.put(SettingKey.DISCOVER.key(), p));
        String flag = JAVAAGENT + agentJar.toAbsolutePath();
        return pairs.isEmpty() ? flag : flag + "=" + AgentArguments.render(pairs);
    }

    /**
     * The agent flag for the job's JVM: the {@link #javaagent} argument given as
     * {@code -agentlib:instrument=JAR[=OPTIONS]}, which loads the same agent through the same JDK library. Why not
     * {@code -javaagent:}: for it the JVM also adds {@code java.instrument} to the root modules
     * ({@code jdk.module.addmods}), a module the class path's default roots already hold, and that property alone
     * switches off the class-data-sharing archive's module graph, so the module system is built from scratch:
     * some 25 ms of wall time and 45 ms of CPU time on every job start (docs/performance-runner.md). When the
     * modules could be limited ({@code --limit-modules} or an argument file, in the JVM options or in a variable
     * the launcher reads), {@code java.instrument} may be missing from the boot layer, which {@code -agentlib}
     * would not add; then the flag stays {@code -javaagent:}.
     */
    static String forJob(Path agentJar, Settings settings, List<String> jvmOptions, Map<String, String> env) {
        String javaagent = javaagent(agentJar, settings);
        if (modulesMayBeLimited(jvmOptions, env)) {
            return javaagent;
        }
        return "-agentlib:instrument=" + javaagent.substring(JAVAAGENT.length());
    }

    private static boolean modulesMayBeLimited(List<String> jvmOptions, Map<String, String> env) {
        for (String option : jvmOptions) {
            if (option.startsWith("@") || limitsModules(option)) {
                return true;
            }
        }
        for (String variable : LAUNCHER_VARIABLES) {
            String value = env.get(variable);
            if (value != null && (value.contains("@") || limitsModules(value))) {
                return true;
            }
        }
        return false;
    }

    private static boolean limitsModules(String text) {
        return text.contains("limit-modules") || text.contains("jdk.module.limitmods");
    }

    private static void add(Map<String, String> pairs, String key, List<String> patterns) {
        if (!patterns.isEmpty()) {
            pairs.put(key, String.join(";", patterns));
        }
    }
}
