package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Runs exchanges with a {@link Pusher} under one total deadline: each attempt on its own daemon thread, awaited
 * for what is left of the deadline and aborted when it passes (a server dripping one byte at a time defeats any
 * per-read timeout); retries with exponential backoff and jitter for connection errors, 429 and 5xx; honours
 * {@code Retry-After} only when it fits in the deadline.
 */
public final class RetryingClient {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Pusher pusher;
    private final int retries;
    private final DoubleSupplier jitter;
    private final Ticker ticker;

    /** Waits between attempts with a random jitter (a ThreadLocalRandom per call: it belongs to its thread). */
    public RetryingClient(Pusher pusher, int retries) {
        this(pusher, retries, () -> ThreadLocalRandom.current().nextDouble());
    }

    public RetryingClient(Pusher pusher, int retries, DoubleSupplier jitter) {
        this(pusher, retries, jitter, Ticker.SYSTEM);
    }

    /** {@code ticker} measures the time spent and waits between attempts. */
    RetryingClient(Pusher pusher, int retries, DoubleSupplier jitter, Ticker ticker) {
        this.pusher = requireNonNull(pusher, "pusher must not be null");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        this.retries = retries;
        this.jitter = requireNonNull(jitter, "jitter must not be null");
        this.ticker = requireNonNull(ticker, "ticker must not be null");
    }

    public void push(PushRequest request, Deadline deadline) throws PushFailure {
        withRetries(() -> {
            pusher.send(request, deadline.remaining());
            return null;
        }, deadline);
    }

    String readMetrics(Deadline deadline) throws PushFailure {
        return withRetries(() -> pusher.readMetrics(deadline.remaining()), deadline);
    }

    private <T> T withRetries(Callable<T> exchange, Deadline deadline) throws PushFailure {
        long started = ticker.nanoTime();
        for (int attempt = 0; ; attempt++) {
            PushFailure failure;
            try {
                return attempt(exchange, deadline);
            } catch (PushFailure f) {
                failure = f;
            }
            String tried = " (" + (attempt + 1) + (attempt == 0 ? " attempt" : " attempts") + " in "
                    + millisSince(started) + " ms)";
            if (!failure.retryable() || attempt >= retries) {
                throw withSuffix(failure, tried);
            }
            Duration wait = backoff(attempt);
            if (failure.retryAfter().isPresent()) {
                Duration asked = failure.retryAfter().get();
                if (asked.compareTo(deadline.remaining()) >= 0) {
                    throw withSuffix(failure, tried + "; Retry-After " + asked.toSeconds()
                            + "s is beyond the push-timeout");
                }
                wait = asked;
            }
            if (wait.compareTo(deadline.remaining()) >= 0) {
                throw withSuffix(failure, tried + "; no time left within push-timeout "
                        + deadline.total().toMillis() + " ms");
            }
            try {
                ticker.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw withSuffix(failure, tried + "; interrupted");
            }
        }
    }

    private <T> T attempt(Callable<T> exchange, Deadline deadline) throws PushFailure {
        Duration left = deadline.remaining();
        if (left.isZero()) {
            throw PushFailure.permanent("push-timeout of " + deadline.total().toMillis() + " ms passed");
        }
        FutureTask<T> task = new FutureTask<>(exchange);
        Thread worker = new Thread(task, "jobmetrics-push");
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pusher.abort();
            task.cancel(true);
            throw PushFailure.permanent("no answer within push-timeout of " + deadline.total().toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            pusher.abort();
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw PushFailure.permanent("interrupted while pushing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PushFailure f) {
                throw f;
            }
            // Only the kind: an unexpected exception's message may quote a request header.
            throw PushFailure.connection("push failed: " + cause.getClass().getSimpleName(), null);
        }
    }

    /** Exponential backoff with "equal jitter": at least half the step, so retries never bunch at zero. */
    private Duration backoff(int attempt) {
        long step = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(step / 2 + (long) (jitter.getAsDouble() * (step / 2)));
    }

    private long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startNanos);
    }

    private static PushFailure withSuffix(PushFailure f, String suffix) {
        return f.withMessage(f.getMessage() + suffix);
    }
}
