package io.github.jobmetrics.run;

import edu.umd.cs.findbugs.annotations.Nullable;

/**
 * The one piece of global state in jobmetrics: the run that owns this JVM, if any. The agent installs its run
 * here at start so that job code calling {@code JobMetrics.startOrJoin()} counts into it instead of starting a
 * second run; an API run installs itself for the same reason. Cleared when the run finishes.
 */
public final class CurrentRun {
    private static volatile @Nullable RunSession current;

    private CurrentRun() {
    }

    /** The run of this JVM, or null. */
    @Nullable
    public static RunSession get() {
        return current;
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
