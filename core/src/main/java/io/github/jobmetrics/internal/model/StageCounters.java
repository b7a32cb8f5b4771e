package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The record counters of one stage. The success path touches only {@link LongAdder}s held in fields and an array
 * of thresholds: no allocation, no map lookup, no lock, so many threads can record at once with exact totals.
 */
public final class StageCounters {
    private final String stage;
    private final long[] sloNanos;
    private final LongAdder records = new LongAdder();
    private final LongAdder durationNanos = new LongAdder();
    private final LongAdder[] overSlo;
    private final LongAdder input = new LongAdder();
    private final LongAdder output = new LongAdder();
    private final LabelGuard<LongAdder> errors;

    StageCounters(String stage, long[] sloNanos, int maxLabelValues, String errorsMetric, Consumer<String> warnings) {
        this.stage = requireNonNull(stage, "stage must not be null");
        this.sloNanos = sloNanos.clone();
        this.overSlo = new LongAdder[sloNanos.length];
        for (int i = 0; i < overSlo.length; i++) {
            overSlo[i] = new LongAdder();
        }
        this.errors = new LabelGuard<>(errorsMetric, "error", maxLabelValues, warnings);
    }

    /** Counts one successful record that took {@code nanos}. */
    public void recordSuccess(long nanos) {
        count(nanos);
    }

    /**
     * Counts one failed record. {@code error} becomes the {@code error} label value; callers pass a class's simple
     * name, never a message.
     */
    public void recordFailure(long nanos, String error) {
        count(nanos);
        errors.get(error, e -> new LongAdder()).increment();
    }

    /** Counts one failed record; the error label is {@code error}'s simple class name, never its message. */
    public void recordFailure(long nanos, Throwable error) {
        recordFailure(nanos, ErrorLabel.of(error));
    }

    private void count(long nanos) {
        long d = Math.max(0L, nanos);
        records.increment();
        durationNanos.add(d);
        long[] slos = sloNanos;
        for (int i = 0; i < slos.length; i++) {
            if (d > slos[i]) {
                overSlo[i].increment();
            }
        }
    }

    /** Adds {@code n} records read. */
    public void addInput(long n) {
        input.add(n);
    }

    /** Adds {@code n} records written. */
    public void addOutput(long n) {
        output.add(n);
    }

    /** The stage label value. */
    public String stage() {
        return stage;
    }

    long records() {
        return records.sum();
    }

    long durationNanos() {
        return durationNanos.sum();
    }

    long overSlo(int threshold) {
        return overSlo[threshold].sum();
    }

    long input() {
        return input.sum();
    }

    long output() {
        return output.sum();
    }

    LabelGuard<LongAdder> errors() {
        return errors;
    }
}
