package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/** Woven into each method of an {@code input} pattern: an outermost call that returns read one record. */
final class InputAdvice {
    private InputAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int id) {
        return Probes.enter(id);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
        Probes.input(id, start, thrown);
    }
}
