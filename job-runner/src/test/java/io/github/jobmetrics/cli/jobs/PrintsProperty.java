package io.github.jobmetrics.cli.jobs;

/** Test job: prints the system property named by its argument, to check the JVM options reach the job. */
public final class PrintsProperty {
    private PrintsProperty() {
    }

    public static void main(String[] args) {
        System.out.println(args[0] + "=" + System.getProperty(args[0]) + " maxMemoryMiB="
                + Runtime.getRuntime().maxMemory() / (1 << 20));
    }
}
