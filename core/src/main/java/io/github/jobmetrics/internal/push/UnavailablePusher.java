package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A {@link Pusher} for a target that cannot be set up (a TLS store that does not open): every exchange fails
 * with the set-up error, so the run is spooled with that reason instead of the job failing at start.
 */
public final class UnavailablePusher implements Pusher {
    private final String reason;

    public UnavailablePusher(String reason) {
        this.reason = requireNonNull(reason, "reason must not be null");
    }

    @Override
    public void send(PushRequest request, Duration timeout) throws PushFailure {
        throw PushFailure.permanent(reason);
    }

    @Override
    public String readMetrics(Duration timeout) throws PushFailure {
        throw PushFailure.permanent(reason);
    }

    @Override
    public void abort() {
        // nothing is ever in flight
    }
}
