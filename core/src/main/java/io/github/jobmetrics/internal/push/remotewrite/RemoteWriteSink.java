package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.push.Deadline;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.RetryingClient;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers a run's final families to a remote-write receiver under the same rules as the Pushgateway path: one
 * total deadline, retries with backoff on connection errors, 429 and 5xx ({@code Retry-After} honoured), a 4xx
 * not retried and its body shown. Nothing here throws on a receiver problem. Immutable; one per run.
 */
public final class RemoteWriteSink {
    private final URI url;
    private final Pusher pusher;
    private final GroupingKey group;
    private final Duration pushTimeout;
    private final int retries;

    /**
     * @param url where {@code pusher} writes, for the report line
     * @param pushTimeout the total time for the write, retries included
     * @param retries retries after the first attempt
     */
    public RemoteWriteSink(URI url, Pusher pusher, GroupingKey group, Duration pushTimeout, int retries) {
        this.url = requireNonNull(url, "url must not be null");
        this.pusher = requireNonNull(pusher, "pusher must not be null");
        this.group = requireNonNull(group, "group must not be null");
        this.pushTimeout = requireNonNull(pushTimeout, "pushTimeout must not be null");
        if (pushTimeout.isZero() || pushTimeout.isNegative()) {
            throw new IllegalArgumentException("push timeout must be positive, was " + pushTimeout);
        }
        this.retries = retries;
    }

    /**
     * Writes {@code families} as samples at {@code endEpochMillis}, the run's one timestamp, and says what became
     * of them in one line. A refused write (an out-of-order sample among them) is {@code LOST}, with the receiver's
     * reason.
     */
    public PushReport deliver(List<MetricFamilySamples> families, long endEpochMillis) {
        long started = System.nanoTime();
        WriteRequest request = WriteRequests.of(families, group, endEpochMillis);
        byte[] body = WriteRequests.compressed(request);
        String what = "remote write of " + request.getTimeseriesCount() + " series (" + body.length
                + " bytes) to " + url;
        RetryingClient client = new RetryingClient(pusher, retries,
                () -> ThreadLocalRandom.current().nextDouble());
        try {
            // The group path only names the run's group in messages: a receiver has a single endpoint.
            client.push(new PushRequest(PushRequest.Method.POST, group.path(), body), Deadline.after(pushTimeout));
            return new PushReport(PushReport.Outcome.PUSHED, "wrote " + what.substring("remote write of ".length())
                    + " in " + millisSince(started) + " ms");
        } catch (PushFailure f) {
            return new PushReport(PushReport.Outcome.LOST, what + " failed after " + millisSince(started)
                    + " ms: " + f.getMessage());
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
