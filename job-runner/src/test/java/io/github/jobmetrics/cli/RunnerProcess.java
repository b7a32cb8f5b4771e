package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built {@code job-runner.jar} run as a real process, as a CronJob would: stdout and stderr go to files, so
 * nothing the test does can make the runner block on output.
 */
final class RunnerProcess implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(60);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos;

    private RunnerProcess(Process process, Path stdout, Path stderr, long startedNanos) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startedNanos = startedNanos;
    }

    static Path runnerJar() {
        String jar = System.getProperty("jobmetricsTest.runnerJar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "system property jobmetricsTest.runnerJar must name the built job-runner.jar: " + jar);
        return Path.of(jar);
    }

    static String java() {
        return Runner.javaExecutable();
    }

    /** Starts {@code java -jar job-runner.jar args} with the extra environment; stdin is a pipe from the test. */
    static RunnerProcess start(Path workDir, Map<String, String> env, List<String> args) throws IOException {
        return start(runnerJar(), workDir, env, args);
    }

    /** As {@link #start(Path, Map, List)} with another copy of the runner jar. */
    static RunnerProcess start(Path runnerJar, Path workDir, Map<String, String> env, List<String> args)
            throws IOException {
        return start(runnerJar, List.of(), workDir, env, args);
    }

    /** As {@link #start(Path, Map, List)} with options for the runner's own JVM, such as {@code -Xmx16m}. */
    static RunnerProcess start(List<String> jvmOptions, Path workDir, Map<String, String> env, List<String> args)
            throws IOException {
        return start(runnerJar(), jvmOptions, workDir, env, args);
    }

    /** As {@link #start(Path, Map, List)}, the runner leading a session and process group of its own. */
    static RunnerProcess startInOwnGroup(Path workDir, Map<String, String> env, List<String> args)
            throws IOException {
        return start(List.of("setsid"), runnerJar(), List.of(), workDir, env, args);
    }

    private static RunnerProcess start(Path runnerJar, List<String> jvmOptions, Path workDir,
            Map<String, String> env, List<String> args) throws IOException {
        return start(List.of(), runnerJar, jvmOptions, workDir, env, args);
    }

    private static RunnerProcess start(List<String> prefix, Path runnerJar, List<String> jvmOptions, Path workDir,
            Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", runnerJar.toString()));
        cmd.addAll(args);
        Path out = Files.createTempFile(workDir, "runner", ".out");
        Path err = Files.createTempFile(workDir, "runner", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The test JVM's own JOBMETRICS_* must not leak into the runner under test.
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBMETRICS_"));
        pb.environment().putAll(env);
        return new RunnerProcess(pb.start(), out, err, System.nanoTime());
    }

    /** Runs to the end, stdin closed at once. */
    static RunnerProcess run(Path workDir, Map<String, String> env, String... args) throws Exception {
        RunnerProcess p = start(workDir, env, List.of(args));
        p.process.getOutputStream().close();
        p.awaitExit();
        return p;
    }

    Process process() {
        return process;
    }

    int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the runner did not end within " + BOUND + "; stderr: " + stderr());
        }
        return process.exitValue();
    }

    int status() {
        return process.exitValue();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.ISO_8859_1);
    }

    long stdoutSize() throws IOException {
        return Files.size(stdout);
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Polls, with a bound, until the runner's stdout or stderr holds {@code marker}. */
    void awaitOutput(String marker) throws Exception {
        awaitCondition("output " + marker, p -> {
            try {
                return p.stdout().contains(marker) || p.stderr().contains(marker);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The job: the runner's child that is not its watchdog, once it exists. */
    ProcessHandle child() throws Exception {
        awaitCondition("a child process", p -> p.job().isPresent());
        return job().orElseThrow();
    }

    private Optional<ProcessHandle> job() {
        // Until it execs, a child shows as jspawnhelper; setsid then execs the job in place, under the same pid.
        return process.children().filter(c -> c.info().commandLine()
                .filter(cmd -> !cmd.contains("jobmetrics-watchdog") && !cmd.contains("jspawnhelper")).isPresent())
                .findFirst();
    }

    private void awaitCondition(String what, Predicate<RunnerProcess> condition) throws Exception {
        long end = System.nanoTime() + BOUND.toNanos();
        while (!condition.test(this)) {
            if (System.nanoTime() > end || !process.isAlive() && !condition.test(this)) {
                fail("no " + what + " within " + BOUND + " (runner alive: " + process.isAlive() + "); stderr: "
                        + stderr());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
