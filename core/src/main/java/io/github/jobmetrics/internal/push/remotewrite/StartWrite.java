package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.push.Deadline;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.RetryingClient;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.SpoolDelivery;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's start sample on its way to a remote-write receiver ({@code running 1}, the start time and the duration
 * objective, at the run's start time), so that a run in progress is visible and BatchJobStuckRunning can fire.
 * Everything but starting its thread happens on that daemon thread (the spool check, the encoding, the write), so
 * the run's start pays for no more than a thread. The write has a deadline of at most {@link #BOUND} and never
 * throws: what cannot be written is dropped with one line. It is never spooled, because a start sample delivered
 * after its run is worthless (the run's final write says {@code running 0}). The final write waits for it
 * ({@link #awaitAtMost}) so that a receiver gets each series' samples in time order.
 */
final class StartWrite implements Runnable {
    /** Longest the start write may take: it must never hold up the run's end for long. */
    static final Duration BOUND = Duration.ofSeconds(2);
    /** What the awaiting thread allows beyond the deadline for the writing thread to notice it. */
    private static final long MARGIN_MILLIS = 100;

    private final URI url;
    private final Pusher pusher;
    private final GroupingKey group;
    private final List<MetricFamilySamples> families;
    private final long timestampMillis;
    private final int retries;
    private final @Nullable Spool spool;
    private final Consumer<String> err;
    private final Deadline deadline;
    private final Thread thread;
    private volatile boolean abandoned;

    private StartWrite(URI url, Pusher pusher, GroupingKey group, List<MetricFamilySamples> families,
            long timestampMillis, Duration bound, int retries, @Nullable Spool spool, Consumer<String> err) {
        this.url = url;
        this.pusher = pusher;
        this.group = group;
        this.families = requireNonNull(families, "families must not be null");
        this.timestampMillis = timestampMillis;
        this.retries = retries;
        this.spool = spool;
        this.err = err;
        this.deadline = Deadline.after(bound);
        this.thread = new Thread(this, "jobmetrics-remote-write-start");
        thread.setDaemon(true);
    }

    /**
     * Starts writing {@code families} of the run of {@code group} at {@code startMillis} and returns at once.
     * {@code pusher} must be the start write's own, since abandoning the write aborts whatever it has in flight.
     * With {@code spool}, a start sample is not written while the group's earlier writes wait there for this
     * receiver: it would overtake them and make the receiver refuse them as out of order.
     */
    static StartWrite begin(URI url, Pusher pusher, GroupingKey group, List<MetricFamilySamples> families,
            long startMillis, Duration pushTimeout, int retries, @Nullable Spool spool, Consumer<String> err) {
        Duration bound = pushTimeout.compareTo(BOUND) < 0 ? pushTimeout : BOUND;
        StartWrite write = new StartWrite(url, pusher, group, families, startMillis, bound, retries, spool, err);
        write.thread.start();
        return write;
    }

    @Override
    public void run() {
        String dropped = "jobmetrics: start sample of " + group.path() + " not written to " + url
                + " (dropped: a start sample is never spooled): ";
        try {
            if (spool != null && SpoolDelivery.forRemoteWrite(spool, url, RemoteWriteSink::problem, err)
                    .hasWaiting(group.path())) {
                err.accept(dropped + "earlier writes of this group wait in the spool, and the run's final write"
                        + " delivers them first");
                return;
            }
            byte[] body = WriteRequests.compressed(WriteRequests.of(families, group, timestampMillis));
            RetryingClient client = new RetryingClient(pusher, Math.min(retries, 1));
            client.push(new PushRequest(PushRequest.Method.POST, group.path(), body), deadline);
        } catch (PushFailure f) {
            // Abandoned by the run's end, which has said so already.
            if (!abandoned) {
                err.accept(dropped + f.getMessage());
            }
        } catch (RuntimeException | Error e) {
            // Nothing here may reach the job: say it and stop.
            err.accept(dropped + e);
        }
    }

    /** The time its samples carry: the run's start. */
    long timestampMillis() {
        return timestampMillis;
    }

    /**
     * Waits until the start write has ended, at most {@code limit} and never long past its own deadline, then
     * abandons it if it is still under way (said in one line).
     */
    void awaitAtMost(Duration limit, Consumer<String> err) {
        long wait = Math.min(limit.toMillis(), deadline.remaining().toMillis() + MARGIN_MILLIS);
        try {
            thread.join(Math.max(1, wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            abandoned = true;
            pusher.abort();
            thread.interrupt();
            err.accept("jobmetrics: start sample abandoned: it was still under way when the run ended");
        }
    }
}
