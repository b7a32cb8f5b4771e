package io.github.jobmetrics.internal.push;

import java.time.Duration;

/** A point in monotonic time after which a push gives up. Immutable. */
public final class Deadline {
    private final Ticker ticker;
    private final long endNanos;
    private final Duration total;

    private Deadline(Ticker ticker, long endNanos, Duration total) {
        this.ticker = ticker;
        this.endNanos = endNanos;
        this.total = total;
    }

    public static Deadline after(Duration total) {
        return after(total, Ticker.SYSTEM);
    }

    static Deadline after(Duration total, Ticker ticker) {
        return new Deadline(ticker, ticker.nanoTime() + total.toNanos(), total);
    }

    public Duration remaining() {
        long left = endNanos - ticker.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    Duration total() {
        return total;
    }
}
