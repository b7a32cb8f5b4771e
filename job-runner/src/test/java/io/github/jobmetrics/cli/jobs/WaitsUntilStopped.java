package io.github.jobmetrics.cli.jobs;

/** Test job: says "ready" and then waits until it is stopped from outside. */
public final class WaitsUntilStopped {
    private WaitsUntilStopped() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
