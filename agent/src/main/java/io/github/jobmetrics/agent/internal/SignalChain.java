package io.github.jobmetrics.agent.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Records SIGTERM and SIGINT in {@link ExitStatus} and then hands the signal to the handler that was there (normally the JDK's, which
 * starts the shutdown with status 128+N, so the exit status the job's supervisor sees is unchanged).
 */
public final class SignalChain implements SignalHandler {
    private final SignalHandler previous;

    private SignalChain(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Chains onto {@code names} (such as {@code TERM}); returns null or a one-line reason why a signal is not
     * watched. A signal the JVM ignores ({@code nohup}) or leaves to native code ({@code -Xrs}) is left alone.
     */
    public static String install(String... names) {
        StringBuilder problems = new StringBuilder();
        for (String name : names) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, SignalHandler.SIG_DFL);
                if (previous == SignalHandler.SIG_IGN || previous == SignalHandler.SIG_DFL) {
                    // Nothing in Java to chain to: put it back as it was.
                    Signal.handle(signal, previous);
                    continue;
                }
                Signal.handle(signal, new SignalChain(previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                problems.append(problems.length() == 0 ? "" : "; ").append("SIG").append(name).append(": ")
                        .append(e.getMessage());
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    @Override
    public void handle(Signal signal) {
        try {
            ExitStatus.signal(signal.getNumber());
        } finally {
            previous.handle(signal);
        }
    }
}
