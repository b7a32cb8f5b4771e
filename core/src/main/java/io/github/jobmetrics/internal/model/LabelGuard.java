package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps one label of one metric within a bounded number of distinct values. Values beyond the bound are folded
 * into {@link #OTHER}, counted, and reported once, because a label fed with ids or exception messages would
 * otherwise create unbounded series in Prometheus.
 *
 * @param <V> what is kept per accepted label value (a counter, a stage)
 */
final class LabelGuard<V> {
    static final String OTHER = "other";

    private final String metric;
    private final String label;
    private final int maxValues;
    private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean reported = new AtomicBoolean();
    private final Consumer<String> warnings;

    LabelGuard(String metric, String label, int maxValues, Consumer<String> warnings) {
        this.metric = requireNonNull(metric, "metric must not be null");
        this.label = requireNonNull(label, "label must not be null");
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be at least 1, was " + maxValues);
        }
        this.maxValues = maxValues;
        this.warnings = requireNonNull(warnings, "warnings must not be null");
    }

    /** The holder for {@code value}, or the shared {@code other} holder once the bound is reached. */
    V get(String value, Function<String, V> create) {
        V existing = values.get(value);
        if (existing != null) {
            return existing;
        }
        // One slot is kept for "other" so the bound holds for the series Prometheus finally sees.
        if (values.size() < maxValues - 1 || OTHER.equals(value)) {
            synchronized (values) {
                if (values.size() < maxValues - 1 || OTHER.equals(value) || values.containsKey(value)) {
                    return values.computeIfAbsent(value, create);
                }
            }
        }
        dropped.increment();
        if (reported.compareAndSet(false, true)) {
            warnings.accept("jobmetrics: label " + label + " of " + metric + " reached " + maxValues
                    + " distinct values; further values are counted as \"" + OTHER + "\" (max-label-values)");
        }
        return values.computeIfAbsent(OTHER, create);
    }

    /** Accepted values and their holders, for collection. */
    ConcurrentHashMap<String, V> values() {
        return values;
    }

    String metric() {
        return metric;
    }

    String label() {
        return label;
    }

    long dropped() {
        return dropped.sum();
    }
}
