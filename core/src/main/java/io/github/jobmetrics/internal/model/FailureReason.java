package io.github.jobmetrics.internal.model;

/** Why a run failed; the value of the {@code reason} label of {@code batch_job_failure_reason}. */
public enum FailureReason {
    /** The job exited with a non-zero status. */
    EXIT_CODE("exit_code"),
    /** The main thread died of an uncaught exception. */
    UNCAUGHT_EXCEPTION("uncaught_exception"),
    /** The job was stopped by a signal. */
    SIGNAL("signal"),
    /** The runner's {@code timeout} expired. */
    TIMEOUT("timeout"),
    /** With {@code strict}, the agent found its configuration wanting: a pattern matched no method. */
    CONFIG("config");

    private final String label;

    FailureReason(String label) {
        this.label = label;
    }

    /** The label value exported for this reason. */
    public String label() {
        return label;
    }
}
