package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds programs the way {@code execvp} does. The job starts through {@code setsid}, which would report a missing
 * or non-executable program only as its own exit status; looking first keeps 127 and 126 with our own message.
 */
final class Executables {
    /** What {@code execvp} searches when {@code PATH} is unset. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    private Executables() {
    }

    /**
     * Checks that {@code program} can be run.
     *
     * @throws LaunchFailure 127 when it is not found, 126 when it is found but cannot be executed
     */
    static void check(String program, @Nullable String searchPath) throws LaunchFailure {
        if (program.isEmpty()) {
            throw notFound(program);
        }
        if (program.indexOf('/') >= 0) {
            Path path = path(program);
            if (path == null || !Files.exists(path)) {
                throw notFound(program);
            }
            if (!runnable(path)) {
                throw new LaunchFailure(LaunchFailure.NOT_EXECUTABLE, "cannot run " + program + ": Permission denied");
            }
            return;
        }
        boolean deniedSomewhere = false;
        for (String dir : (searchPath == null ? DEFAULT_PATH : searchPath).split(":", -1)) {
            Path candidate = path(dir.isEmpty() ? program : dir + File.separator + program);
            if (candidate == null || !Files.exists(candidate)) {
                continue;
            }
            if (runnable(candidate)) {
                return;
            }
            deniedSomewhere = true; // execvp goes on searching and reports EACCES only if nothing else runs
        }
        if (deniedSomewhere) {
            throw new LaunchFailure(LaunchFailure.NOT_EXECUTABLE, "cannot run " + program + ": Permission denied");
        }
        throw notFound(program);
    }

    /** The first runnable {@code name} on {@code searchPath}, if any. */
    static Optional<Path> find(String name, @Nullable String searchPath) {
        for (String dir : (searchPath == null ? DEFAULT_PATH : searchPath).split(":", -1)) {
            if (dir.isEmpty()) {
                continue; // the working directory is the job's business, not a place to pick our tools from
            }
            Path candidate = path(dir + File.separator + name);
            if (candidate != null && candidate.isAbsolute() && runnable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean runnable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static @Nullable Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static LaunchFailure notFound(String program) {
        return new LaunchFailure(LaunchFailure.NOT_FOUND, "cannot run " + program + ": No such file or directory");
    }
}
