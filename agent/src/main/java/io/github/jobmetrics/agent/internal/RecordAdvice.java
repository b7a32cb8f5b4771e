package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/**
 * Woven into each method of a {@code records} pattern: one timed record per outermost call, an error when it
 * throws.
 */
final class RecordAdvice {
    private RecordAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int id) {
        return Probes.enter(id);
    }

    // suppress: a failure of ours must never change what the job's method returns or throws.
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
        Probes.record(id, start, thrown);
    }
}
