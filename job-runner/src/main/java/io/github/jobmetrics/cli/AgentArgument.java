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
        String flag = "-javaagent:" + agentJar.toAbsolutePath();
        return pairs.isEmpty() ? flag : flag + "=" + AgentArguments.render(pairs);
    }

    private static void add(Map<String, String> pairs, String key, List<String> patterns) {
        if (!patterns.isEmpty()) {
            pairs.put(key, String.join(";", patterns));
        }
    }
}
