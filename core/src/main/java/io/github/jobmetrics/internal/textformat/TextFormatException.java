package io.github.jobmetrics.internal.textformat;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A Prometheus text exposition that {@link TextFormatParser} refuses.
 *
 * <p>The message is always one line of the form {@code "line 12: <what is wrong>; <what is accepted>"} and quotes
 * at most a short, escaped excerpt of the offending input, so it is safe to log even for hostile input.
 */
public final class TextFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;

    TextFormatException(int lineNumber, String problem, String accepted) {
        this(lineNumber, problem, accepted, null);
    }

    TextFormatException(int lineNumber, String problem, String accepted, Throwable cause) {
        super(oneLine("line " + lineNumber + ": " + requireNonNull(problem, "problem must not be null") + "; "
                + requireNonNull(accepted, "accepted must not be null")), cause);
        this.lineNumber = lineNumber;
    }

    /** Returns the 1-based number of the line where the problem was found. */
    public int lineNumber() {
        return lineNumber;
    }

    // Callers quote input through Snippet already; this is the last guard that keeps log lines single.
    private static String oneLine(String message) {
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
