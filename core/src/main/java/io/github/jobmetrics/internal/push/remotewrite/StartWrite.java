package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.push.Deadline;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.RetryingClient;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A run's start sample on its way to a remote-write receiver ({@code running 1}, the start time and the duration
 * objective, at the run's start time), so that a run in progress is visible and BatchJobStuckRunning can fire.
 * It is sent on a daemon thread, encoding included, under a deadline of at most {@link #BOUND}, and it never
 * throws: what cannot be written is dropped with one line. It is never spooled, because a start sample delivered
 * after its run is worthless (the run's final write says {@code running 0}). The final write waits for it
 * ({@link #awaitAtMost}) so that a receiver gets each series' samples in time order.
 */
final class StartWrite {
    /** Longest the start write may take: it must never hold up the run's end for long. */
    static final Duration BOUND = Duration.ofSeconds(2);
    /** What the awaiting thread allows beyond the deadline for the writing thread to notice it. */
    private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long timestampMillis;
    private final Pusher pusher;
    private final Deadline deadline;
    private final FutureTask<Void> task;

    private StartWrite(long timestampMillis, Pusher pusher, Deadline deadline, FutureTask<Void> task) {
        this.timestampMillis = timestampMillis;
        this.pusher = pusher;
        this.deadline = deadline;
        this.task = task;
    }

    /**
     * Starts writing {@code families} of the run of {@code group} at {@code startMillis} and returns at once.
     * {@code pusher} must be the start write's own, since abandoning the write aborts whatever it has in flight.
     * {@code olderWritesWait} is asked on the writing thread: when the group's earlier writes wait in the spool for
     * this receiver, the start sample would overtake them and make the receiver refuse them as out of order, so it
     * is dropped instead.
     */
    static StartWrite begin(URI url, Pusher pusher, GroupingKey group, List<MetricFamilySamples> families,
            long startMillis, Duration pushTimeout, int retries, BooleanSupplier olderWritesWait,
            Consumer<String> err) {
        requireNonNull(families, "families must not be null");
        Duration bound = pushTimeout.compareTo(BOUND) < 0 ? pushTimeout : BOUND;
        Deadline deadline = Deadline.after(bound);
        String dropped = "jobmetrics: start sample of " + group.path() + " not written to " + url
                + " (dropped: a start sample is never spooled): ";
        FutureTask<Void> task = new FutureTask<>(() -> {
            if (olderWritesWait.getAsBoolean()) {
                err.accept(dropped + "earlier writes of this group wait in the spool, and the run's final write"
                        + " delivers them first");
                return null;
            }
            byte[] body = WriteRequests.compressed(WriteRequests.of(families, group, startMillis));
            RetryingClient client = new RetryingClient(pusher, Math.min(retries, 1),
                    () -> ThreadLocalRandom.current().nextDouble());
            try {
                client.push(new PushRequest(PushRequest.Method.POST, group.path(), body), deadline);
            } catch (PushFailure f) {
                // Abandoned by the run's end, which has said so already.
                if (!Thread.currentThread().isInterrupted()) {
                    err.accept(dropped + f.getMessage());
                }
            }
            return null;
        });
        Thread t = new Thread(task, "jobmetrics-remote-write-start");
        t.setDaemon(true);
        t.start();
        return new StartWrite(startMillis, pusher, deadline, task);
    }

    /** The time its samples carry: the run's start. */
    long timestampMillis() {
        return timestampMillis;
    }

    /**
     * Waits until the start write has ended, at most {@code limit} and never past its own deadline, then
     * abandons it if it is still under way (said in one line).
     */
    void awaitAtMost(Duration limit, Consumer<String> err) {
        long wait = Math.min(limit.toNanos(), deadline.remaining().toNanos() + MARGIN_NANOS);
        try {
            task.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(err);
        } catch (ExecutionException e) {
            err.accept("jobmetrics: start sample not written: " + e.getCause());
        }
    }

    /** Whether the write has ended, written or dropped. */
    boolean isDone() {
        return task.isDone();
    }

    private void abandon(Consumer<String> err) {
        if (!task.isDone()) {
            pusher.abort();
            task.cancel(true);
            err.accept("jobmetrics: start sample abandoned: it was still under way when the run ended");
        }
    }

}
