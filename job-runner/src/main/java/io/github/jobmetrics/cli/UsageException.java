package io.github.jobmetrics.cli;

/** A command line the runner cannot use, explained on one line; the runner exits with 125. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message.replace("\r", "\\r").replace("\n", "\\n"), null, false, false);
    }
}
