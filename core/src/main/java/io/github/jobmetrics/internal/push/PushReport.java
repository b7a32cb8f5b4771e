package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

/** What became of a run's final push, as one line for stderr. Immutable. */
public final class PushReport {
    /** How the push ended. */
    public enum Outcome {
        /** The Pushgateway accepted it. */
        PUSHED,
        /** It could not be delivered and waits in the spool for the next run. */
        SPOOLED,
        /** No gateway is configured; the exposition was printed instead. */
        PRINTED,
        /** It could neither be delivered nor spooled. */
        LOST
    }

    private static final String PREFIX = "jobmetrics: ";

    private final Outcome outcome;
    private final String detail;

    /** {@code detail} says what was pushed where, or why not, without the {@code jobmetrics:} prefix. */
    public PushReport(Outcome outcome, String detail) {
        this.outcome = requireNonNull(outcome, "outcome must not be null");
        this.detail = requireNonNull(detail, "detail must not be null");
    }

    public Outcome outcome() {
        return outcome;
    }

    /** What was pushed where, or why not, to follow a summary of the run on its line. */
    public String detail() {
        return detail;
    }

    /** One line saying what was pushed where, or why not. */
    public String line() {
        return PREFIX + detail;
    }

    @Override
    public String toString() {
        return line();
    }
}
