package io.github.jobmetrics.agent.internal;

import io.github.jobmetrics.internal.model.StageCounters;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What instrumented methods call. Each call site has its probe's id baked in as a constant, so a call costs an
 * array read, a thread-local read and the counters' adders: no map lookup, no allocation on success (the
 * thread's depth array is made once per thread). Public because the calls are compiled into the job's classes;
 * not an API.
 *
 * <p>A record is one outermost call per thread: {@link #enter} tells a call of a pattern's method made from
 * inside another call of the same pattern on the same thread ({@link #NESTED}), and its exit counts nothing, so
 * overloads that call each other, or an override calling {@code super}, make one record.
 */
public final class Probes {
    /** What {@link #enter} returns for a nested call; no start time of an outermost call equals it in practice. */
    public static final long NESTED = Long.MIN_VALUE;

    /** How long a call that ends before the run has started waits for its counters: a start takes milliseconds. */
    private static final long START_WAIT_SECONDS = 5;

    // Set before any class is woven, then never changed; volatile for the threads that load classes.
    private static volatile int probeCount;
    private static volatile boolean countNested;
    // Filled once the run has started, which may be after the first woven class has loaded.
    private static volatile StageCounters[] counters = new StageCounters[0];
    private static final CountDownLatch STARTED = new CountDownLatch(1);
    /** Per thread and probe: how many calls of the probe's pattern are under way. */
    private static final ThreadLocal<int[]> DEPTH = new Depth();

    private Probes() {
    }

    /** A class rather than a lambda: the first lambda of a JVM costs it milliseconds, in the job's first call. */
    private static final class Depth extends ThreadLocal<int[]> {
        @Override
        protected int[] initialValue() {
            return new int[probeCount];
        }
    }

    /** Called once by the agent before the first method is woven: how many probes there are (ids 0..n-1). */
    static void expect(int probes, boolean nested) {
        countNested = nested;
        probeCount = probes;
    }

    /** Called once by the agent when the run has started; index = probe id. */
    static void install(StageCounters[] byId, boolean nested) {
        expect(byId.length, nested);
        counters = byId.clone();
        STARTED.countDown();
    }

    /** Called instead of {@link #install} when the run did not start: calls stop waiting and count nothing. */
    static void abandon() {
        STARTED.countDown();
    }

    /**
     * The counter of probe {@code id}, waiting (boundedly) for the run's start if it is still under way; null if
     * the run has no counters for it. Only calls that end in the JVM's first milliseconds ever wait.
     */
    private static StageCounters counter(int id) throws InterruptedException {
        StageCounters[] c = counters;
        if (id >= c.length && STARTED.await(START_WAIT_SECONDS, TimeUnit.SECONDS)) {
            c = counters;
        }
        return id < c.length ? c[id] : null;
    }

    /** A call of probe {@code id}'s method starts: its start time, or {@link #NESTED} if it is not counted. */
    public static long enter(int id) {
        if (countNested) {
            return System.nanoTime();
        }
        try {
            int[] depth = DEPTH.get();
            return depth[id]++ == 0 ? System.nanoTime() : NESTED;
        } catch (RuntimeException | Error e) {
            // Never the job's problem: the call is timed from now and counted as outermost.
            return System.nanoTime();
        }
    }

    /** Whether the call that {@link #enter} started at {@code start} counts, ending it either way. */
    private static boolean leave(int id, long start) {
        if (countNested) {
            return true;
        }
        int[] depth = DEPTH.get();
        if (start == NESTED) {
            depth[id]--;
            return false;
        }
        // Set rather than decremented: an enter that failed cannot leave the thread's depth wrong for good.
        depth[id] = 0;
        return true;
    }

    // The ending calls take the thrown exception first: woven code has it on its stack already, and a failure of
    // ours must never change what the job's method returns or throws, so each one catches its own.

    /** A call ended: a record when outermost, a success when {@code thrown} is null. */
    public static void record(Throwable thrown, int id, long startNanos) {
        try {
            if (!leave(id, startNanos)) {
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            StageCounters c = counter(id);
            if (c == null) {
                return;
            }
            if (thrown == null) {
                c.recordSuccess(nanos);
            } else {
                c.recordFailure(nanos, thrown);
            }
        } catch (InterruptedException e) {
            // The job's own interrupt, caught while waiting for the run: kept for the job, the call not counted.
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Not counted rather than the job's method changed.
        }
    }

    /** A call of an input method ended: one input record when outermost and it returned. */
    public static void input(Throwable thrown, int id, long start) {
        returned(thrown, id, start, false);
    }

    /** A call of an output method ended: one output record when outermost and it returned. */
    public static void output(Throwable thrown, int id, long start) {
        returned(thrown, id, start, true);
    }

    private static void returned(Throwable thrown, int id, long start, boolean output) {
        try {
            StageCounters c = leave(id, start) && thrown == null ? counter(id) : null;
            if (c != null && output) {
                c.addOutput(1);
            } else if (c != null) {
                c.addInput(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // As in record.
        }
    }
}
