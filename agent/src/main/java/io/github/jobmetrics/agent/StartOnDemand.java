package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.run.RunSession;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The agent's run under a runner when no pattern is configured: started only when something asks for it (job code
 * joining through the API, or the shutdown hook when the job's default registry has metrics to hand off), on the
 * asking thread, while others asking wait. Until then the job's JVM runs none of the run's code. The shutdown hook
 * can {@link #close} it instead, after which every {@code get} answers null at once: there is no run to join.
 * A monitor rather than a {@code FutureTask}: that class sets up a {@code VarHandle}, milliseconds before main.
 */
final class StartOnDemand implements Future<RunSession> {
    private final Callable<RunSession> start;
    private boolean started;
    private boolean closed;
    private @Nullable RunSession run;

    StartOnDemand(Callable<RunSession> start) {
        this.start = start;
    }

    /** True when the run had not started and now never will; false when it has started. */
    synchronized boolean close() {
        if (started) {
            return false;
        }
        closed = true;
        return true;
    }

    /** The run, started on this thread if nobody asked before; null when it could not start or was closed. */
    @Override
    public synchronized @Nullable RunSession get() {
        if (!started && !closed) {
            started = true;
            try {
                run = start.call();
            } catch (Exception e) {
                // Agent.call reports its own failures and returns null; nothing else is expected here.
                run = null;
            }
        }
        return run;
    }

    @Override
    public @Nullable RunSession get(long timeout, TimeUnit unit) {
        return get();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public synchronized boolean isDone() {
        return started || closed;
    }
}
