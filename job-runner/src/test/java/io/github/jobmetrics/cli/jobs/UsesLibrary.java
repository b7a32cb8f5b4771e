package io.github.jobmetrics.cli.jobs;

/** Test job: needs {@link Greeting}, which lives in another jar. */
public final class UsesLibrary {
    private UsesLibrary() {
    }

    public static void main(String[] args) {
        System.out.println(Greeting.text() + " " + String.join(" ", args));
    }
}
