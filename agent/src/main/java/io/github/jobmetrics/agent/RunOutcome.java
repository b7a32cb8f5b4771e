package io.github.jobmetrics.agent;

import io.github.jobmetrics.agent.internal.ExitStatus;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;

/**
 * Decides how the run ended from what the agent saw: the first of {@code Runtime.exit(n)} and a stopping signal
 * (whichever came first decided the JVM's status), and whether the main thread died of an exception.
 */
final class RunOutcome {
    private RunOutcome() {
    }

    /**
     * @param cause {@link ExitStatus#NONE}, {@link ExitStatus#EXIT} or {@link ExitStatus#SIGNAL}
     * @param status the status recorded with the cause
     * @param mainDied whether the main thread died of an uncaught exception
     * @param mainAlive whether the main thread is still running while the JVM shuts down: with no exit and no
     *     signal recorded, {@code System.exit} was called before its capture was in place, status unknown
     */
    static RunEnding decide(long endMillis, int cause, int status, boolean mainDied, boolean mainAlive) {
        if (cause == ExitStatus.SIGNAL) {
            return RunEnding.failure(endMillis, FailureReason.SIGNAL, status);
        }
        if (cause == ExitStatus.EXIT) {
            // The OS keeps the low 8 bits: System.exit(-2) is 254 to the shell and to a runner, so it is 254 here.
            status &= 0xFF;
            if (status != 0) {
                return RunEnding.failure(endMillis, FailureReason.EXIT_CODE, status);
            }
            return mainDied ? RunEnding.failure(endMillis, FailureReason.UNCAUGHT_EXCEPTION, 0)
                    : RunEnding.success(endMillis);
        }
        if (mainDied) {
            // The java launcher exits 1 once main threw and the last other non-daemon thread is done.
            return RunEnding.failure(endMillis, FailureReason.UNCAUGHT_EXCEPTION, 1);
        }
        if (mainAlive) {
            // System.exit while main still ran, before the capture was in place (or without it): status unknown.
            return RunEnding.failure(endMillis, FailureReason.EXIT_CODE, null);
        }
        return RunEnding.success(endMillis);
    }
}
