package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;

/**
 * Until the job starts, everything the runner does is on the job's critical path, on one thread: the command line,
 * the settings, the textfiles, the process start. On a daemon thread beside it, this initializes what those steps
 * need later and that depends on none of the arguments (the settings loader with its regular expressions, the
 * JDK's process classes, the runner's launch classes), so on a machine with a second core the job starts that much
 * sooner (docs/performance-runner.md). Initializing a class twice is impossible: whichever thread comes second
 * waits for the first. Failures are ignored; the main thread meets them again and reports them.
 */
final class StartWarmUp implements Runnable {
    /** In the order the main thread needs them, after what it needs at once. */
    private static final String[] CLASSES = {
        "io.github.jobmetrics.config.SettingsLoader",
        "io.github.jobmetrics.config.Settings",
        "io.github.jobmetrics.cli.AgentArgument",
        "io.github.jobmetrics.cli.JobTextfile",
        "java.lang.ProcessHandleImpl",
        "java.lang.ProcessImpl",
        "io.github.jobmetrics.cli.JobPlan",
        "io.github.jobmetrics.cli.JobLauncher",
        "io.github.jobmetrics.cli.Executables",
        "io.github.jobmetrics.cli.Watchdog",
        "io.github.jobmetrics.cli.Supervisor",
        "io.github.jobmetrics.cli.JobProcess",
    };

    private final @Nullable String searchPath;

    private StartWarmUp(@Nullable String searchPath) {
        this.searchPath = searchPath;
    }

    /** Starts the warm-up; {@code searchPath} is the runner's {@code PATH}. Returns at once. */
    static void start(@Nullable String searchPath) {
        Thread thread = new Thread(new StartWarmUp(searchPath), "jobmetrics-runner-start-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        ClassLoader loader = StartWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // Nothing to report: the main thread loads it again and fails there if it must.
            }
        }
        try {
            ProcessHandle.current();
            JobLauncher.onPath(searchPath);
        } catch (RuntimeException e) {
            // as above
        }
    }
}
