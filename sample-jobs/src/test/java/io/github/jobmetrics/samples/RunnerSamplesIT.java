package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sample jobs through the built runner jar: a plain jar, the API jar (hand-off) and the shell script. */
class RunnerSamplesIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;

    private int runner(String job, String... command) throws Exception {
        List<String> options = new ArrayList<>(List.of("--no-agent"));
        options.addAll(List.of(command));
        return runnerWith(job, options.toArray(String[]::new));
    }

    /** The runner with the agent it finds next to itself (the build puts it there). */
    private int runnerWith(String job, String... optionsAndCommand) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("jobmetricsTest.runnerJar"), "--gateway", GATEWAY.get().baseUri().toString(),
                "--job", job, "--record-slo", "150ms", "--spool-dir", tmp.resolve("spool").toString()));
        cmd.addAll(List.of(optionsAndCommand));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(tmp.resolve(job + ".err").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("runner did not end within 60 s");
        }
        return p.exitValue();
    }

    private static String value(String page, String seriesPrefix) {
        return page.lines().filter(l -> l.startsWith(seriesPrefix)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("<missing " + seriesPrefix + ">");
    }

    @Test
    void plainJarIsCountedByTheAgentTheRunnerAttaches() throws Exception {
        String job = "io.github.jobmetrics.samples.PlainEtlJob";
        assertEquals(0, runnerWith("runner_agent", "--records-stage", "transform=" + job + "#transform",
                "--records-stage", "load=" + job + "#load", "--input", job + "#extract", "--output", job + "#load",
                "--", System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", "100", "--slow-ms", "300"));
        String page = GATEWAY.get().metricsPage();
        String g = "instance=\"\",job=\"runner_agent\"";
        assertEquals("100", value(page, "batch_job_records_total{" + g + ",stage=\"transform\"}"));
        assertEquals("2", value(page, "batch_job_record_errors_total{error=\"NumberFormatException\"," + g
                + ",stage=\"transform\"}"));
        assertEquals("98", value(page, "batch_job_records_total{" + g + ",stage=\"load\"}"));
        assertEquals("4", value(page, "batch_job_records_over_slo_total{" + g + ",slo=\"0.15\",stage=\"load\"}"));
        assertEquals("100", value(page, "batch_job_input_records_total{" + g + ",stage=\"main\"}"));
        assertEquals("98", value(page, "batch_job_output_records_total{" + g + ",stage=\"main\"}"));
        assertEquals("1", value(page, "batch_job_success{" + g + "}"));
    }

    @Test
    void plainJarGetsRunMetricsAndItsExitStatus() throws Exception {
        assertEquals(3, runner("runner_plain", System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", "50",
                "--slow-ms", "1", "--fail", "exit"));
        String page = GATEWAY.get().metricsPage();
        assertEquals("3", value(page, "batch_job_exit_code{instance=\"\",job=\"runner_plain\"}"));
        assertEquals("0", value(page, "batch_job_success{instance=\"\",job=\"runner_plain\"}"));
        assertTrue(page.contains("batch_job_info{instance=\"\",job=\"runner_plain\",mode=\"runner\""), page);
    }

    @Test
    void apiJobUnderTheRunnerHandsItsRecordsToTheRunnersOnePush() throws Exception {
        assertEquals(0, runner("runner_api", System.getProperty("jobmetricsTest.apiEtlJar"), "--rows", "100",
                "--slow-ms", "300"));
        String page = GATEWAY.get().metricsPage();
        String g = "instance=\"\",job=\"runner_api\"";
        assertEquals("100", value(page, "batch_job_records_total{" + g + ",stage=\"transform\"}"));
        assertEquals("2", value(page, "batch_job_record_errors_total{error=\"NumberFormatException\"," + g
                + ",stage=\"transform\"}"));
        // rows 20, 40, 60, 80 are slow and loaded (0 and 100 are malformed or absent)
        assertEquals("4", value(page, "batch_job_records_over_slo_total{" + g + ",slo=\"0.15\",stage=\"load\"}"));
        assertTrue(page.contains("etl_amount_total{country=\"DE\"," + g + "}"), "the job's own counter came along");
    }

    @Test
    void shellScriptWritingTheTextfileIsPushedWithTheRun() throws Exception {
        Path script = Path.of("scripts", "etl.sh").toAbsolutePath();
        assertEquals(0, runner("runner_shell", script.toString(), "120"));
        String page = GATEWAY.get().metricsPage();
        assertEquals("120", value(page, "batch_job_records_total{instance=\"\",job=\"runner_shell\",stage=\"main\"}"));
        assertEquals("120", value(page, "shell_etl_rows_per_file{instance=\"\",job=\"runner_shell\"}"));
        assertEquals("1", value(page, "batch_job_success{instance=\"\",job=\"runner_shell\"}"));
    }
}
