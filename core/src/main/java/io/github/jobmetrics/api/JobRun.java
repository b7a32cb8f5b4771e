package io.github.jobmetrics.api;

import io.github.jobmetrics.config.Settings;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.run.RunSession;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run of a job as job code sees it: stages to count records into, and the run's ending. Obtained from
 * {@link JobMetrics}. Closing a run this code started pushes it; closing a run it joined (the agent's or a
 * runner's) does nothing, because the owner pushes once at the end of the JVM.
 */
public final class JobRun implements AutoCloseable {
    private final RunSession session;
    private final boolean owner;
    private final ConcurrentHashMap<String, Stage> stages = new ConcurrentHashMap<>();
    private final @Nullable Thread exitHook;
    private volatile @Nullable FailureReason failureReason;
    private volatile @Nullable Integer failureExitCode;

    JobRun(RunSession session, boolean owner, @Nullable Thread exitHook) {
        this.session = requireNonNull(session, "session must not be null");
        this.owner = owner;
        this.exitHook = exitHook;
    }

    /** The stage named {@code name}, created on first use; keep the result rather than calling this per record. */
    public Stage stage(String name) {
        requireNonNull(name, "name must not be null");
        return stages.computeIfAbsent(name, n -> new Stage(session.registry().stage(n)));
    }

    /** The stage {@code main}, where records go when the job names no stage. */
    public Stage stage() {
        return stage(Settings.MAIN_STAGE);
    }

    /** Whether this run was joined (the agent's or a runner's) rather than started here. */
    public boolean joined() {
        return !owner;
    }

    /** Marks the run failed by {@code error}; it is pushed as failed ({@code uncaught_exception}) when closed. */
    public void fail(Throwable error) {
        requireNonNull(error, "error must not be null");
        failureExitCode = 1;
        failureReason = FailureReason.UNCAUGHT_EXCEPTION;
    }

    /** Marks the run failed with exit status {@code exitCode}; it is pushed as failed when closed. */
    public void fail(int exitCode) {
        failureExitCode = exitCode;
        failureReason = FailureReason.EXIT_CODE;
    }

    /**
     * Ends the run: a run started here is pushed (successful unless {@link #fail} was called); a joined run is
     * left to its owner. Closing twice pushes once.
     */
    @Override
    public void close() {
        if (!owner) {
            return;
        }
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; finish() below happens once either way
            }
        }
        FailureReason reason = failureReason;
        long now = System.currentTimeMillis();
        session.finish(reason == null ? RunEnding.success(now) : RunEnding.failure(now, reason, failureExitCode),
                List.of());
    }
}
