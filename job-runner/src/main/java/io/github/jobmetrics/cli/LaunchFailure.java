package io.github.jobmetrics.cli;

/** The job could not be started: 127 when it was not found, 126 when it cannot be executed. */
final class LaunchFailure extends Exception {
    static final int NOT_EXECUTABLE = 126;
    static final int NOT_FOUND = 127;
    private static final long serialVersionUID = 1L;

    private final int status;

    LaunchFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The runner's exit status for this failure. */
    int status() {
        return status;
    }
}
