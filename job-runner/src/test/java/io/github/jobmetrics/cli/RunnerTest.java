package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner in-process: exit statuses and what it prints, with real child processes but no gateway. */
class RunnerTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", dir.toString());
        return Runner.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), props, new CompletableFuture<>());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpShowsThreeWorkedExamplesAndExitsZero() {
        assertEquals(0, execute("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals(3, help.lines()
                .filter(l -> l.startsWith("    ") && l.contains("java -jar job-runner.jar")).count(), help);
        assertTrue(help.contains("--grouping-key=LABEL=VALUE"), help);
        assertEquals("", err());
    }

    @Test
    void versionIsTheProjectVersion() {
        assertEquals(0, execute("--version"));
        assertEquals("job-runner " + Version.current(), out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void badOptionIs125WithOneLine() {
        assertEquals(125, execute("--frobnicate", "--", "true"));
        assertEquals("job-runner: unknown option --frobnicate; see 'java -jar job-runner.jar --help'",
                err().strip());
    }

    @Test
    void badSettingIs125WithOneLineNamingTheOption() {
        assertEquals(125, execute("--push-timeout", "10x", "--", "true"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("(option --push-timeout)"), err());
        assertTrue(err().contains("--help"), err());
    }

    @Test
    void jobStatusIsReturnedAndTheRunIsPrintedWithoutAGateway() {
        assertEquals(5, execute("--job", "in_process", "--", "sh", "-c", "exit 5"));
        assertTrue(err().contains("batch_job_exit_code 5.0"), err());
        assertTrue(err().contains("no gateway set"), err());
    }

    @Test
    void stopRequestIsPassedToTheJob() {
        CompletableFuture<String> stop = new CompletableFuture<>();
        stop.complete("SIGTERM");
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", dir.toString());
        int status = Runner.execute(new String[] {"--", "sleep", "60"}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), props, stop);
        assertEquals(128 + 15, status, err());
        assertTrue(err().contains("batch_job_failure_reason{reason=\"signal\",} 1.0"), err());
    }
}
