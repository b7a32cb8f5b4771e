package io.github.jobmetrics.internal.run;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one piece of global state in jobmetrics: the run that owns this JVM, if any. The agent installs its run
 * here at start so that job code calling {@code JobMetrics.startOrJoin()} counts into it instead of starting a
 * second run; an API run installs itself for the same reason. Cleared when the run finishes.
 *
 * <p>The agent starts its run on a background thread to keep it off the job's start-up path; it
 * {@linkplain #announce announces} the run first, and {@link #get()} waits for an announced run.
 */
public final class CurrentRun {
    /** Longest {@link #get()} waits for an announced run; far above the tens of milliseconds a start takes. */
    private static final long ANNOUNCED_WAIT_SECONDS = 10;

    private static volatile @Nullable RunSession current;
    private static volatile @Nullable Future<RunSession> announced;

    private CurrentRun() {
    }

    /** The run of this JVM, or null; waits (bounded) for a run that was announced and is still starting. */
    @Nullable
    public static RunSession get() {
        Future<RunSession> starting = announced;
        if (current == null && starting != null) {
            try {
                starting.get(ANNOUNCED_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // The announced run did not start: there is none to join.
            }
        }
        return current;
    }

    /**
     * Says that a run is being started on another thread, which will {@link #installIfAbsent install} it and
     * then complete {@code starting} (with the run, or null when it could not start).
     */
    public static void announce(Future<RunSession> starting) {
        announced = starting;
    }

    /** Makes {@code run} the run of this JVM unless one is there already; returns the one that is. */
    public static synchronized RunSession installIfAbsent(RunSession run) {
        if (current == null || current.isFinished()) {
            current = run;
        }
        return current;
    }

    /** Forgets {@code run} if it is the current one. */
    public static synchronized void clear(RunSession run) {
        if (current == run) {
            current = null;
        }
    }
}
