package io.github.jobmetrics.samples.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class InvoiceImportApplicationIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;

    @Test
    void theApplicationWithTheDependencyAndItsPropertiesAloneIsPushedWithExactCounts() throws Exception {
        Path output = tmp.resolve("app.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                InvoiceImportApplication.class.getName(), "--jobmetrics.gateway=" + GATEWAY.get().baseUri(),
                "--jobmetrics.spool-dir=" + tmp.resolve("spool"), "region=eu"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(app.waitFor(120, TimeUnit.SECONDS), "the application ends");
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, app.exitValue(), log);
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
}
