package io.github.jobmetrics.cli.jobs;

/** Test job: main dies of an uncaught exception. */
public final class ThrowsUncaught {
    private ThrowsUncaught() {
    }

    public static void main(String[] args) {
        throw new IllegalStateException("test job fails on purpose");
    }
}
