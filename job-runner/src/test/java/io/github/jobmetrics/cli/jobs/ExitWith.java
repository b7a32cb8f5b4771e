package io.github.jobmetrics.cli.jobs;

/** Test job: exits with the status given as its argument; 0 returns from main. */
public final class ExitWith {
    private ExitWith() {
    }

    public static void main(String[] args) {
        int status = Integer.parseInt(args[0]);
        System.out.println("exit-with " + status);
        if (status != 0) {
            System.exit(status);
        }
    }
}
