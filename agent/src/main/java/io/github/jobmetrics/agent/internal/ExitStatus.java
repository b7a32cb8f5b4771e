package io.github.jobmetrics.agent.internal;

/**
 * How this JVM is leaving: the status of the first {@code Runtime.exit} call or the first stopping signal. The
 * instrumented {@code java.lang.Runtime#exit} calls {@link #exit(int)} by reflection through the system class
 * loader (see {@link ExitCapture}); public for that reason only.
 */
public final class ExitStatus {
    /** Nothing recorded yet. */
    public static final int NONE = 0;
    /** {@code Runtime.exit} was called first. */
    public static final int EXIT = 1;
    /** A signal arrived first. */
    public static final int SIGNAL = 2;

    private static int cause = NONE;
    private static int status;

    private ExitStatus() {
    }

    /** Called first thing in {@code Runtime.exit(status)}; the first cause wins, as it decides the JVM's status. */
    public static void exit(int status) {
        record(EXIT, status);
    }

    /** Called by the agent's signal handler before it chains to the previous one. */
    public static void signal(int number) {
        record(SIGNAL, 128 + number);
    }

    private static synchronized void record(int newCause, int newStatus) {
        if (cause == NONE) {
            cause = newCause;
            status = newStatus;
        }
    }

    /** {@link #NONE}, {@link #EXIT} or {@link #SIGNAL}. */
    public static synchronized int cause() {
        return cause;
    }

    /** The exit status of the recorded cause (128+N for signal N); 0 when none. */
    public static synchronized int status() {
        return status;
    }
}
