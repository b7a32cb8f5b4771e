package io.github.jobmetrics.agent.internal;

import java.io.PrintStream;

/**
 * A default uncaught-exception handler that notes when the main thread dies of an exception, then does what was
 * there before: the previous default handler, or the JDK's own message on stderr. Other threads' exceptions do
 * not fail the run (the JVM exits 0 after them).
 */
public final class MainThreadWatch implements Thread.UncaughtExceptionHandler {
    private final Thread main;
    private final Thread.UncaughtExceptionHandler previous;
    private final PrintStream err;
    private volatile Throwable mainDiedOf;

    private MainThreadWatch(Thread main, Thread.UncaughtExceptionHandler previous, PrintStream err) {
        this.main = main;
        this.previous = previous;
        this.err = err;
    }

    /** Chains onto the current default handler; {@code main} is the thread whose death fails the run. */
    public static MainThreadWatch install(Thread main, PrintStream err) {
        MainThreadWatch watch = new MainThreadWatch(main, Thread.getDefaultUncaughtExceptionHandler(), err);
        Thread.setDefaultUncaughtExceptionHandler(watch);
        return watch;
    }

    /** The exception the main thread died of, or null. */
    public Throwable mainDiedOf() {
        return mainDiedOf;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (thread == main) {
            mainDiedOf = error;
        }
        if (previous != null) {
            previous.uncaughtException(thread, error);
        } else {
            // What ThreadGroup.uncaughtException prints when no default handler is set.
            err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(err);
        }
    }
}
