package io.github.jobmetrics.api;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.model.StageCounters;
import java.util.concurrent.Callable;

/**
 * Records of one stage of a job ({@code extract}, {@code transform}, ...): each is timed, counted, counted as an
 * error when it fails, and counted against every record SLO threshold. Get a stage once from
 * {@link JobRun#stage(String)} and keep it; every method here is thread-safe and the success path allocates
 * nothing.
 *
 * <pre>{@code
 * Stage load = run.stage("load");
 * for (Row row : rows) {
 *     long t = load.begin();
 *     try {
 *         write(row);
 *         load.success(t);
 *     } catch (IOException e) {
 *         load.failure(t, e);
 *     }
 * }
 * }</pre>
 */
public final class Stage {
    private final StageCounters counters;

    Stage(StageCounters counters) {
        this.counters = requireNonNull(counters, "counters must not be null");
    }

    /** The stage's name, its {@code stage} label value. */
    public String name() {
        return counters.stage();
    }

    /** Starts timing a record; pass the result to {@link #success(long)} or {@link #failure(long, Throwable)}. */
    public long begin() {
        return System.nanoTime();
    }

    /** Counts one successful record begun at {@code begin}. */
    public void success(long begin) {
        counters.recordSuccess(System.nanoTime() - begin);
    }

    /** Counts one failed record begun at {@code begin}; the error label is the exception's simple class name. */
    public void failure(long begin, Throwable error) {
        counters.recordFailure(System.nanoTime() - begin, error);
    }

    /**
     * Starts a record as a handle for try-with-resources: the record succeeds on {@code close()} unless
     * {@link RecordTimer#fail(Throwable)} was called.
     */
    public RecordTimer start() {
        return new RecordTimer(counters);
    }

    /** Runs {@code work} as one record: timed, and counted as failed (then rethrown) if it throws. */
    public void record(ThrowingRunnable work) throws Exception {
        long t = System.nanoTime();
        try {
            work.run();
        } catch (Exception | Error e) {
            counters.recordFailure(System.nanoTime() - t, e);
            throw e;
        }
        counters.recordSuccess(System.nanoTime() - t);
    }

    /** Runs {@code work} as one record and returns its result; counted as failed (then rethrown) if it throws. */
    public <T> T record(Callable<T> work) throws Exception {
        long t = System.nanoTime();
        T result;
        try {
            result = work.call();
        } catch (Exception | Error e) {
            counters.recordFailure(System.nanoTime() - t, e);
            throw e;
        }
        counters.recordSuccess(System.nanoTime() - t);
        return result;
    }

    /** Adds {@code n} records read by this stage ({@code input_records_total}). */
    public void input(long n) {
        counters.addInput(n);
    }

    /** Adds {@code n} records written by this stage ({@code output_records_total}). */
    public void output(long n) {
        counters.addOutput(n);
    }

    /** Work that may throw, for {@link #record(ThrowingRunnable)}. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /** Does the work of one record. */
        void run() throws Exception;
    }
}
