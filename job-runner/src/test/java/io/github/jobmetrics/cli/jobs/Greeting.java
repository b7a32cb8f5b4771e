package io.github.jobmetrics.cli.jobs;

/** Test library class, packaged in a jar of its own to test Class-Path manifests and --classpath. */
public final class Greeting {
    private Greeting() {
    }

    public static String text() {
        return "greeting from the library jar";
    }
}
