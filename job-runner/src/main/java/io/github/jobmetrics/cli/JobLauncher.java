package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the job in a session and process group of its own, through {@code setsid} (util-linux or BusyBox), with a
 * {@link Watchdog} beside it. A new session rather than only a new group: a background group of the terminal's
 * session would be stopped by SIGTTIN the moment it read the terminal. Where {@code setsid} or {@code sh} is
 * missing (a distroless image) the job starts as a plain child, as before.
 */
final class JobLauncher {
    private final @Nullable Path setsid;
    private final @Nullable Path sh;
    private final @Nullable String searchPath;

    JobLauncher(@Nullable Path setsid, @Nullable Path sh, @Nullable String searchPath) {
        this.setsid = setsid;
        this.sh = sh;
        this.searchPath = searchPath;
    }

    /** Looks for {@code setsid} and {@code sh} on {@code searchPath} (the runner's {@code PATH}). */
    static JobLauncher onPath(@Nullable String searchPath) {
        return new JobLauncher(Executables.find("setsid", searchPath).orElse(null),
                Executables.find("sh", searchPath).orElse(null), searchPath);
    }

    /** Whether jobs get a process group of their own. */
    boolean groups() {
        return setsid != null && sh != null;
    }

    /**
     * Starts the job; {@code grace} is how long the watchdog gives it between SIGTERM and SIGKILL should the runner
     * die.
     *
     * @throws LaunchFailure 127 when the program is not found, 126 when it cannot be executed
     */
    JobProcess start(ProcessBuilder builder, Duration grace, Consumer<String> err) throws LaunchFailure {
        if (!groups()) {
            return new JobProcess(Supervisor.start(builder), false, null);
        }
        List<String> command = builder.command();
        String program = command.get(0);
        Executables.check(program, searchPath);
        List<String> viaSetsid = new ArrayList<>(command.size() + 1);
        viaSetsid.add(setsid.toString());
        viaSetsid.addAll(command);
        Watchdog watchdog = null;
        try {
            watchdog = Watchdog.start(setsid, sh, grace, searchPath);
        } catch (IOException e) {
            err.accept(RunnerCommandLine.NAME + ": cannot start the watchdog (" + e.getMessage() + "); if the runner"
                    + " is killed, the job runs on");
        }
        Process main;
        try {
            // setsid execs the job in place (a child of the JVM never leads a group), so the pid is the job's.
            main = builder.command(viaSetsid).start();
        } catch (IOException e) {
            if (watchdog != null) {
                watchdog.release();
            }
            throw Supervisor.launchFailure(program, e);
        } finally {
            builder.command(command);
        }
        if (watchdog != null && !watchdog.watch(main.pid())) {
            watchdog = null;
        }
        return new JobProcess(main, true, watchdog);
    }
}
