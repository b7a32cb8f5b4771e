package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;

/**
 * How the child ended: its exit status, and whether the runner stopped it because {@code --timeout} expired or
 * because the runner itself was told to stop.
 *
 * @param status the child's status as the JDK reports it: the exit code, or 128+N after signal N
 * @param timedOut whether {@code --timeout} expired
 * @param stoppedBy the signal the runner received and passed on ({@code SIGTERM}), or null
 */
record JobExit(int status, boolean timedOut, @Nullable String stoppedBy) {
    static final int TIMEOUT_STATUS = 124;

    /**
     * Whether the status says a signal ended the job. Like a shell, the runner cannot tell {@code exit(143)} from
     * death by SIGTERM; a JVM that received SIGTERM exits 143 itself after its hooks, which is a signal too.
     */
    boolean killedBySignal() {
        return status > 128 && status <= 128 + 64;
    }

    /** The runner's exit status: the job's, or 124 when the timeout expired. */
    int runnerStatus() {
        return timedOut ? TIMEOUT_STATUS : status;
    }

    /** The run's ending for the push. */
    RunEnding ending(long endEpochMillis) {
        if (timedOut) {
            return RunEnding.failure(endEpochMillis, FailureReason.TIMEOUT, TIMEOUT_STATUS);
        }
        if (stoppedBy != null) {
            return RunEnding.failure(endEpochMillis, FailureReason.SIGNAL, status);
        }
        return RunEnding.fromExitStatus(endEpochMillis, status, killedBySignal());
    }
}
