package io.github.jobmetrics.agent.internal;

import io.github.jobmetrics.internal.model.StageCounters;

/**
 * What instrumented methods call. Each call site has its probe's id baked in as a constant, so a call costs an
 * array read and the counters' adders: no map lookup, no allocation on success. Public because the calls are
 * compiled into the job's classes; not an API.
 */
public final class Probes {
    // Filled before any class is instrumented and never changed; volatile for the threads that load classes.
    private static volatile StageCounters[] counters = new StageCounters[0];

    private Probes() {
    }

    /** Called once by the agent, before the first method is instrumented; index = probe id. */
    static void install(StageCounters[] byId) {
        counters = byId.clone();
    }

    /** A record ended: success when {@code thrown} is null. */
    public static void record(int id, long startNanos, Throwable thrown) {
        long nanos = System.nanoTime() - startNanos;
        StageCounters c = counters[id];
        if (thrown == null) {
            c.recordSuccess(nanos);
        } else {
            c.recordFailure(nanos, thrown);
        }
    }

    /** One input record was read. */
    public static void input(int id) {
        counters[id].addInput(1);
    }

    /** One output record was written. */
    public static void output(int id) {
        counters[id].addOutput(1);
    }
}
