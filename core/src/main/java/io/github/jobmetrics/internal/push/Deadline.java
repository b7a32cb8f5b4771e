package io.github.jobmetrics.internal.push;

import java.time.Duration;

/** A point in monotonic time after which a push gives up. Immutable. */
final class Deadline {
    private final long endNanos;
    private final Duration total;

    private Deadline(long endNanos, Duration total) {
        this.endNanos = endNanos;
        this.total = total;
    }

    static Deadline after(Duration total) {
        return new Deadline(System.nanoTime() + total.toNanos(), total);
    }

    Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    Duration total() {
        return total;
    }
}
