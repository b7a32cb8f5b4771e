package io.github.jobmetrics.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns SIGHUP, SIGINT and SIGTERM to the runner into stop requests instead of the JVM's shutdown, so that the
 * runner stays alive to pass the signal to the job, wait for it and push. SIGQUIT keeps the JVM's thread dump. Only
 * {@link RunnerMain} installs this: the handlers are process-wide.
 */
final class TerminationSignals {
    private static final String[] NAMES = {"HUP", "INT", "TERM"};

    private TerminationSignals() {
    }

    /** Records each of these signals in {@code stops} when it arrives. */
    static void install(StopRequests stops, Consumer<String> err) {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), signal -> stops.receive("SIG" + signal.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: the JVM's default handling stays.
                err.accept(RunnerCommandLine.NAME + ": cannot handle SIG" + name + " (" + e.getMessage()
                        + "); it will stop the runner without passing it to the job");
            }
        }
    }
}
