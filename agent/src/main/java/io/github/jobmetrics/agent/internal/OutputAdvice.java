package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/** Woven into each method of an {@code output} pattern: an outermost call that returns wrote one record. */
final class OutputAdvice {
    private OutputAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int id) {
        return Probes.enter(id);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
        Probes.output(id, start, thrown);
    }
}
