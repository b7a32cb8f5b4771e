package io.github.jobmetrics.samples.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class InvoiceImportApplicationIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the application in a JVM of its own, {@code jvmOptions} before the main class; returns its output. */
    private String runApplication(List<String> jvmOptions, String... args) throws Exception {
        return run(List.of(), jvmOptions, args);
    }

    /** Runs {@code prefix} (a runner command line, or nothing), then the application's JVM; returns the output. */
    private String run(List<String> prefix, List<String> jvmOptions, String... args) throws Exception {
        Path output = tmp.resolve("app.log");
        List<String> command = new ArrayList<>(prefix);
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), InvoiceImportApplication.class.getName()));
        command.addAll(List.of(args));
        Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!app.waitFor(120, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            throw new AssertionError("the application did not end in 120 s");
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, app.exitValue(), log);
        return log;
    }

    @Test
    void theApplicationWithTheDependencyAndItsPropertiesAloneIsPushedWithExactCounts() throws Exception {
        String log = runApplication(List.of(), "--jobmetrics.gateway=" + GATEWAY.get().baseUri(),
                "--jobmetrics.spool-dir=" + tmp.resolve("spool"), "region=eu");
        assertTrue(log.contains("booked 77 invoices"), log);

        String page = GATEWAY.get().metricsPage();
        String group = "instance=\"\",job=\"invoiceImport\",region=\"eu\"";
        assertTrue(page.contains("batch_job_records_total{" + group + ",stage=\"book\"} 100"), page);
        assertTrue(page.contains("batch_job_record_errors_total{error=\"InvalidInvoiceException\"," + group
                + ",stage=\"book\"} 14"), page);
        assertTrue(page.contains("batch_job_input_records_total{" + group + ",stage=\"book\"} 100"), page);
        assertTrue(page.contains("batch_job_output_records_total{" + group + ",stage=\"book\"} 77"), page);
        assertTrue(page.contains("batch_job_records_total{" + group + ",stage=\"report\"} 0"), page);
        assertTrue(page.contains("batch_job_record_slo_seconds{" + group + ",slo=\"0.005\"} 0.005"), page);
        assertTrue(page.contains("batch_job_success{" + group + "} 1"), page);
        assertTrue(log.contains("jobmetrics: job invoiceImport"), "the run's summary line: " + log);
    }

    @Test
    void underTheAgentTheJobExecutionJoinsTheAgentsRunAndIsPushedOnceByIt() throws Exception {
        String agent = "-javaagent:" + System.getProperty("jobmetricsTest.agentJar") + "=gateway="
                + GATEWAY.get().baseUri() + ",job=invoices_under_agent,spool-dir=" + tmp.resolve("agent-spool");
        String log = runApplication(List.of(agent), "--jobmetrics.gateway=" + GATEWAY.get().baseUri(),
                "--jobmetrics.spool-dir=" + tmp.resolve("spool"), "region=agent");

        String page = GATEWAY.get().metricsPage();
        String group = "instance=\"\",job=\"invoices_under_agent\"";
        assertTrue(page.contains("batch_job_records_total{" + group + ",stage=\"book\"} 100"), page);
        assertTrue(page.contains("batch_job_record_errors_total{error=\"InvalidInvoiceException\"," + group
                + ",stage=\"book\"} 14"), page);
        assertTrue(page.contains("batch_job_output_records_total{" + group + ",stage=\"book\"} 77"), page);
        assertTrue(page.contains("batch_job_info{" + group + ",mode=\"agent\""), page);
        assertFalse(page.contains("region=\"agent\""), "the execution did not push a run of its own: " + page);
        assertTrue(log.contains("booked 77 invoices"), log);
    }

    @Test
    void underTheRunnerWithoutTheAgentTheJobExecutionHandsItsRecordsToTheRunnersOnePush() throws Exception {
        List<String> runner = List.of(java(), "-jar", System.getProperty("jobmetricsTest.runnerJar"),
                "--gateway", GATEWAY.get().baseUri().toString(), "--job", "invoices_under_runner", "--no-agent",
                "--spool-dir", tmp.resolve("runner-spool").toString(), "--");
        String log = run(runner, List.of(), "--jobmetrics.gateway=" + GATEWAY.get().baseUri(),
                "--jobmetrics.spool-dir=" + tmp.resolve("spool"), "region=runner");

        String page = GATEWAY.get().metricsPage();
        String group = "instance=\"\",job=\"invoices_under_runner\"";
        assertTrue(page.contains("batch_job_records_total{" + group + ",stage=\"book\"} 100"), page);
        assertTrue(page.contains("batch_job_record_errors_total{error=\"InvalidInvoiceException\"," + group
                + ",stage=\"book\"} 14"), page);
        assertTrue(page.contains("batch_job_output_records_total{" + group + ",stage=\"book\"} 77"), page);
        assertTrue(page.contains("batch_job_info{" + group + ",mode=\"runner\""), page);
        assertTrue(page.contains("batch_job_success{" + group + "} 1"), page);
        assertFalse(page.contains("region=\"runner\""), "the execution did not push a run of its own: " + page);
        assertTrue(log.contains("booked 77 invoices"), log);
    }
}
