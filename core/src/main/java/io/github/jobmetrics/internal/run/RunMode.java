package io.github.jobmetrics.internal.run;

/** How a run is measured; the {@code mode} label of {@code batch_job_info}. */
public enum RunMode {
    /** The job-runner command wraps the job as a child process. */
    RUNNER,
    /** The {@code -javaagent} measures the JVM it rides in. */
    AGENT,
    /** Job code started the run with the {@code JobMetrics} API. */
    API;

    /** The label value. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
