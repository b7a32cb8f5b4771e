package io.github.jobmetrics.cli.jobs;

/** Test job: a worker thread calls System.exit(7) while main waits. */
public final class ExitFromOtherThread {
    private ExitFromOtherThread() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread worker = new Thread(() -> System.exit(7), "worker");
        worker.start();
        Thread.currentThread().join();
    }
}
