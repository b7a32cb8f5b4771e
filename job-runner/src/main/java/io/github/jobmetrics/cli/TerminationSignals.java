package io.github.jobmetrics.cli;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT to the runner into a stop request instead of the JVM's shutdown, so that the runner
 * stays alive to pass the signal to the job, wait for it and push. Only {@link RunnerMain} installs this: the
 * handlers are process-wide.
 */
final class TerminationSignals {
    private static final String[] NAMES = {"TERM", "INT"};

    private TerminationSignals() {
    }

    /** Completes {@code stop} with {@code SIGTERM} or {@code SIGINT} when one arrives. */
    static void install(CompletableFuture<String> stop, Consumer<String> err) {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), signal -> stop.complete("SIG" + signal.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: the JVM's default handling stays.
                err.accept(RunnerCommandLine.NAME + ": cannot handle SIG" + name + " (" + e.getMessage()
                        + "); it will stop the runner without passing it to the job");
            }
        }
    }
}
