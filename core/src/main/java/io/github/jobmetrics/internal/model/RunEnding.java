package io.github.jobmetrics.internal.model;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a run ended: when, whether it succeeded, its exit status where known, and the reason of a failure.
 * Immutable.
 */
public final class RunEnding {
    private final long endEpochMillis;
    private final boolean success;
    @Nullable private final Integer exitCode;
    @Nullable private final FailureReason reason;

    private RunEnding(long endEpochMillis, boolean success, @Nullable Integer exitCode,
            @Nullable FailureReason reason) {
        this.endEpochMillis = endEpochMillis;
        this.success = success;
        this.exitCode = exitCode;
        this.reason = reason;
    }

    /** A successful run with exit status 0. */
    public static RunEnding success(long endEpochMillis) {
        return new RunEnding(endEpochMillis, true, 0, null);
    }

    /** A failed run; {@code exitCode} may be null where the status is not known. */
    public static RunEnding failure(long endEpochMillis, FailureReason reason, @Nullable Integer exitCode) {
        if (reason == null) {
            throw new NullPointerException("reason must not be null");
        }
        return new RunEnding(endEpochMillis, false, exitCode, reason);
    }

    /**
     * The ending the runner sees from a child's exit status: 0 is success, 128+N after signal N, anything else
     * an exit-code failure.
     */
    public static RunEnding fromExitStatus(long endEpochMillis, int status, boolean killedBySignal) {
        if (status == 0) {
            return success(endEpochMillis);
        }
        return failure(endEpochMillis, killedBySignal ? FailureReason.SIGNAL : FailureReason.EXIT_CODE, status);
    }

    public long endEpochMillis() {
        return endEpochMillis;
    }

    public boolean success() {
        return success;
    }

    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    public Optional<FailureReason> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return success ? "success" : "failure (" + reason.label()
                + (exitCode == null ? "" : ", exit code " + exitCode) + ")";
    }
}
