package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The running job: its first process and, when started through {@code setsid}, the process group that process
 * leads. Signals go to the whole group, so a job's background processes end with it. Without a group (no
 * {@code setsid} or {@code sh} on the machine) they go to the first process and the descendants it has then.
 */
final class JobProcess {
    private final Process main;
    private final boolean ownGroup;
    private final @Nullable Watchdog watchdog;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    JobProcess(Process main, boolean ownGroup, @Nullable Watchdog watchdog) {
        this.main = main;
        this.ownGroup = ownGroup;
        this.watchdog = watchdog;
    }

    /** The job's first process: its exit status is the job's. */
    Process main() {
        return main;
    }

    /** What a message calls the processes that get the job's signals. */
    String describe() {
        return ownGroup ? "the job's process group (pid " + main.pid() + ")"
                : "the job (pid " + main.pid() + ") and its child processes";
    }

    /** Sends {@code signal} ({@code SIGTERM}, {@code SIGHUP}, {@code SIGINT} or {@code SIGKILL}) to the job. */
    void signal(String signal) {
        String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
        if (watchdog != null && watchdog.signal(name)) {
            return;
        }
        // Java reaches only known processes and can send only SIGTERM and SIGKILL. Descendants are taken while the
        // first process lives: once it is gone they are re-parented and out of reach.
        if (main.isAlive()) {
            main.descendants().forEach(seen::add);
        }
        boolean kill = "KILL".equals(name);
        for (ProcessHandle p : seen) {
            if (kill) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        }
        if (kill) {
            main.destroyForcibly();
        } else {
            main.destroy();
        }
    }

    /** Whether any process of the job is still running. */
    boolean anyRunning() {
        if (main.isAlive()) {
            return true;
        }
        if (ownGroup) {
            return ProcessGroups.hasRunningMember(main.pid());
        }
        return seen.stream().anyMatch(ProcessHandle::isAlive);
    }

    /** The runner is done with the job: the watchdog goes away and leaves whatever is left of the job alone. */
    void release() {
        if (watchdog != null) {
            watchdog.release();
        }
    }
}
