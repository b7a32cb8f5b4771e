package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Delivers one run's metrics to its Pushgateway group: the start marker in the background, then the final push
 * under one deadline, after whatever earlier runs left in the spool. Every run replaces its group ({@code PUT}); a
 * failed run carries the group's previous {@code last_success_timestamp_seconds} along (see {@link GroupCarryOver}). Nothing here throws on a gateway problem and nothing blocks past {@code push-timeout}.
 */
public final class PushEngine {
    private final @Nullable URI gateway;
    private final @Nullable Pusher pusher;
    private final GroupingKey group;
    private final Duration pushTimeout;
    private final int retries;
    private final Spool spool;
    private final GroupCarryOver carryOver;
    private final Consumer<String> err;
    private final boolean print;
    private volatile @Nullable FutureTask<Void> startPush;

    private PushEngine(Builder b) {
        this.gateway = b.gateway;
        this.pusher = b.pusher;
        this.group = requireNonNull(b.group, "group must be set");
        this.pushTimeout = b.pushTimeout;
        this.retries = b.retries;
        this.spool = requireNonNull(b.spool, "spool must be set");
        this.carryOver = new GroupCarryOver(b.accumulatedCounters, b.lastSuccessName);
        this.err = b.err;
        this.print = b.print;
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
        RetryingClient client = new RetryingClient(pusher, Math.min(retries, 1));
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
        if (print) {
            err.accept(Exposition.text(kept).stripTrailing());
        }
        if (pusher == null) {
            abandonStartPush();
            return report(PushReport.Outcome.PRINTED, "no gateway set (--gateway, -Djobmetrics.gateway or"
                    + " JOBMETRICS_GATEWAY): nothing was pushed to a Pushgateway; " + Exposition.seriesCount(kept) + " series "
                    + (print ? "above" : "(shown with print=true)") + " would have gone to " + group.path());
        }
        awaitStartPush(deadline);
        RetryingClient client = new RetryingClient(pusher, retries);
        PushRequest request = carryOver.pending(group, Exposition.bytes(kept), success);
        String series = Exposition.seriesCount(kept) + " series to " + gateway + group.path();
        String what = request.method() + " of " + series;
        String heldBack = new SpoolDelivery(spool, gateway, carryOver, err).deliver(client, deadline, group.path());
        if (heldBack != null) {
            return spool(request, what, heldBack, started);
        }
        try {
            PushRequest sent = carryOver.resolve(request, client, deadline, err);
            client.push(sent, deadline);
            // The method said is the one sent: a failed run falls back to POST when its group cannot be read.
            return report(PushReport.Outcome.PUSHED, "pushed " + sent.method() + " of " + series + " in "
                    + millisSince(started) + " ms");
        } catch (PushFailure f) {
            return spool(request, what, f.getMessage(), started);
        }
    }

    private PushReport spool(PushRequest request, String what, String why, long started) {
        try {
            Path saved = spool.save(gateway, request);
            return report(PushReport.Outcome.SPOOLED, what + " failed after "
                    + millisSince(started) + " ms: " + why + "; saved to " + saved
                    + " for delivery by the next run");
        } catch (IOException e) {
            return report(PushReport.Outcome.LOST, what + " failed: " + why
                    + "; and could not be spooled to " + spool.dir() + ": " + e.getMessage());
        }
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
        private Duration pushTimeout = Settings.DEFAULT_PUSH_TIMEOUT;
        private int retries = Settings.DEFAULT_PUSH_RETRIES;
        private @Nullable Spool spool;
        private @Nullable Map<String, List<String>> accumulatedCounters;
        private @Nullable String lastSuccessName;
        private Consumer<String> err = line -> { };
        private boolean print;

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
        public Builder accumulate(Map<String, List<String>> counterLabels) {
            this.accumulatedCounters = Map.copyOf(counterLabels);
            return this;
        }

        /**
         * The run's last-success gauge: a failed run then replaces the group like a successful one ({@code PUT})
         * and carries the group's previous value of this gauge; default none, and a failed run is a {@code POST}.
         */
        public Builder keepLastSuccess(String lastSuccessName) {
            this.lastSuccessName = requireNonNull(lastSuccessName, "lastSuccessName must not be null");
            return this;
        }

        /** Whether the final push's exposition is also written to {@code err}; default false. */
        public Builder print(boolean print) {
            this.print = print;
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
