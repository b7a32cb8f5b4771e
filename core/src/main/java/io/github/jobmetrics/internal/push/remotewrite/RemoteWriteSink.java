package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.push.Deadline;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.RetryingClient;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.SpoolDelivery;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xerial.snappy.Snappy;

/**
 * Delivers a run's final families to a remote-write receiver under the same rules as the Pushgateway path: one
 * total deadline, retries with backoff on connection errors, 429 and 5xx ({@code Retry-After} honoured), a 4xx
 * not retried and its body shown. What cannot be delivered (no answer, 5xx, 429 past the deadline, 401/403) waits
 * in the spool for a later run writing to the same receiver, which delivers it first; a refusal of the write itself
 * (a 4xx such as an out-of-order 400) is neither retried nor spooled. Nothing here throws on a receiver problem.
 * With a pusher of its own for it, the sink also writes the run's start sample ({@link #writeStartAsync}), which
 * the final write waits for, briefly, so that each series gets its samples in time order. One per run.
 */
public final class RemoteWriteSink {
    private final URI url;
    private final Pusher pusher;
    private final GroupingKey group;
    private final Duration pushTimeout;
    private final int retries;
    private final @Nullable Spool spool;
    private final Consumer<String> err;
    private final @Nullable Pusher startPusher;
    private volatile @Nullable StartWrite startWrite;

    /** A sink without a spool: what cannot be delivered is lost, said on the report line. */
    public RemoteWriteSink(URI url, Pusher pusher, GroupingKey group, Duration pushTimeout, int retries) {
        this(url, pusher, group, pushTimeout, retries, null, line -> { });
    }

    /**
     * @param url where {@code pusher} writes, for the report line and the spool entries' target
     * @param pushTimeout the total time for the write, spooled writes and retries included
     * @param retries retries after the first attempt
     * @param spool where an undelivered write waits, shared with the gateway's entries; null for none
     * @param err where the delivery of spooled writes is said, one line each
     */
    public RemoteWriteSink(URI url, Pusher pusher, GroupingKey group, Duration pushTimeout, int retries,
            @Nullable Spool spool, Consumer<String> err) {
        this(url, pusher, group, pushTimeout, retries, spool, err, null);
    }

    /**
     * As above, with {@code startPusher} for the start sample: its own, because abandoning a slow start write
     * aborts what that pusher has in flight. Null: no start sample is written.
     */
    public RemoteWriteSink(URI url, Pusher pusher, GroupingKey group, Duration pushTimeout, int retries,
            @Nullable Spool spool, Consumer<String> err, @Nullable Pusher startPusher) {
        this.url = requireNonNull(url, "url must not be null");
        this.pusher = requireNonNull(pusher, "pusher must not be null");
        this.group = requireNonNull(group, "group must not be null");
        this.pushTimeout = requireNonNull(pushTimeout, "pushTimeout must not be null");
        if (pushTimeout.isZero() || pushTimeout.isNegative()) {
            throw new IllegalArgumentException("push timeout must be positive, was " + pushTimeout);
        }
        this.retries = retries;
        this.spool = spool;
        this.err = requireNonNull(err, "err must not be null");
        this.startPusher = startPusher;
    }

    /**
     * Writes the run's start sample ({@code families}, at {@code startEpochMillis}) on a daemon thread and returns at
     * once; at most one per run. Under a deadline of {@link StartWrite#BOUND} (or the push timeout if shorter), not
     * spooled, dropped with one line on {@code err} when it cannot be written, and not written at all when earlier
     * writes of this group wait in the spool (it would overtake them). Does nothing without a start pusher.
     */
    public synchronized void writeStartAsync(List<MetricFamilySamples> families, long startEpochMillis) {
        if (startPusher == null || startWrite != null) {
            return;
        }
        startWrite = StartWrite.begin(url, startPusher, group, families, startEpochMillis, pushTimeout, retries,
                spool, err);
    }

    /**
     * Writes {@code families} as samples at {@code endEpochMillis}, the run's one timestamp, after what waits in
     * the spool for this receiver, and says what became of them in one line: {@code PUSHED}, {@code SPOOLED} with
     * the file, or {@code LOST} with the receiver's reason when it refused the write. A start sample still under
     * way is waited for (at most half the push timeout, never past its own deadline); a run that ends in the
     * millisecond it started is written 1 ms after its start sample, which a receiver would otherwise refuse as a
     * duplicate sample for the same series and time.
     */
    public PushReport deliver(List<MetricFamilySamples> families, long endEpochMillis) {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(pushTimeout);
        long at = endEpochMillis;
        StartWrite start = startWrite;
        if (start != null) {
            start.awaitAtMost(deadline.remaining().dividedBy(2), err);
            at = Math.max(endEpochMillis, start.timestampMillis() + 1);
        }
        WriteRequest request = WriteRequests.of(families, group, at);
        byte[] body = WriteRequests.compressed(request);
        String series = request.getTimeseriesCount() + " series (" + body.length + " bytes) to " + url;
        String what = "remote write of " + series;
        RetryingClient client = new RetryingClient(pusher, retries);
        // The group path names the run's group in messages and orders the spool per group: a receiver has a
        // single endpoint.
        PushRequest push = new PushRequest(PushRequest.Method.POST, group.path(), body);
        if (spool != null) {
            String heldBack = SpoolDelivery.forRemoteWrite(spool, url, RemoteWriteSink::problem, err)
                    .deliver(client, deadline, group.path());
            if (heldBack != null) {
                return spool(push, what, heldBack, started);
            }
        }
        try {
            client.push(push, deadline);
            return new PushReport(PushReport.Outcome.PUSHED, "wrote " + series + " in " + millisSince(started)
                    + " ms");
        } catch (PushFailure f) {
            if (spool == null || SpoolDelivery.isPermanentRejection(f)) {
                return new PushReport(PushReport.Outcome.LOST, what + " failed after " + millisSince(started)
                        + " ms: " + f.getMessage() + (spool == null ? "" : "; not retried and not spooled"));
            }
            return spool(push, what, f.getMessage(), started);
        }
    }

    private PushReport spool(PushRequest push, String what, String why, long started) {
        try {
            Path saved = spool.saveRemoteWrite(url, push);
            return new PushReport(PushReport.Outcome.SPOOLED, what + " failed after " + millisSince(started)
                    + " ms: " + why + "; saved to " + saved + " for delivery to the same receiver by the next run");
        } catch (IOException e) {
            return new PushReport(PushReport.Outcome.LOST, what + " failed: " + why + "; and could not be spooled to "
                    + spool.dir() + ": " + e.getMessage());
        }
    }

    /** Why a spooled body is not a write this version would send, or null. */
    @Nullable
    static String problem(byte[] body) {
        try {
            WriteRequest.parseFrom(Snappy.uncompress(body));
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
