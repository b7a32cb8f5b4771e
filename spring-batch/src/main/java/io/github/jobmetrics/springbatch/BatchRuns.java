package io.github.jobmetrics.springbatch;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.api.JobMetrics;
import io.github.jobmetrics.api.JobRun;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsException;
import io.github.jobmetrics.config.SettingsLoader;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One jobmetrics run per Spring Batch job execution and one stage per step execution, by execution id: an
 * application that runs several jobs, or the same job again, gets a run for each. Spring-free, so both Spring
 * Batch lines share it; the listeners of each line translate their callbacks into calls here.
 *
 * <p>Each run's group is the job's name plus the identifying job parameters the user named (never all of them:
 * a parameter such as a timestamp would make a new group every run). Under the agent or a runner the execution
 * joins their run instead ({@link JobMetrics#startExecution(Settings)}).
 */
public final class BatchRuns {
    /** Turns the Spring Boot auto-configuration off; not a setting. */
    public static final String ENABLED_PROPERTY = "jobmetrics.enabled";
    /** Properties of this module (such as {@code jobmetrics.spring-batch.grouping-parameters}); not settings. */
    public static final String OWN_PROPERTY_PREFIX = "jobmetrics.spring-batch.";
    private static final String ENABLED_VARIABLE = "JOBMETRICS_ENABLED";
    private static final String OWN_VARIABLE_PREFIX = "JOBMETRICS_SPRING_BATCH_";

    private final Map<String, String> settings;
    private final List<String> groupingParameters;
    private final Properties systemProperties;
    private final Map<String, String> environment;
    private final PrintStream err;
    private final Map<Long, JobRun> runs = new ConcurrentHashMap<>();
    private final Map<Long, StepRecords> steps = new ConcurrentHashMap<>();
    /** Step executions between their start and end that this listener saw, measured or not; guarded by this. */
    private final Set<Long> activeSteps = new HashSet<>();
    /** The records of the one step execution in progress when there is exactly one, else null. */
    private volatile StepRecords onlyStep;

    /**
     * @param settings jobmetrics settings by key as in docs/settings.md ({@code gateway}, {@code grouping.team}),
     *     stronger than system properties and the environment
     * @param groupingParameters names of identifying job parameters whose values join the grouping key, each as
     *     the label of the same name (characters a label cannot hold become {@code _})
     * @param systemProperties the JVM's system properties ({@code jobmetrics.*} are settings)
     * @param environment the process environment ({@code JOBMETRICS_*} are settings)
     * @param err where problems with the settings are reported
     */
    public BatchRuns(Map<String, String> settings, List<String> groupingParameters, Properties systemProperties,
            Map<String, String> environment, PrintStream err) {
        this.settings = Map.copyOf(requireNonNull(settings, "settings must not be null"));
        this.groupingParameters = List.copyOf(requireNonNull(groupingParameters, "groupingParameters must not be null"));
        this.systemProperties = withoutOwnProperties(requireNonNull(systemProperties,
                "systemProperties must not be null"));
        this.environment = withoutOwnVariables(requireNonNull(environment, "environment must not be null"));
        this.err = requireNonNull(err, "err must not be null");
    }

    /**
     * The system properties without this module's own {@code jobmetrics.enabled} and {@code jobmetrics.spring-batch.*},
     * which are not settings: the settings loader would refuse them as unknown keys.
     */
    private static Properties withoutOwnProperties(Properties systemProperties) {
        Properties settings = new Properties();
        for (String name : systemProperties.stringPropertyNames()) {
            if (!name.equals(ENABLED_PROPERTY) && !name.startsWith(OWN_PROPERTY_PREFIX)) {
                settings.setProperty(name, systemProperties.getProperty(name));
            }
        }
        return settings;
    }

    /** The environment without {@code JOBMETRICS_ENABLED} and {@code JOBMETRICS_SPRING_BATCH_*}, as above. */
    private static Map<String, String> withoutOwnVariables(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (!name.equals(ENABLED_VARIABLE) && !name.startsWith(OWN_VARIABLE_PREFIX)) {
                settings.put(name, variable.getValue());
            }
        }
        return Map.copyOf(settings);
    }

    /** A job execution started: its run starts (and pushes its start marker). */
    public void jobStarted(long executionId, String jobName, Map<String, String> identifyingParameters) {
        Settings runSettings;
        try {
            runSettings = SettingsLoader.load(explicit(jobName, identifyingParameters), "spring property",
                    systemProperties, environment);
        } catch (SettingsException e) {
            // A metrics setting must not stop a batch job: say what is wrong and leave this execution unmeasured.
            err.println("jobmetrics: " + e.getMessage() + "; job execution " + executionId + " of " + jobName
                    + " is not measured");
            return;
        }
        try {
            runs.put(executionId, JobMetrics.startExecution(runSettings));
        } catch (RuntimeException e) {
            // Measuring must never change how a job runs.
            err.println("jobmetrics: cannot start the run of job execution " + executionId + " of " + jobName + ": "
                    + e + "; it is not measured");
        }
    }

    private Map<String, String> explicit(String jobName, Map<String, String> identifyingParameters) {
        Map<String, String> explicit = new LinkedHashMap<>(settings);
        explicit.put("job", jobName);
        for (String parameter : groupingParameters) {
            String value = identifyingParameters.get(parameter);
            explicit.put("grouping." + labelName(parameter), value == null ? "" : value);
        }
        return explicit;
    }

    static String labelName(String parameter) {
        StringBuilder label = new StringBuilder(parameter.length() + 1);
        for (int i = 0; i < parameter.length(); i++) {
            char c = parameter.charAt(i);
            boolean letter = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (digit && i == 0) {
                label.append('_');
            }
            label.append(letter || digit ? c : '_');
        }
        return label.toString();
    }

    /** A step execution of a measured job execution started: its stage, or null when the job is not measured. */
    public StepRecords stepStarted(long jobExecutionId, long stepExecutionId, String stepName) {
        JobRun run = runs.get(jobExecutionId);
        StepRecords records = run == null ? null : new StepRecords(run.stage(stageName(stepName)));
        synchronized (this) {
            activeSteps.add(stepExecutionId);
            if (records != null) {
                steps.put(stepExecutionId, records);
            }
            updateOnlyStep();
        }
        return records;
    }

    /**
     * The records of the one step execution in progress, or null when none or several are: then the item callback
     * must find its step by the step execution Spring Batch keeps for its thread. Item callbacks come only between
     * their step's start and end, so when one step is in progress they are its own; this spares each callback a
     * lookup (which costs more than everything else the listener does per item).
     */
    public StepRecords onlyStep() {
        return onlyStep;
    }

    private void updateOnlyStep() {
        onlyStep = activeSteps.size() == 1 && steps.size() == 1 ? steps.values().iterator().next() : null;
    }

    /**
     * The stage of a step: its name, without the {@code :partitionN} that Spring Batch appends to the worker
     * steps of a partitioned step, so that all partitions count into one stage rather than one label value each.
     */
    static String stageName(String stepName) {
        int partition = stepName.indexOf(':');
        return partition > 0 ? stepName.substring(0, partition) : stepName;
    }

    /** The records of a step execution in progress, or null when it is not measured. */
    public StepRecords step(long stepExecutionId) {
        return steps.get(stepExecutionId);
    }

    /** A step execution ended with {@code read} items read, {@code written} written, failed by {@code failures}. */
    public void stepEnded(long stepExecutionId, long read, long written, List<Throwable> failures) {
        StepRecords records;
        synchronized (this) {
            activeSteps.remove(stepExecutionId);
            records = steps.remove(stepExecutionId);
            updateOnlyStep();
        }
        if (records != null) {
            records.stepEnded(read, written, failures);
        }
    }

    /**
     * A job execution ended: its run is pushed, successful when {@code success}, else failed by the first of
     * {@code failures} ({@code uncaught_exception}) or, when nothing was thrown, with exit status 1
     * ({@code exit_code}), the status Spring Boot gives a failed job.
     */
    public void jobEnded(long executionId, boolean success, List<Throwable> failures) {
        JobRun run = runs.remove(executionId);
        if (run == null) {
            return;
        }
        try {
            if (!success) {
                if (failures.isEmpty()) {
                    run.fail(1);
                } else {
                    run.fail(failures.get(0));
                }
            }
            run.close();
        } catch (RuntimeException e) {
            err.println("jobmetrics: cannot end the run of job execution " + executionId + ": " + e);
        }
    }
}
