package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Delivers one run's metrics to its Pushgateway group: the start marker in the background, then the final push
 * under one deadline, after whatever earlier runs left in the spool. A successful run is a {@code PUT} (the group
 * is replaced); a failed run is a {@code POST}, so the group's previous {@code last_success_timestamp_seconds}
 * survives. Nothing here throws on a gateway problem and nothing blocks past {@code push-timeout}.
 */
public final class PushEngine {
    private final @Nullable URI gateway;
    private final @Nullable Pusher pusher;
    private final GroupingKey group;
    private final Duration pushTimeout;
    private final int retries;
    private final Spool spool;
    private final @Nullable CounterCarryOver carryOver;
    private final Consumer<String> err;
    private volatile @Nullable FutureTask<Void> startPush;

    private PushEngine(Builder b) {
        this.gateway = b.gateway;
        this.pusher = b.pusher;
        this.group = requireNonNull(b.group, "group must be set");
        this.pushTimeout = b.pushTimeout;
        this.retries = b.retries;
        this.spool = requireNonNull(b.spool, "spool must be set");
        this.carryOver = b.carryOver;
        this.err = b.err;
    }

    public static Builder builder() {
        return new Builder();
    }

    public GroupingKey group() {
        return group;
    }

    /**
     * Sends the start marker on a daemon thread and returns at once. Failures are reported, never thrown; the
     * marker is not spooled because it is stale by the time a later run could deliver it.
     */
    public void pushStartAsync(List<MetricFamilySamples> families) {
        if (pusher == null) {
            return;
        }
        PushRequest request = new PushRequest(PushRequest.Method.POST, group.path(), Exposition.bytes(families));
        RetryingClient client = new RetryingClient(pusher, Math.min(retries, 1), PushEngine::jitter);
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                client.push(request, Deadline.after(pushTimeout));
            } catch (PushFailure f) {
                err.accept("jobmetrics: start marker not pushed: " + f.getMessage());
            }
            return null;
        });
        Thread t = new Thread(task, "jobmetrics-start-push");
        t.setDaemon(true);
        startPush = task;
        t.start();
    }

    /**
     * Pushes the final registry of a run that ended as {@code success} says, and reports what became of it.
     * Families that would make the Pushgateway refuse the push are dropped and named first.
     */
    public PushReport pushFinal(List<MetricFamilySamples> families, boolean success) {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(pushTimeout);
        List<MetricFamilySamples> kept = ExpositionCheck.check(families, group, err);
        if (pusher == null) {
            abandonStartPush();
            err.accept(Exposition.text(kept).stripTrailing());
            return report(PushReport.Outcome.PRINTED, "jobmetrics: no gateway set (--gateway, -Djobmetrics.gateway"
                    + " or JOBMETRICS_GATEWAY): nothing was pushed; the " + Exposition.seriesCount(kept)
                    + " series above are what would have gone to " + group.path());
        }
        awaitStartPush(deadline);
        RetryingClient client = new RetryingClient(pusher, retries, PushEngine::jitter);
        if (carryOver != null) {
            kept = carryOver.apply(kept, client, deadline, group, err);
        }
        PushRequest request = new PushRequest(success ? PushRequest.Method.PUT : PushRequest.Method.POST,
                group.path(), Exposition.bytes(kept));
        String what = request.method() + " of " + Exposition.seriesCount(kept) + " series to " + gateway
                + group.path();
        if (!deliverSpool(client, deadline)) {
            return spool(request, what, "earlier spooled pushes could not be delivered first", started);
        }
        try {
            client.push(request, deadline);
            return report(PushReport.Outcome.PUSHED, "jobmetrics: pushed " + what + " in " + millisSince(started)
                    + " ms");
        } catch (PushFailure f) {
            return spool(request, what, f.getMessage(), started);
        }
    }

    private PushReport spool(PushRequest request, String what, String why, long started) {
        try {
            Path saved = spool.save(request);
            return report(PushReport.Outcome.SPOOLED, "jobmetrics: " + what + " failed after "
                    + millisSince(started) + " ms: " + why + "; saved to " + saved
                    + " for delivery by the next run");
        } catch (IOException e) {
            return report(PushReport.Outcome.LOST, "jobmetrics: " + what + " failed: " + why
                    + "; and could not be spooled to " + spool.dir() + ": " + e.getMessage());
        }
    }

    /** Delivers spooled entries oldest first; false when some remain, so this run must queue behind them. */
    private boolean deliverSpool(RetryingClient client, Deadline deadline) {
        boolean[] clear = {true};
        try {
            if (spool.pending().isEmpty()) {
                return true;
            }
            spool.underLock(() -> {
                for (Path entry : spool.pending()) {
                    PushRequest old = spool.read(entry);
                    if (old == null) {
                        continue;
                    }
                    try {
                        client.push(old, deadline);
                        spool.delivered(entry);
                        err.accept("jobmetrics: delivered spooled " + old + " to " + gateway);
                    } catch (PushFailure f) {
                        if (isPermanentRejection(f)) {
                            spool.rejected(entry, f.getMessage());
                        } else {
                            clear[0] = false;
                            return;
                        }
                    }
                }
            });
        } catch (IOException e) {
            err.accept("jobmetrics: cannot read spool " + spool.dir() + ": " + e.getMessage());
        }
        return clear[0];
    }

    /** A refusal about the entry itself; 401 and 403 are about credentials, which a later run may have right. */
    private static boolean isPermanentRejection(PushFailure f) {
        int status = f.status().orElse(-1);
        return status >= 400 && status < 500 && status != 401 && status != 403 && !f.retryable();
    }

    /** The start marker must never land after the final push: wait for it, but abandon it past half the deadline. */
    private void awaitStartPush(Deadline deadline) {
        FutureTask<Void> task = startPush;
        if (task == null) {
            return;
        }
        try {
            task.get(deadline.remaining().toNanos() / 2, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandonStartPush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonStartPush();
        } catch (ExecutionException e) {
            err.accept("jobmetrics: start marker failed: " + e.getCause());
        }
    }

    private void abandonStartPush() {
        FutureTask<Void> task = startPush;
        if (task != null && !task.isDone()) {
            if (pusher != null) {
                pusher.abort();
            }
            task.cancel(true);
        }
    }

    /** Per call, not captured: a ThreadLocalRandom belongs to the thread that asks for it. */
    private static double jitter() {
        return ThreadLocalRandom.current().nextDouble();
    }

    private PushReport report(PushReport.Outcome outcome, String line) {
        return new PushReport(outcome, line);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Builds a {@link PushEngine}. */
    public static final class Builder {
        private @Nullable URI gateway;
        private @Nullable Pusher pusher;
        private @Nullable GroupingKey group;
        private Duration pushTimeout = Duration.ofSeconds(10);
        private int retries = 3;
        private @Nullable Spool spool;
        private @Nullable CounterCarryOver carryOver;
        private Consumer<String> err = line -> { };

        private Builder() {
        }

        /** Where to push; without one, the final push prints the exposition instead. */
        public Builder gateway(URI gateway, Pusher pusher) {
            this.gateway = requireNonNull(gateway, "gateway must not be null");
            this.pusher = requireNonNull(pusher, "pusher must not be null");
            return this;
        }

        public Builder group(GroupingKey group) {
            this.group = group;
            return this;
        }

        /** Total time for the final push, spool delivery and retries included; default 10 s. */
        public Builder pushTimeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("push timeout must be positive, was " + timeout);
            }
            this.pushTimeout = timeout;
            return this;
        }

        /** Retries after the first attempt; default 3. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder spool(Spool spool) {
            this.spool = spool;
            return this;
        }

        /**
         * Continue the counters in {@code counterLabels} (sample name with {@code _total} to its label names)
         * from the values the group holds in the Pushgateway now; default off.
         */
        public Builder accumulate(java.util.Map<String, List<String>> counterLabels) {
            this.carryOver = new GatewayCounterCarryOver(counterLabels);
            return this;
        }

        /** Where report lines and warnings go, one line per call; default nowhere. */
        public Builder err(Consumer<String> err) {
            this.err = requireNonNull(err, "err must not be null");
            return this;
        }

        public PushEngine build() {
            return new PushEngine(this);
        }
    }
}
