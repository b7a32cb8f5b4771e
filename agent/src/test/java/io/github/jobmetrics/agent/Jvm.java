package io.github.jobmetrics.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** A child JVM run to its end (bounded), with its exit status and output. */
final class Jvm {
    static final Path AGENT_JAR = Path.of(System.getProperty("jobmetricsTest.agentJar",
            "target/job-metrics-agent.jar"));
    static final String JAVA_17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Java25Lookup.Result JAVA_25 = Java25Lookup.find(
            System.getProperty("jobmetricsTest.java25", ""), System.getenv("JAVA25_HOME"),
            Path.of(System.getProperty("jobmetricsTest.toolchains",
                    System.getProperty("user.home") + "/.m2/toolchains.xml")),
            Path.of(System.getProperty("jobmetricsTest.jvmDir", "/usr/lib/jvm")));
    private static final boolean JAVA_25_REQUIRED = Boolean.parseBoolean(
            System.getProperty("jobmetricsTest.java25Required", "false"));
    private static final AtomicBoolean TOLD_NOT_RUN = new AtomicBoolean();

    /**
     * The Java versions the version-dependent tests run on, for {@code @MethodSource}: 17 and, where a Java 25 is
     * found, 25. Without one the build says so in one line, or fails when {@code -Djava25.required=true}.
     */
    static Stream<String> versions() {
        List<String> versions = JAVA_25.versionsToRun(JAVA_25_REQUIRED);
        if (!versions.contains("25") && !TOLD_NOT_RUN.getAndSet(true)) {
            System.out.println(JAVA_25.notRunLine());
        }
        return versions.stream();
    }

    /** The java binary for {@code version}, "17" (the one running the tests) or "25" (see {@link #versions}). */
    static String java(String version) {
        if (version.equals("17")) {
            return JAVA_17;
        }
        return JAVA_25.java().orElseThrow(() -> new AssertionError(JAVA_25.notRunLine()));
    }

    final int status;
    final String out;
    final String err;

    private Jvm(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command} with {@code env} added; the caller waits with {@link #await}. */
    static Started start(Path dir, List<String> command, Map<String, String> env) throws IOException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBMETRICS_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        return new Started(pb.start(), out, err);
    }

    static Jvm run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        return start(dir, command, env).await(Duration.ofSeconds(60));
    }

    /** {@code java -javaagent:agent=arg -cp cp main args} with the given java. */
    static List<String> javaWithAgent(String java, String agentArgument, String classPath, String main,
            String... args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        if (agentArgument != null) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgument.isEmpty() ? "" : "=" + agentArgument));
        }
        cmd.addAll(List.of("-cp", classPath, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Lines of stderr that the agent or the run wrote. */
    List<String> jobmetricsLines() {
        return err.lines().filter(l -> l.startsWith("jobmetrics")).toList();
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    static final class Started {
        final Process process;
        private final Path out;
        private final Path err;

        Started(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Polls stdout (bounded) until it contains {@code text}. */
        void awaitOutput(String text, Duration max) throws IOException, InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new AssertionError("no '" + text + "' on stdout: " + Files.readString(out)
                            + Files.readString(err));
                }
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }

        Jvm await(Duration max) throws IOException, InterruptedException {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not end within " + max + ": " + Files.readString(err));
            }
            return new Jvm(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }
}
