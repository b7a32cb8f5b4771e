package io.github.jobmetrics.internal.push;

import java.time.Duration;

/**
 * The push path's view of time: a monotonic clock and a way to wait. The deadline, the backoff between retries
 * and {@code Retry-After} are measured against it, so tests can drive a retry schedule without waiting for it.
 */
interface Ticker {
    /** The real clock: {@link System#nanoTime()} and {@link Thread#sleep}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(Math.max(1, duration.toMillis()));
        }
    };

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
