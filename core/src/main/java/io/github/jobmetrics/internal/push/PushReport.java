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

    private final Outcome outcome;
    private final String line;

    PushReport(Outcome outcome, String line) {
        this.outcome = requireNonNull(outcome, "outcome must not be null");
        this.line = requireNonNull(line, "line must not be null");
    }

    public Outcome outcome() {
        return outcome;
    }

    /** One line saying what was pushed where, or why not. */
    public String line() {
        return line;
    }

    @Override
    public String toString() {
        return line;
    }
}
