package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runner with the agent it attaches, the agent alone and the agent in {@code JAVA_TOOL_OPTIONS}, as real JVMs
 * against a real Pushgateway: one ending gets one set of labels in every mode, and only the job's JVM owns a run.
 */
class AgentWithRunnerIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    private static final String JOB = HandoffJob.class.getName();

    @TempDir
    Path tmp;

    private record Ended(int status, String stderr) {
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classPath() throws Exception {
        return Path.of(HandoffJob.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private Ended run(String name, List<String> command, Map<String, String> env) throws Exception {
        Path err = tmp.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBMETRICS_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not end within 60 s");
        }
        return new Ended(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The runner, with the agent it finds next to itself unless told otherwise, running HandoffJob. */
    private Ended runner(String job, List<String> options, Map<String, String> env, String... jobArgs)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", System.getProperty("jobmetricsTest.runnerJar"),
                "--gateway", GATEWAY.get().baseUri().toString(), "--job", job, "--push-timeout", "5s",
                "--spool-dir", tmp.resolve("spool").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("--", "--main-class", JOB, "--classpath", classPath()));
        cmd.addAll(List.of(jobArgs));
        return run(job, cmd, env);
    }

    /** HandoffJob in a JVM of its own with the agent on its command line. */
    private Ended agentAlone(String job, String... jobArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-javaagent:" + System.getProperty("jobmetricsTest.agentJar")
                + "=gateway=" + GATEWAY.get().baseUri() + ",job=" + job + ",push-timeout=5s,spool-dir="
                + tmp.resolve("spool"), "-cp", classPath(), JOB));
        cmd.addAll(List.of(jobArgs));
        return run(job, cmd, Map.of());
    }

    private static String value(String page, String series) {
        return page.lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("<missing " + series + ">");
    }

    private static String group(String job) {
        return "instance=\"\",job=\"" + job + "\"";
    }

    @Test
    void aJavaJobsOwnTextfileAndTheAgentsRecordsBothReachThePush() throws Exception {
        Ended r = runner("own_textfile", List.of("--records", JOB + "#step"), Map.of(), "own-textfile");
        assertEquals(0, r.status(), r.stderr());
        String page = GATEWAY.get().metricsPage();
        String g = group("own_textfile");
        assertEquals("3", value(page, "batch_job_records_total{" + g + ",stage=\"main\"}"), page + r.stderr());
        assertEquals("7", value(page, "own_rows_total{" + g + "}"), page + r.stderr());
        assertEquals("1", value(page, "batch_job_success{" + g + "}"));
        assertFalse(page.contains("jobmetrics_handoff"), page);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"throw,,1,uncaught_exception", "exit,143,143,exit_code", "exit,-2,254,exit_code"})
    void oneEndingHasOneExitCodeAndReasonUnderTheRunnerAndUnderTheAgentAlone(String how, String n, int status,
            String reason) throws Exception {
        String[] args = n == null ? new String[] {how} : new String[] {how, n};
        String suffix = how + (n == null ? "" : n.replace('-', 'm'));
        Map<String, Ended> modes = Map.of(
                "runner_agent_" + suffix, runner("runner_agent_" + suffix, List.of(), Map.of(), args),
                "agent_" + suffix, agentAlone("agent_" + suffix, args),
                "runner_only_" + suffix, runner("runner_only_" + suffix, List.of("--no-agent"), Map.of(), args));
        String page = GATEWAY.get().metricsPage();
        modes.forEach((job, ended) -> {
            assertEquals(status, ended.status(), job + ": " + ended.stderr());
            assertEquals(String.valueOf(status), value(page, "batch_job_exit_code{" + group(job) + "}"), job);
            // Without the agent the runner sees a status only: an exception is an exit code there, as documented.
            String expected = job.startsWith("runner_only_") && how.equals("throw") ? "exit_code"
                    : job.startsWith("runner_only_") && status == 143 ? "signal" : reason;
            assertEquals("1", value(page, "batch_job_failure_reason{" + group(job) + ",reason=\"" + expected + "\"}"),
                    job + "\n" + page);
        });
    }

    @Test
    void theRunnersDiscoverPrintsTheJobsMostCalledMethodsAsPatterns() throws Exception {
        Ended r = runner("discover", List.of("--discover", HandoffJob.class.getPackageName()), Map.of(),
                "own-textfile");
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stderr().contains("jobmetrics agent: discover=" + HandoffJob.class.getPackageName() + ": "),
                r.stderr());
        List<String> rows = r.stderr().lines().map(l -> l.strip().split(" +"))
                .filter(a -> a.length == 4 && a[3].startsWith("records=")).map(a -> a[0] + " " + a[1] + " " + a[3])
                .toList();
        assertTrue(rows.contains("3 0 records=" + JOB + "#step"), rows + "\n" + r.stderr());
    }

    @Test
    void underTheRunnerStrictMakesAnUnmatchedPatternAFailureWithReasonConfig() throws Exception {
        Ended r = runner("strict_unmatched", List.of("--strict", "--records", JOB + "#step;" + JOB + "#stpe"),
                Map.of(), "own-textfile");
        assertEquals(0, r.status(), r.stderr());
        String page = GATEWAY.get().metricsPage();
        String g = group("strict_unmatched");
        assertEquals("1", value(page, "batch_job_failure_reason{" + g + ",reason=\"config\"}"), page + r.stderr());
        assertEquals("0", value(page, "batch_job_success{" + g + "}"), page);
        assertEquals("3", value(page, "batch_job_records_total{" + g + ",stage=\"main\"}"), page);
    }

    @Test
    void theRunnersOwnJvmWithTheAgentInJavaToolOptionsLeavesTheRunToTheRunner() throws Exception {
        String job = "tool_options_runner";
        String agent = "-javaagent:" + System.getProperty("jobmetricsTest.agentJar") + "=gateway="
                + GATEWAY.get().baseUri() + ",job=" + job + ",push-timeout=5s";
        Ended r = runner(job, List.of(), Map.of("JAVA_TOOL_OPTIONS", agent), "exit", "3");
        assertEquals(3, r.status(), r.stderr());
        String page = GATEWAY.get().metricsPage();
        assertEquals("3", value(page, "batch_job_exit_code{" + group(job) + "}"), page);
        assertTrue(page.contains("batch_job_info{" + group(job) + ",mode=\"runner\""), page);
        assertFalse(page.contains("batch_job_info{" + group(job) + ",mode=\"agent\""), page);
        assertFalse(r.stderr().contains("batch_job_info") || r.stderr().contains("cannot start"), r.stderr());
    }
}
