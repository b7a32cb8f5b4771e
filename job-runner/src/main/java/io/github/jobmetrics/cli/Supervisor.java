package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.config.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits for the job: to its end, to {@code --timeout}, or to a stop request (a signal to the runner). A timed-out
 * job gets SIGTERM, a stopped one the runner's signal; whatever of its process group still runs after the grace
 * period gets SIGKILL. The child inherits stdin, stdout and stderr, so the runner never copies a byte and cannot
 * deadlock on output.
 */
final class Supervisor {
    /** Kubernetes' default terminationGracePeriodSeconds: the whole budget for stopping the job and pushing. */
    static final Duration KUBERNETES_GRACE = Duration.ofSeconds(30);
    /** Kept back for starting the push and exiting. */
    static final Duration MARGIN = Duration.ofSeconds(2);
    static final Duration MIN_GRACE = Duration.ofSeconds(1);
    /** How often the rest of a stopped job's process group is looked for. */
    static final Duration GROUP_POLL = Duration.ofMillis(25);

    private static final Pattern ERRNO = Pattern.compile("error=(\\d+)");
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;

    private final @Nullable Duration timeout;
    private final Duration grace;
    private final CompletableFuture<String> stopRequest;
    private final Consumer<String> err;

    Supervisor(@Nullable Duration timeout, Duration grace, CompletableFuture<String> stopRequest,
            Consumer<String> err) {
        this.timeout = timeout;
        this.grace = requireNonNull(grace, "grace must not be null");
        this.stopRequest = requireNonNull(stopRequest, "stopRequest must not be null");
        this.err = requireNonNull(err, "err must not be null");
    }

    /**
     * How long a stopped job may take to end before it is killed: what is left of Kubernetes' 30 s after the push
     * and a margin, at least 1 s. With the default 10 s push timeout that is 18 s.
     */
    static Duration graceFor(Duration pushTimeout) {
        Duration left = KUBERNETES_GRACE.minus(pushTimeout).minus(MARGIN);
        return left.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : left;
    }

    /**
     * Starts the child.
     *
     * @throws LaunchFailure 127 when the program is not found, 126 when it cannot be executed
     */
    static Process start(ProcessBuilder builder) throws LaunchFailure {
        try {
            return builder.start();
        } catch (IOException e) {
            throw launchFailure(builder.command().get(0), e);
        }
    }

    static LaunchFailure launchFailure(String program, IOException e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = ERRNO.matcher(message);
        int errno = m.find() ? Integer.parseInt(m.group(1)) : -1;
        // Only the program's name is shown: the rest of the command line is the job's business.
        String reason = message.contains(", ") ? message.substring(message.lastIndexOf(", ") + 2) : message;
        int status = errno == ENOENT || errno == ENOTDIR ? LaunchFailure.NOT_FOUND : LaunchFailure.NOT_EXECUTABLE;
        return new LaunchFailure(status, "cannot run " + program + ": " + reason);
    }

    /** Waits for the job as described above and says how it ended. */
    JobExit await(JobProcess job) throws InterruptedException {
        Process child = job.main();
        CompletableFuture<Process> exit = child.onExit();
        boolean timedOut = false;
        try {
            CompletableFuture.anyOf(exit, stopRequest)
                    .get(timeout == null ? Long.MAX_VALUE : timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("onExit and the stop request never fail", e);
        }
        String stoppedBy = null;
        if (!exit.isDone()) {
            String signal;
            if (timedOut) {
                signal = "SIGTERM";
                err.accept(RunnerCommandLine.NAME + ": --timeout " + Durations.format(timeout)
                        + " expired; sending SIGTERM to " + job.describe() + ", SIGKILL after "
                        + Durations.format(grace));
            } else {
                stoppedBy = stopRequest.getNow("SIGTERM");
                signal = stoppedBy;
                err.accept(RunnerCommandLine.NAME + ": " + stoppedBy + " received; passing " + signal + " to "
                        + job.describe() + ", SIGKILL after " + Durations.format(grace));
            }
            job.signal(signal);
            stop(job, signal);
        }
        return new JobExit(child.waitFor(), timedOut, stoppedBy);
    }

    /** Gives the signalled job the grace period to end, all of it, then kills what is left. */
    private void stop(JobProcess job, String signal) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        job.main().waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        // The first process has ended (or the grace is over); its background processes get the rest of the grace.
        boolean running;
        while ((running = job.anyRunning()) && System.nanoTime() - deadline < 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(GROUP_POLL.toNanos(), Math.max(0, deadline - System.nanoTime())));
        }
        if (running) {
            err.accept(RunnerCommandLine.NAME + ": the job did not end within " + Durations.format(grace) + " of "
                    + signal + "; sending SIGKILL to " + job.describe());
            job.signal("SIGKILL");
        }
    }
}
