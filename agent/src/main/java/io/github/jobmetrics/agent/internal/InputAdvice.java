package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/** Woven into each method of an {@code input} pattern: a call that returns read one record. */
final class InputAdvice {
    private InputAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@ProbeId int id) {
        Probes.input(id);
    }
}
