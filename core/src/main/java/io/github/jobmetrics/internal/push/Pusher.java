package io.github.jobmetrics.internal.push;

import java.time.Duration;

/**
 * One attempt at one HTTP exchange with a Pushgateway. This is the only seam over the HTTP client, so a change of
 * client touches one class. Implementations honour {@code timeout} for connecting and for each read; the total
 * deadline is enforced above them by {@link DeadlineExecutor}.
 */
public interface Pusher {
    /** Sends {@code request}; returns normally on any 2xx. */
    void send(PushRequest request, Duration timeout) throws PushFailure;

    /** Reads the gateway's {@code /metrics} page, the groups it holds now in text format. */
    String readMetrics(Duration timeout) throws PushFailure;

    /** Aborts whatever exchange is in flight on any thread, so a thread stuck in a read returns. */
    void abort();
}
