package io.github.jobmetrics.agent.internal;

import net.bytebuddy.asm.Advice;

/** Woven into every method under the {@code discover} package: each call timed under its {@code Class#method}. */
final class DiscoverAdvice {
    private DiscoverAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Origin("#t\\##m") String method, @Advice.Enter long start,
            @Advice.Thrown Throwable thrown) {
        Discovery.exit(method, start, thrown);
    }
}
