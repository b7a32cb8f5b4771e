package io.github.jobmetrics.cli;

/**
 * {@code java -jar job-runner.jar [options] -- JOB...}: see {@link Runner}. The only place that calls
 * {@code System.exit}.
 */
public final class RunnerMain {
    private RunnerMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            StopRequests stop = new StopRequests();
            TerminationSignals.install(stop, System.err::println);
            status = Runner.execute(args, System.out, System.err, System.getenv(), System.getProperties(), stop);
        } catch (RuntimeException | Error e) {
            System.err.println(RunnerCommandLine.NAME + ": internal error: " + e);
            status = Runner.USAGE_ERROR;
        }
        System.out.flush();
        System.exit(status);
    }
}
