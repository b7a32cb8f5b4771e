package io.github.jobmetrics.agent;

/** A configuration problem that keeps the agent from measuring; its message is one line. */
final class AgentException extends Exception {
    private final boolean strict;

    AgentException(String message, boolean strict) {
        super(message);
        this.strict = strict;
    }

    /** Whether {@code strict=true} was asked for, so the problem stops the JVM. */
    boolean strict() {
        return strict;
    }
}
