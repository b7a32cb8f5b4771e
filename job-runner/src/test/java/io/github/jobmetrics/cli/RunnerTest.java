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
    void withoutAGatewayTheRunEndsWithOneReadableLineAndNoExposition() {
        assertEquals(5, execute("--job", "in_process", "--", "sh", "-c", "exit 5"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("jobmetrics: job in_process failed (exit status 5) in "), err());
        assertTrue(err().contains("no records; no gateway set"), err());
        assertTrue(err().contains("(shown with print=true) would have gone to /metrics/job/in_process"), err());
    }

    @Test
    void printShowsTheExpositionBeforeTheLine() {
        assertEquals(5, execute("--job", "in_process", "--print", "--", "sh", "-c", "exit 5"));
        assertTrue(err().contains("batch_job_exit_code 5.0"), err());
        assertTrue(err().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("jobmetrics: job in_process"),
                err());
    }

    @Test
    void theLineGivesRecordsErrorsTheirRatioAndAttainmentPerThreshold() throws Exception {
        Path script = dir.resolve("records.sh");
        java.nio.file.Files.writeString(script, "printf 'batch_job_records_total{stage=\"main\"} 200\\n"
                + "batch_job_record_errors_total{stage=\"main\",error=\"E\"} 3\\n"
                + "batch_job_records_over_slo_total{stage=\"main\",slo=\"0.25\"} 10\\n' > \"$JOBMETRICS_TEXTFILE\"\n");
        assertEquals(0, execute("--job", "summary", "--no-agent", "--record-slo", "250ms,1s", "--", "sh",
                script.toString()));
        assertTrue(err().contains(": 200 records, 3 errors (1.5%), 95% within 0.25 s; no gateway set"), err());
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
        assertTrue(err().contains("jobmetrics: job sleep failed (signal, exit status 143)"), err());
    }
}
