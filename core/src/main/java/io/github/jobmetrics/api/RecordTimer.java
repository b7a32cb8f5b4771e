package io.github.jobmetrics.api;

import io.github.jobmetrics.internal.model.StageCounters;

/**
 * One record in progress, for try-with-resources. Not shared between threads; the stage it counts into is.
 *
 * <pre>{@code
 * try (RecordTimer r = transform.start()) {
 *     if (!valid(row)) {
 *         r.fail(new MalformedRowException());
 *     }
 * }
 * }</pre>
 */
public final class RecordTimer implements AutoCloseable {
    private final StageCounters counters;
    private final long begin = System.nanoTime();
    private Throwable error;
    private boolean closed;

    RecordTimer(StageCounters counters) {
        this.counters = counters;
    }

    /** Marks this record failed; the error label is the exception's simple class name. */
    public void fail(Throwable cause) {
        this.error = cause;
    }

    /** Counts the record; closing twice counts it once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long nanos = System.nanoTime() - begin;
        if (error == null) {
            counters.recordSuccess(nanos);
        } else {
            counters.recordFailure(nanos, error);
        }
    }
}
