package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/** Woven into each method of an {@code output} pattern: a call that returns wrote one record. */
final class OutputAdvice {
    private OutputAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@ProbeId int id) {
        Probes.output(id);
    }
}
