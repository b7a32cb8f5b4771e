package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the command line asked for: the settings given as options (by key, for the loader), the runner's own
 * options and the job. Immutable.
 */
final class Invocation {
    private final Map<String, String> explicitSettings;
    private final List<String> jvmOptions;
    private final @Nullable Path agentJar;
    private final JobSpec job;

    Invocation(Map<String, String> explicitSettings, List<String> jvmOptions, @Nullable Path agentJar, JobSpec job) {
        this.explicitSettings = Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(explicitSettings, "explicitSettings must not be null")));
        this.jvmOptions = List.copyOf(jvmOptions);
        this.agentJar = agentJar;
        this.job = requireNonNull(job, "job must not be null");
    }

    /** Settings given as options, keyed like {@code push-timeout} or {@code grouping.team}, in the order given. */
    Map<String, String> explicitSettings() {
        return explicitSettings;
    }

    /** Options for the job's JVM ({@code --jvm-option}), in the order given. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The agent jar given with {@code --agent-jar}; null for the one next to the runner jar. */
    @Nullable Path agentJar() {
        return agentJar;
    }

    JobSpec job() {
        return job;
    }
}
