package io.github.jobmetrics.cli.jobs;

/** Test job: prints hello. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
