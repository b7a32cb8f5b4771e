package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.config.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small {@code sh} beside the job that signals the job's process group for the runner (Java cannot signal a
 * group, nor send SIGHUP or SIGINT) and ends the job when the runner dies without saying so: its stdin is a pipe
 * from the runner, and end of file there means the runner is gone, whatever killed it (SIGKILL included).
 */
final class Watchdog {
    /**
     * Arguments: the name for messages, the grace as text and in tenths of a second. The first line on stdin is the
     * job's process group; it comes after the job has started, and the watchdog exists before, so there is no moment
     * when the runner could die unwatched once the job runs.
     */
    static final String SCRIPT = """
            trap '' HUP INT TERM QUIT PIPE
            read -r g || exit 0
            case $g in ''|*[!0-9]*) exit 0 ;; esac
            while read -r s; do
              case $s in
                done) exit 0 ;;
                HUP|INT|TERM|KILL) kill -s "$s" -- "-$g" 2>/dev/null || kill -s "$s" "$g" 2>/dev/null ;;
              esac
            done
            kill -s 0 -- "-$g" 2>/dev/null || exit 0
            echo "$1: the runner ended while the job was running; sending SIGTERM to the job's process group $g,\
             SIGKILL after $2" >&2
            kill -s TERM -- "-$g" 2>/dev/null
            i=0
            while [ "$i" -lt "$3" ] && kill -s 0 -- "-$g" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
            kill -s KILL -- "-$g" 2>/dev/null
            exit 0
            """;

    private final OutputStream commands;

    private Watchdog(Process process) {
        this.commands = process.getOutputStream();
    }

    /**
     * Starts a watchdog, before the job; {@link #watch(long)} gives it the job. It runs in a session of its own, so
     * that whatever kills the runner's whole process group ({@code timeout -s KILL}, {@code kill -9 -PGID}) leaves
     * it alive to end the job, and it ignores the signals the runner handles.
     */
    static Watchdog start(Path setsid, Path sh, Duration grace, @Nullable String searchPath) throws IOException {
        long tenths = Math.max(1, grace.toMillis() / 100);
        ProcessBuilder pb = new ProcessBuilder(List.of(setsid.toString(), sh.toString(), "-c", SCRIPT,
                "jobmetrics-watchdog", RunnerCommandLine.NAME, Durations.format(grace), Long.toString(tenths)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // Only what it needs to find sleep: the runner's environment may hold push credentials.
        pb.environment().clear();
        pb.environment().put("PATH", searchPath == null ? Executables.DEFAULT_PATH : searchPath);
        return new Watchdog(pb.start());
    }

    /** Watches process group {@code pgid}, the job's. */
    boolean watch(long pgid) {
        return send(Long.toString(pgid));
    }

    /** Passes {@code signal} ({@code TERM}, {@code HUP}, {@code INT} or {@code KILL}) to the group. */
    boolean signal(String signal) {
        return send(signal);
    }

    /** The job has ended (or never started) and the runner is done with it: the watchdog exits, group untouched. */
    void release() {
        send("done");
        try {
            commands.close();
        } catch (IOException ignored) {
            // it has exited already
        }
    }

    private boolean send(String word) {
        try {
            commands.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            return true;
        } catch (IOException e) {
            return false; // the watchdog is gone; the caller falls back to what Java can do
        }
    }
}
