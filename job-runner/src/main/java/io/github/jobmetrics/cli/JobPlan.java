package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.run.JobNames;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child's command line and the job's default name. A jar runs as {@code java [--jvm-option...]
 * [-javaagent:...] -jar app.jar args}, a main class as {@code java [...] -cp CP Class args}, any other command as
 * it is. Immutable.
 */
final class JobPlan {
    private final List<String> command;
    private final String defaultJobName;

    private JobPlan(List<String> command, String defaultJobName) {
        this.command = List.copyOf(command);
        this.defaultJobName = defaultJobName;
    }

    /**
     * Plans the job.
     *
     * @param java the {@code java} launcher for Java jobs
     * @param javaagent the {@code -javaagent:} argument, or null to run without the agent
     * @throws LaunchFailure when the jar does not exist (127) or cannot be read (126)
     */
    static JobPlan of(JobSpec job, List<String> jvmOptions, String java, @Nullable String javaagent)
            throws LaunchFailure {
        requireNonNull(job, "job must not be null");
        List<String> cmd = new ArrayList<>();
        switch (job.kind()) {
            case JAR:
                checkJar(job.target());
                addJava(cmd, java, jvmOptions, javaagent);
                cmd.add("-jar");
                cmd.add(job.target());
                break;
            case MAIN_CLASS:
                addJava(cmd, java, jvmOptions, javaagent);
                cmd.add("-cp");
                cmd.add(job.classpath());
                cmd.add(job.target());
                break;
            default:
                cmd.add(job.target());
                break;
        }
        cmd.addAll(job.args());
        return new JobPlan(cmd, defaultJobName(job));
    }

    private static void addJava(List<String> cmd, String java, List<String> jvmOptions, @Nullable String javaagent) {
        cmd.add(java);
        cmd.addAll(jvmOptions);
        if (javaagent != null) {
            cmd.add(javaagent);
        }
    }

    // java -jar on a missing jar exits 1 like any failed job; the contract says 127, so look first.
    private static void checkJar(String jar) throws LaunchFailure {
        Path path;
        try {
            path = Path.of(jar);
        } catch (InvalidPathException e) {
            throw new LaunchFailure(LaunchFailure.NOT_FOUND, jar + ": not a file name");
        }
        if (!Files.exists(path)) {
            throw new LaunchFailure(LaunchFailure.NOT_FOUND, jar + ": no such file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new LaunchFailure(LaunchFailure.NOT_EXECUTABLE, jar + ": not a readable file");
        }
    }

    /** The jar's or main class's simple name; for any other command the program's file name. */
    static String defaultJobName(JobSpec job) {
        if (job.isJava()) {
            return JobNames.fromJavaCommand(job.target());
        }
        String program = job.target();
        int slash = program.lastIndexOf('/');
        String name = slash >= 0 ? program.substring(slash + 1) : program;
        return name.isEmpty() ? JobNames.fromJavaCommand(null) : name;
    }

    /** The child's command line. */
    List<String> command() {
        return command;
    }

    /** The job name when none is configured. */
    String defaultJobName() {
        return defaultJobName;
    }
}
